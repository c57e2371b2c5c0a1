import Foundation
import QuiltContract
import Testing

/// Keys the libFuzzer `keys` target found mishandled (Fuzz/Regressions/keys): a '/' followed by a combining mark is
/// one Character in Swift, so Character-wise splitting hid a '..' component and missed the bucket's '/'.
@Suite("Keys with combining marks after '/'")
struct KeyRegressionTests {
    @Test("A '..' before a '/'+combining mark is still a '..' component", arguments: [
        "a/../\u{301}b", "../\u{301}x", "a/./\u{35E}", "x/..",
    ])
    func dotDotHidden(_ key: String) {
        #expect(throws: QuiltOpsError.self) { try LogicalKey(key) }
    }

    @Test("Components and basenames split at every '/' byte")
    func components() throws {
        let key = try LogicalKey("a/\u{301}b/c")
        #expect(key.components.map(String.init) == ["a", "\u{301}b", "c"])
        #expect(try PhysicalKey("s3://bucket/dir/\u{301}key.txt").basename == "\u{301}key.txt")
    }

    @Test("Physical keys with a combining mark after a '/' round-trip through their URL", arguments: [
        "s3://bucket/\u{301}key.txt", "s3://bucket/\u{301}key.txt#", "memory://m/\u{35E}", "file:///\u{301}tmp/x",
        "file://localhost/\u{301}x",
    ])
    func roundTrip(_ url: String) throws {
        let key = try PhysicalKey(url)
        #expect(try PhysicalKey(key.url) == key, "\(url) → \(key.url)")
    }

    @Test("The bucket ends at the first '/' even when a combining mark follows it")
    func bucket() throws {
        let key = try PhysicalKey("s3://bucket/\u{301}key.txt#")
        #expect(key.bucket == "bucket" && key.path == "\u{301}key.txt")
        let odd = try PhysicalKey("s3://\u{35E}")
        let again = try PhysicalKey(odd.url)
        #expect(odd.bucket == "\u{35E}" && odd.path == "" && again == odd)
    }

    /// `isCertainlyValid` may say "not sure" of a valid key, never "valid" of one the parser refuses.
    @Test("A physical key the one-pass check vouches for always parses")
    func certainlyValidKeysParse() {
        let schemes = ["s3://", "S3://", "file://", "file:///", "memory://", "gs://", "", "s3:/"]
        let buckets = ["", "b", "b.c"]
        let rests = ["", "/", "/k", "/a b", "/%41", "/%4", "/%zz", "/%FF", "/%7f", "/é", "/#x", "/k#", "/k?versionId=v",
                     "/k?versionId=", "/k?versionId=a+b", "/k?versionId=%41", "/k?x=1", "?versionId=v", "/k\u{1}", "/k?versionId=a?b"]
        var vouched = 0
        for scheme in schemes {
            for bucket in buckets {
                for rest in rests {
                    let url = scheme + bucket + rest
                    guard Array(url.utf8).withUnsafeBytes({ PhysicalKey.isCertainlyValid($0) }) else { continue }
                    vouched += 1
                    #expect((try? PhysicalKey(url)) != nil, "vouched for '\(url)', which does not parse")
                }
            }
        }
        #expect(vouched > 40, "the check should vouch for the plain forms (\(vouched))")
    }

    @Test("The eight-bytes-at-a-time scan sees a special byte at every offset", arguments: ["#", "%", "%FF", "%41", "?versionId=v", "?x", "\u{1}", "é", " ", "\u{7f}", "+", "&"])
    func certainlyValidEveryOffset(_ special: String) {
        for at in 0..<20 {
            let key = String(repeating: "a", count: at) + special + String(repeating: "b", count: 19 - at)
            for url in ["s3://bucket/" + key, "file:///" + key, "memory://store/" + key] {
                let vouched = Array(url.utf8).withUnsafeBytes { PhysicalKey.isCertainlyValid($0) }
                let parses = (try? PhysicalKey(url)) != nil
                #expect(!vouched || parses, "vouched for '\(url)', which does not parse")
                // What the check must still vouch for: printable ASCII, an ASCII escape, a plain S3 version id.
                let plain = ["%41", " ", "+", "&"].contains(special) || (special == "?versionId=v" && url.hasPrefix("s3:"))
                if plain { #expect(vouched, "'\(url)' should keep the fast path") }
            }
        }
    }

    @Test("The version id scan, eight bytes at a time, sees a special byte at every offset",
          arguments: ["&", "+", "%41", "#", " ", "\u{1}", "é", "\u{7f}", "=", "?", ".", "_"])
    func certainlyValidVersionEveryOffset(_ special: String) {
        for at in 0..<20 {
            let url = "s3://bucket/key?versionId=" + String(repeating: "a", count: at) + special + String(repeating: "b", count: 19 - at)
            let vouched = Array(url.utf8).withUnsafeBytes { PhysicalKey.isCertainlyValid($0) }
            #expect(!vouched || (try? PhysicalKey(url)) != nil, "vouched for '\(url)', which does not parse")
            if ["=", "?", ".", "_"].contains(special) { #expect(vouched, "'\(url)' should keep the fast path") }
            if ["&", "+", "%41", "#", " ", "\u{1}", "é", "\u{7f}"].contains(special) { #expect(!vouched, "'\(url)' is not plain") }
        }
    }
}
