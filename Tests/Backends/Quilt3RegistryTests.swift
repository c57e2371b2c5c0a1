import Foundation
import QuiltContract
import QuiltHash
import QuiltJSON
import QuiltManifest
import QuiltRegistry
import QuiltStorage
import Testing

/// The registry engine reads a registry that real quilt3 8.0.0 wrote, and writes manifests byte-identical to it.
@Suite("Registry engine against a quilt3-written registry")
struct Quilt3RegistryTests {
    @Test("Every package quilt3 pushed lists, resolves, browses and verifies with identical hashes and metadata")
    func readsQuilt3Registry() async throws {
        let scratch = try FixtureRegistry.scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let (engine, registry) = try FixtureRegistry.engine(copyTo: scratch)
        let expected = try FixtureRegistry.expected()
        let packages = try #require(expected["packages"] as? [[String: Any]])
        let generatedRoot = try #require(expected["generated_registry_root"] as? String)

        let listed = try await engine.listPackages(registry: registry, prefix: "", page: .first)
        #expect(Set(listed.items.map(\.name.rawValue)) == Set(packages.compactMap { $0["name"] as? String }))

        for package in packages {
            let name = try PackageName(try #require(package["name"] as? String))
            let latest = try #require(package["latest"] as? String)
            #expect(try await engine.resolve(package: name, registry: registry, revision: .latest).hash.rawValue == latest)
            let pointers = try #require(package["pointers"] as? [String: String])
            let revisions = try await engine.listRevisions(package: name, registry: registry, page: .first)
            #expect(Set(revisions.items.map(\.hash.rawValue)) == Set(pointers.values))

            for revision in try #require(package["revisions"] as? [[String: Any]]) {
                let hash = try TopHash(try #require(revision["top_hash"] as? String))
                let info = try await engine.revisionInfo(package: name, registry: registry, revision: .hash(hash))
                #expect(info.header.keys == (revision["header_keys"] as? [String] ?? []), "\(name)")
                let headerLine = try #require(revision["header_line"] as? String)
                #expect(info.header == (try JSONParser.parse(headerLine)).objectValue, "\(name) header")
                let entries = try #require(revision["entries"] as? [[String: Any]])
                #expect(info.entryCount == entries.count)

                // Browsing verifies the top hash while streaming; every entry matches quilt3's line exactly.
                let browsed = try await engine.browse(
                    BrowseRequest(package: name, registry: registry, revision: .hash(hash), recursive: true))
                #expect(browsed.entries.map(\.logicalKey) == entries.compactMap { $0["logical_key"] as? String })
                for (row, want) in zip(browsed.entries, entries) {
                    let line = try JSONParser.parse(try #require(want["line"] as? String))
                    #expect(row.physicalKey?.url == line["physical_keys"]?[0]?.stringValue)
                    #expect(row.size == line["size"]?.numberValue?.int64Value)
                    #expect(row.hash?.value == line["hash"]?["value"]?.stringValue)
                    #expect(row.meta == line["meta"], "\(name) \(row.logicalKey)")
                }
                // Data quilt3 copied into the registry reads back and matches its hash.
                for row in browsed.entries {
                    guard let key = row.physicalKey, key.scheme == .file, key.path.hasPrefix(generatedRoot),
                        let h = row.hash
                    else { continue }
                    let local = registry.location + String(key.path.dropFirst(generatedRoot.count))
                    guard FileManager.default.fileExists(atPath: local) else { continue }  // big files are omitted
                    #expect(try ObjectHashing.verifyFile(atPath: local, expected: h), "\(local)")
                }
            }
        }
    }

    @Test("Manifests re-serialise to exactly the bytes quilt3 wrote")
    func manifestBytesAreIdentical() throws {
        let dir = try FixtureRegistry.root() + "/registry/.quilt/packages"
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(names.count >= 10)
        for name in names {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/" + name)))
            let manifest = try Manifest.parse(bytes)
            #expect(manifest.topHash.rawValue == name)
            #expect(try manifest.serialized() == bytes, "\(name)")
        }
    }

    @Test("A package created here from the same content has quilt3's top hash (8f6897b4…)")
    func createMatchesQuilt3TopHash() async throws {
        let pool = MemoryStoragePool()
        let registry = try RegistryURL.memory("match")
        let engine = RegistryEngine(backendID: "memory", resolver: LocalStorageResolver(memory: pool, files: .allowed))
        let meta: JSONValue = try JSONParser.parse(#"{"author": "alice", "f": 0.1, "n": 1, "nested": {"a": 1, "b": 2}, "tags": ["x", "y"]}"#)
        let entryMeta: JSONValue = try JSONParser.parse(#"{"rows": 2, "score": 1.5, "ok": true, "none": null, "ünï": "çødé"}"#)
        func e(_ k: String, _ t: String, _ m: JSONValue? = nil) throws -> NewEntry {
            NewEntry(logicalKey: try LogicalKey(k), source: .bytes(Array(t.utf8)), userMeta: m)
        }
        let info = try await engine.createRevision(
            CreateRevisionRequest(
                package: try PackageName("alice/simple"), registry: registry,
                entries: [
                    try e("README.md", "# Simple package\n"), try e("data/a.csv", "x,y\n1,2\n3,4\n", entryMeta),
                    try e("data/nested/deep/b.txt", "hello"), try e("empty.txt", ""), try e("unicodé/ß.txt", "unicode name\n"),
                ], userMeta: meta, message: "first revision"))
        #expect(info.revision.hash.rawValue == "8f6897b482ee9f62471e3950595fcd36d16758a44b1d40e7a4c016a60b4ada30")
    }
}

@Suite("Registry engine: manifest integrity")
struct ManifestIntegrityTests {
    @Test("A manifest edited after it was written is reported, not served", arguments: ["browse", "info"])
    func editedManifestIsRejected(_ operation: String) async throws {
        // Change one entry's size: still valid JSON, still a plausible manifest — but not the one named by the hash.
        let failure = try await Self.readEdited(operation, replacing: #""size": 17,"#, with: #""size": 18,"#)
        let error = try #require(failure, "an edited manifest was served")
        #expect(error.kind == "remote")
        #expect(error.message.contains("corrupt or was edited"))
    }

    /// Physical keys are not part of the top hash, so an unreadable one leaves the hash intact. Reads that only pass
    /// the line through the top-hash fast path (browsing another directory, revision info) once served such a
    /// manifest, while reading the entry itself refused it.
    @Test("A manifest with a physical key quilt3 could not read is refused by browse and info alike", arguments: ["browse", "info"])
    func unreadablePhysicalKeyIsRejected(_ operation: String) async throws {
        let failure = try await Self.readEdited(
            operation, replacing: "file:///tmp/quilt-vectors-registry/alice/simple/README.md", with: "gs://elsewhere/README.md")
        let error = try #require(failure, "a manifest with an unreadable physical key was served")
        #expect(error.message.contains("gs://elsewhere/README.md"), "\(error.message)")
    }

    /// Edits `alice/simple`'s manifest in a copy of the fixture registry, then browses `data/` (which does not hold
    /// README.md, so only the top-hash pass reads that line) or reads the revision's info; the error, if any.
    static func readEdited(_ operation: String, replacing old: String, with new: String) async throws -> QuiltOpsError? {
        let scratch = try FixtureRegistry.scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let (engine, registry) = try FixtureRegistry.engine(copyTo: scratch)
        let hash = "8f6897b482ee9f62471e3950595fcd36d16758a44b1d40e7a4c016a60b4ada30"
        let path = registry.location + "/.quilt/packages/" + hash
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let edited = text.replacingOccurrences(of: old, with: new)
        #expect(edited != text)
        try edited.write(toFile: path, atomically: true, encoding: .utf8)
        let name = try PackageName("alice/simple")
        let top = try TopHash(hash)
        return await Self.failure { () async throws(QuiltOpsError) in
            if operation == "browse" {
                _ = try await engine.browse(BrowseRequest(package: name, registry: registry, revision: .hash(top), path: "data"))
            } else {
                _ = try await engine.revisionInfo(package: name, registry: registry, revision: .hash(top))
            }
        }
    }

    /// The error `body` throws, or nil when it succeeds.
    static func failure(_ body: () async throws(QuiltOpsError) -> Void) async -> QuiltOpsError? {
        do {
            try await body()
            return nil
        } catch {
            return error
        }
    }
}
