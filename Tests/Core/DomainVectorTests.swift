import Foundation
import QuiltContract
import QuiltJSON
import QuiltManifest
import Testing

/// Domain values and canonical JSON checked against vectors produced by real quilt3 8.0.0
/// (Fixtures/quilt3/generate_vectors.py).
@Suite("quilt3 vectors: names, keys, URLs, numbers")
struct DomainVectorTests {
    nonisolated(unsafe) static let expected: [String: Any] = {
        guard let dir = try? VectorsFixture.directory(),
            let data = try? Data(contentsOf: dir.appendingPathComponent("expected.json")),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [:] }
        return object
    }()

    static func list(_ key: String) -> [[String: Any]] { expected[key] as? [[String: Any]] ?? [] }

    struct Case: Sendable, CustomTestStringConvertible {
        let text: String
        let valid: Bool
        var testDescription: String { text.debugDescription }
    }

    static let names = list("package_names").compactMap { d -> Case? in
        guard let n = d["name"] as? String, let v = d["valid"] as? Bool else { return nil }
        return Case(text: n, valid: v)
    }
    static let keys = list("logical_keys").compactMap { d -> Case? in
        guard let n = d["logical_key"] as? String, let v = d["valid"] as? Bool else { return nil }
        return Case(text: n, valid: v)
    }

    @Test("The vector file is present and complete")
    func vectorsPresent() {
        #expect(Self.names.count > 40)
        #expect(Self.keys.count > 20)
        #expect(Self.list("canonical_numbers").count > 20)
    }

    @Test("Package names validate like quilt3 (Unicode \\w), except that a trailing newline is refused", arguments: names)
    func packageNames(_ c: Case) {
        let ours = (try? PackageName(c.text)) != nil
        if c.text.hasSuffix("\n") {
            #expect(!ours, "Python's $ accepts a trailing newline; we refuse it")
        } else {
            #expect(ours == c.valid)
        }
    }

    @Test("Logical keys validate like quilt3", arguments: keys)
    func logicalKeys(_ c: Case) {
        #expect(((try? LogicalKey(c.text)) != nil) == c.valid)
    }

    @Test("Physical keys render to quilt3's exact URLs")
    func physicalKeyURLs() throws {
        let pk = Self.expected["physical_keys"] as? [String: Any] ?? [:]
        let toURL = pk["to_url"] as? [[String: Any]] ?? []
        #expect(toURL.count >= 5)
        for v in toURL {
            let bucket = try #require(v["bucket"] as? String)
            let path = try #require(v["path"] as? String)
            let key = PhysicalKey(s3Bucket: bucket, key: path, versionId: v["version_id"] as? String)
            #expect(key.url == v["url"] as? String)
            // And the URL parses back to the same key.
            #expect(try PhysicalKey(key.url) == key)
        }
        for v in pk["from_path"] as? [[String: Any]] ?? [] {
            let key = PhysicalKey(filePath: try #require(v["path"] as? String))
            #expect(key.url == v["url"] as? String)
        }
        for v in pk["from_url"] as? [[String: Any]] ?? [] {
            let url = try #require(v["url"] as? String)
            if v["error"] as? Bool == true {
                #expect(throws: QuiltOpsError.self) { try PhysicalKey(url) }
            } else {
                let key = try PhysicalKey(url)
                #expect(key.bucket == v["bucket"] as? String)
                #expect(key.path == v["path"] as? String)
                #expect(key.versionId == v["version_id"] as? String)
            }
        }
    }

    @Test("Numbers re-serialise exactly as Python's json.dumps does")
    func canonicalNumbers() throws {
        for v in Self.list("canonical_numbers") {
            let text = try #require(v["text"] as? String)
            let canonical = try #require(v["canonical"] as? String)
            let parsed = try JSONParser.parse(text)
            #expect(String(decoding: CanonicalJSON.encode(parsed), as: UTF8.self) == canonical, "\(text)")
        }
    }

    @Test("The exact bytes quilt3 hashes for alice/simple r1 are the bytes we hash")
    func topHashParts() throws {
        let parts = try #require(Self.expected["top_hash_parts"] as? [String: Any])
        let joined = try #require(parts["joined"] as? String)
        let dir = try VectorsFixture.directory()
        let hash = try #require(parts["top_hash"] as? String)
        let bytes = try [UInt8](Data(contentsOf: dir.appendingPathComponent("registry/.quilt/packages/\(hash)")))
        let manifest = try Manifest.parse(bytes)
        var ours = CanonicalJSON.encode(.object(manifest.header))
        for e in manifest.entries.sorted(by: { LogicalKey.treeOrderPrecedes($0.logicalKey, $1.logicalKey) }) {
            CanonicalJSON.append(e.hashRecord, to: &ours)
        }
        #expect(String(decoding: ours, as: UTF8.self) == joined)
        #expect(manifest.topHash.rawValue == hash)
    }

    @Test("Tree order compares keys component by component", arguments: [
        (["b.txt", "b/c.txt", "a.txt", "a-b/x", "a/x", "B/upper.txt"], ["B/upper.txt", "a/x", "a-b/x", "a.txt", "b/c.txt", "b.txt"]),
    ])
    func treeOrder(_ input: [String], _ expected: [String]) {
        #expect(input.sorted(by: LogicalKey.treeOrderPrecedes) == expected)
    }
}
