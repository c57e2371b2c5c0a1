import Foundation
import QuiltContract
import QuiltJSON
import QuiltTestSupport
import Testing

/// Objects, search, auth, and the capability contract.
@Suite("Conformance: objects and capabilities")
struct ObjectAndCapabilityScenarios {
    @Test("Objects put, head, read by range and list by prefix and delimiter", arguments: Backends.supporting(.objectWrite, .objectListing))
    func objectRoundTrip(_ backend: BackendUnderTest) async throws {
        try await backend.run("objects.round-trip") { s in
            for key in ["docs/readme.txt", "docs/sub/deep.txt", "top.txt"] {
                _ = try await s.ops.putObject(
                    ObjectPut(key: s.registry.physicalKey(key), bytes: Array("content of \(key)".utf8), contentType: "text/plain"))
            }
            let info = try await s.ops.headObject(s.registry.physicalKey("top.txt"))
            #expect(info.size == 18)
            let part = try await s.ops.readObject(
                s.registry.physicalKey("top.txt"), range: try ByteRange(offset: 11, length: 3), maxBytes: 100)
            #expect(String(decoding: part.bytes, as: UTF8.self) == "top")
            let capped = try await s.ops.readObject(s.registry.physicalKey("top.txt"), range: nil, maxBytes: 7)
            #expect(capped.bytes.count == 7)
            let level = try await s.ops.listObjects(ObjectListRequest(root: s.registry, prefix: "docs/", delimiter: "/"))
            #expect(level.objects.map(\.key) == [s.registry.physicalKey("docs/readme.txt")])
            #expect(level.prefixes == ["docs/sub/"])
            let all = try await s.ops.listObjects(ObjectListRequest(root: s.registry, prefix: "", delimiter: nil))
            #expect(all.objects.map(\.key) == ["docs/readme.txt", "docs/sub/deep.txt", "top.txt"].map { s.registry.physicalKey($0) })
            var paged: [String] = []
            var cursor: String? = nil
            repeat {
                let p = try await s.ops.listObjects(
                    ObjectListRequest(root: s.registry, prefix: "", delimiter: nil, page: try PageRequest(limit: 1, cursor: cursor)))
                paged += p.objects.map(\.key.path)
                cursor = p.nextCursor
            } while cursor != nil
            #expect(paged == all.objects.map(\.key.path))
        }
    }

    @Test("Auth status answers without throwing", arguments: Backends.all)
    func authStatus(_ backend: BackendUnderTest) async throws {
        try await backend.run("auth.status") { s in
            let status = try await s.ops.authStatus()
            #expect(!status.method.isEmpty)
            #expect(!status.detail.isEmpty)
        }
    }

    @Test("An operation outside the declared capabilities throws unsupported, never an empty result", arguments: Backends.lacking)
    func unsupported(_ backend: BackendUnderTest, _ capability: Capability) async throws {
        try await backend.run("capabilities.unsupported") { s in
            try await s.seed("u/p", files: [("a", "a")])
            let name = try PackageName("u/p")
            if capability == .presign {
                // Without presign, locating may still give a local location, but never a presigned URL.
                let key = try #require(try await s.browseAll("u/p").first?.physicalKey)
                do {
                    let link = try await s.ops.locateObject(key, expiresIn: 60)
                    #expect(link.kind == .local)
                } catch let error as QuiltOpsError {
                    #expect(error.kind == "unsupported", "got \(error)")
                }
                return
            }
            let error = await expectError("unsupported") {
                switch capability {
                case .packageWrite:
                    _ = try await s.ops.createRevision(
                        CreateRevisionRequest(
                            package: name, registry: s.registry,
                            entries: [NewEntry(logicalKey: try LogicalKey("b"), source: .bytes([]))], force: true))
                case .packageDelete:
                    _ = try await s.ops.deletePackage(package: name, registry: s.registry)
                case .search:
                    _ = try await s.ops.search(SearchRequest(query: "u", registries: [s.registry]))
                case .presign:
                    break
                case .objectListing:
                    _ = try await s.ops.listObjects(ObjectListRequest(root: s.registry))
                case .objectWrite:
                    _ = try await s.ops.putObject(ObjectPut(key: s.registry.physicalKey("x"), bytes: [1]))
                case .bucketListing:
                    _ = try await s.ops.listBuckets()
                }
            }
            if case .unsupported(_, let id)? = error { #expect(id == s.ops.backendID.rawValue) }
            if capability == .search {
                _ = await expectError("unsupported") { _ = try await s.ops.explainSearch(SearchRequest(query: "u", registries: [s.registry])) }
            }
            // The refused write changed nothing.
            let latest = try await s.ops.revisionInfo(package: name, registry: s.registry, revision: .latest)
            #expect(latest.entryCount == 1)
        }
    }

    @Test("A read-only deployment refuses every write naming its setting, whatever the backend can do, and nothing changes",
          arguments: Backends.supporting(.packageWrite, .packageDelete))
    func readOnlyDeployment(_ backend: BackendUnderTest) async throws {
        try await backend.run("capability.read-only") { s in
            try await s.seed("ro/pkg", files: [("a", "1")])
            let name = try PackageName("ro/pkg")
            let gate = CapabilityGate(s.ops, readOnly: "--read-only, QUILT_MCP_READ_ONLY")
            var writes: [(String, () async throws -> Void)] = [
                ("createRevision", {
                    _ = try await gate.createRevision(
                        CreateRevisionRequest(
                            package: name, registry: s.registry, entries: [NewEntry(logicalKey: try LogicalKey("b"), source: .bytes([2]))],
                            force: true))
                }),
                ("deletePackage", { _ = try await gate.deletePackage(package: name, registry: s.registry) }),
            ]
            if backend.capabilities.contains(.objectWrite) {
                writes.append(("putObject", { _ = try await gate.putObject(ObjectPut(key: s.registry.physicalKey("x"), bytes: [1])) }))
            }
            for (operation, write) in writes {
                let error = await expectError("unsupported") { try await write() }
                #expect(error == .readOnly(operation: operation, setting: "--read-only, QUILT_MCP_READ_ONLY"), "\(String(describing: error))")
            }
            // Reads go through, and see nothing changed.
            let latest = try await gate.revisionInfo(package: name, registry: s.registry, revision: .latest)
            #expect(latest.entryCount == 1)
            #expect(try await gate.listRevisions(package: name, registry: s.registry, page: .first).items.count == 1)
        }
    }

    @Test("Every capability has a backend that offers it and one that refuses it")
    func capabilitiesAreExercisedBothWays() {
        for capability in Capability.allCases where capability != .presign {
            #expect(Backends.all.contains { $0.capabilities.contains(capability) }, "\(capability) never offered")
        }
        for capability in Capability.allCases {
            #expect(Backends.lacking.contains { $0.1 == capability }, "\(capability) never refused")
        }
    }
}
