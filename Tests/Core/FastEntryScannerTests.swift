import Foundation
import QuiltContract
import QuiltJSON
import QuiltManifest
import Testing

/// The fast path must write exactly what the full parser path writes, or decline.
@Suite("FastEntryScanner: byte-identical top-hash records, or a clean decline")
struct FastEntryScannerTests {
    /// The record via the full path: parse the line, then encode its hash record.
    static func slow(_ line: String) throws -> [UInt8] {
        let record = try Array(line.utf8).withBytes { (b) throws(ManifestError) in try ManifestParser.parse(b, lineNumber: 2) }
        guard case .entry(let e) = record else { throw ManifestError(line: 2, message: "not an entry") }
        var out: [UInt8] = []
        TopHasher.appendRecord(e, to: &out)
        return out
    }

    static func fast(_ line: String) -> ([UInt8], FastEntryScanner.Entry)? {
        var scanner = FastEntryScanner()
        var out: [UInt8] = [1, 2, 3]  // pre-existing bytes must survive a decline untouched
        let entry = Array(line.utf8).withUnsafeBytes { scanner.appendRecord($0, to: &out) }
        guard let entry else {
            #expect(out == [1, 2, 3])
            return nil
        }
        return (Array(out.dropFirst(3)), entry)
    }

    static func line(
        _ key: String, meta: String, size: String = "12", hash: String = "hSoyhcBmAqUBtUwWJlUSvcsibQdB6XtftbSYNPOJ4us=",
        physicalKey: String = "s3://b/k?versionId=v"
    ) -> String {
        #"{"logical_key": "\#(key)", "physical_keys": ["\#(physicalKey)"], "size": \#(size), "hash": {"type": "sha2-256-chunked", "value": "\#(hash)"}, "meta": \#(meta)}"#
    }

    static let accepted: [String] = [
        line("a.txt", meta: "{}"),
        line("data/ünï/ß.txt", meta: "{}"),
        line("emoji/😀.txt", meta: #"{"user_meta": {"b": 1, "a": "x", "B": true, "é": null}}"#),
        line("del\u{7f}key", meta: #"{"user_meta": {"list": [1, "two", [3, {"z": 1, "y": 2}], null, false]}}"#),
        line("deep/x", meta: #"{"z": {"y": {"x": {}}}, "a": [], "m": -12, "n": 0}"#),
        line("big", meta: #"{"n": 123456789012345678901234567890}"#, size: "0"),
        line("sep", meta: #"{"user_meta": {"k": "line\u2028sep"}}"#.replacingOccurrences(of: "\\u2028", with: "\u{2028}")),
    ]

    static let declined: [String] = [
        line("esc\\\"aped", meta: "{}"),
        line("a", meta: #"{"f": 1.5}"#),
        line("a", meta: #"{"f": 1e16}"#),
        line("a", meta: #"{"f": -0}"#),
        line("a", meta: #"{"k": "a\nb"}"#),
        line("a", meta: #"{"k": 1, "k": 2}"#),
        line("a", meta: "null"),
        line("a", meta: "{}", size: "012"),
        #"{"logical_key":"a","physical_keys":["s3://b/k"],"size":1,"hash":{"type":"SHA256","value":"x"},"meta":{}}"#,
    ]

    @Test("Accepted lines give the full path's exact bytes", arguments: accepted)
    func acceptedLines(_ line: String) throws {
        let (bytes, entry) = try #require(Self.fast(line))
        #expect(bytes == (try Self.slow(line)), "\(String(decoding: bytes, as: UTF8.self))")
        let key = Array(line.utf8)[entry.key]
        #expect(String(decoding: key, as: UTF8.self) == (try JSONParser.parse(line))["logical_key"]?.stringValue)
    }

    @Test("A byte that needs care at every offset within and across eight-byte blocks: same bytes as the full path, or a decline",
          arguments: ["é", "\u{7f}", "😀", "\t", "\\\"", "/"])
    func everyOffset(special: String) throws {
        for before in 0..<19 {
            let key = String(repeating: "a", count: before) + special + String(repeating: "b", count: 9)
            for meta in ["{}", #"{"user_meta": {"k": "\#(key)"}}"#] {
                let text = Self.line(key, meta: meta)
                let declines = special == "\t" || special == "\\\""
                guard let (bytes, entry) = Self.fast(text) else {
                    #expect(declines, "declined '\(key)' at offset \(before)")
                    continue
                }
                #expect(!declines, "accepted '\(key)'")
                #expect(bytes == (try Self.slow(text)), "'\(key)' at offset \(before)")
                #expect(String(decoding: Array(text.utf8)[entry.key], as: UTF8.self) == key)
            }
        }
    }

    @Test("Unusual lines are declined, leaving the output untouched", arguments: declined)
    func declinedLines(_ line: String) {
        #expect(Self.fast(line) == nil)
    }

    /// The physical key is not part of the top hash, so the fast path used to pass any string there: a manifest with
    /// a broken key then browsed fine on the fast path while every full read refused it.
    @Test("A physical key the full parser refuses makes the fast path decline, and the full parser says why",
          arguments: ["gs://b/k", "s3:///k", "s3://b/k?acl=1", "s3://b/k?versionId=a&acl=b", "file://relative/x",
                      "memory://", "s3://b/%FF", "S3:/b/k", "k", ""])
    func brokenPhysicalKeys(_ physicalKey: String) {
        let text = Self.line("a.txt", meta: "{}", physicalKey: physicalKey)
        #expect(Self.fast(text) == nil, "accepted \(physicalKey)")
        #expect(throws: ManifestError.self, "full parser accepted \(physicalKey)") { try Self.slow(text) }
    }

    @Test("Plain and percent-quoted physical keys of every scheme keep the fast path",
          arguments: ["s3://b/k", "s3://b/a%20b/%C3%A9?versionId=3sL4kqtJlcpXroDTDmJ%2BrmSpXd3dIbrHY",
                      "s3://b/dir/file.csv?versionId=3sL4kqtJlcpXroDTDmJ", "file:///tmp/a%20b.txt", "memory://store/x/y"])
    func plainPhysicalKeys(_ physicalKey: String) throws {
        let text = Self.line("a.txt", meta: "{}", physicalKey: physicalKey)
        // %C3%A9 (é, bytes >= 0x80) and a quoted version id are left to the full parser; the rest stay fast.
        let expectFast = !physicalKey.contains("%C3") && !physicalKey.contains("%2B")
        let fast = Self.fast(text)
        #expect((fast != nil) == expectFast, "\(physicalKey)")
        if let (bytes, _) = fast { #expect(bytes == (try Self.slow(text))) }
    }

    @Test("Every entry line quilt3 wrote in the fixture registry: fast path equals full path where it applies")
    func fixtureManifests() throws {
        let dir = try VectorsFixture.directory().appendingPathComponent("registry/.quilt/packages")
        var accepted = 0
        var total = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            for line in text.split(separator: "\n").dropFirst() {
                let l = String(line)
                guard (try? JSONParser.parse(l))?["physical_keys"]?[0] != nil else { continue }
                total += 1
                if let (bytes, _) = Self.fast(l) {
                    accepted += 1
                    #expect(bytes == (try Self.slow(l)), "\(name): \(l)")
                }
            }
        }
        #expect(total > 30)
        #expect(accepted * 2 > total, "the fast path should cover most real lines (\(accepted)/\(total))")
    }
}
