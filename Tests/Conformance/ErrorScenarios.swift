import Foundation
import QuiltContract
import QuiltTestSupport
import Testing

/// Failures are typed and say which thing was wrong.
@Suite("Conformance: errors")
struct ErrorScenarios {
    @Test("Missing packages, revisions, paths and objects are typed not-found errors", arguments: Backends.all)
    func notFound(_ backend: BackendUnderTest) async throws {
        try await backend.run("errors.not-found-typed") { s in
            try await s.seed("e/p", files: [("dir/a.txt", "a")])
            let e1 = await expectError("not_found") {
                _ = try await s.ops.revisionInfo(package: try PackageName("e/missing"), registry: s.registry, revision: .latest)
            }
            #expect(e1 == .notFound(.package(name: "e/missing", registry: s.registry.url)))
            await expectError("not_found") {
                _ = try await s.ops.resolve(package: try PackageName("e/p"), registry: s.registry, revision: .tag("1000000000"))
            }
            await expectError("not_found") {
                _ = try await s.ops.resolve(
                    package: try PackageName("e/p"), registry: s.registry,
                    revision: .hash(try TopHash(String(repeating: "0", count: 64))))
            }
            let e4 = await expectError("not_found") {
                _ = try await s.ops.browse(BrowseRequest(package: try PackageName("e/p"), registry: s.registry, path: "nope"))
            }
            #expect(e4 == .notFound(.entry(path: "nope", package: "e/p")))
            let entries = try await s.browseAll("e/p")
            let key = try #require(entries.first?.physicalKey)
            let missing = try PhysicalKey(key.url.replacingOccurrences(of: "a.txt", with: "zzz.txt"))
            await expectError("not_found") { _ = try await s.ops.headObject(missing) }
            await expectError("not_found") { _ = try await s.ops.readObject(missing, range: nil, maxBytes: 10) }
        }
    }

    @Test("Malformed names, keys, hashes, URLs and cursors are typed invalid-input errors naming the field", arguments: Backends.all)
    func invalidInput(_ backend: BackendUnderTest) async throws {
        try await backend.run("errors.invalid-input-typed") { s in
            let cases: [(String, () throws -> Void)] = [
                ("package_name", { _ = try PackageName("no-slash") }),
                ("package_name", { _ = try PackageName("a/b/c") }),
                ("package_name", { _ = try PackageName("a/b\n") }),
                ("package_name", { _ = try PackageName("a.b/c") }),
                ("logical_key", { _ = try LogicalKey("a//b") }),
                ("logical_key", { _ = try LogicalKey("../etc/passwd") }),
                ("top_hash", { _ = try TopHash("xyz") }),
                ("registry", { _ = try RegistryURL("s3://bucket/prefix") }),
                ("registry", { _ = try RegistryURL("relative/path") }),
                ("physical_key", { _ = try PhysicalKey("s3://b/k?foo=bar") }),
                ("limit", { _ = try PageRequest(limit: 0) }),
            ]
            for (field, body) in cases {
                do {
                    try body()
                    Issue.record("expected invalid \(field)")
                } catch let QuiltOpsError.invalidInput(f, reason) {
                    #expect(f == field, "\(reason)")
                    #expect(!reason.isEmpty)
                }
            }
            try await s.seed("e/p", files: [("a", "a")])
            let bad = await expectError("invalid_input") {
                _ = try await s.ops.browse(
                    BrowseRequest(
                        package: try PackageName("e/p"), registry: s.registry,
                        page: try PageRequest(limit: 10, cursor: "not-a-cursor!")))
            }
            if case .invalidInput(let field, _)? = bad { #expect(field == "cursor") }
        }
    }

    @Test("Creating with a duplicate logical key or a missing local file fails and creates nothing", arguments: Backends.supporting(.packageWrite))
    func writeErrors(_ backend: BackendUnderTest) async throws {
        try await backend.run("errors.write-inputs") { s in
            let name = try PackageName("w/p")
            await expectError("invalid_input") {
                _ = try await s.ops.createRevision(
                    CreateRevisionRequest(
                        package: name, registry: s.registry,
                        entries: [
                            NewEntry(logicalKey: try LogicalKey("a"), source: .bytes([1])),
                            NewEntry(logicalKey: try LogicalKey("a"), source: .bytes([2])),
                        ]))
            }
            await expectError("not_found") {
                _ = try await s.ops.createRevision(
                    CreateRevisionRequest(
                        package: name, registry: s.registry,
                        entries: [NewEntry(logicalKey: try LogicalKey("a"), source: .localFile(path: s.scratch + "/missing"))]))
            }
            await expectError("not_found") {
                _ = try await s.ops.resolve(package: name, registry: s.registry, revision: .latest)
            }
        }
    }
}
