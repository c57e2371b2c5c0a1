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
}
