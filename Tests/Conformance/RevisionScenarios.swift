import Foundation
import QuiltContract
import QuiltJSON
import QuiltTestSupport
import Testing

/// Revisions, `latest`, resolution by tag and hash prefix, deletion semantics and listing pagination.
@Suite("Conformance: revisions")
struct RevisionScenarios {
    @Test("Revisions list newest first and latest follows the newest push", arguments: Backends.all)
    func revisionsOrder(_ backend: BackendUnderTest) async throws {
        try await backend.run("revisions.order-and-latest") { s in
            let r1 = try await s.seed("r/p", files: [("a", "1")])
            let r2 = try await s.seed("r/p", files: [("a", "2")])
            let r3 = try await s.seed("r/p", files: [("a", "3")])
            let name = try PackageName("r/p")
            let page = try await s.ops.listRevisions(package: name, registry: s.registry, page: .first)
            #expect(page.items.map(\.hash) == [r3.revision.hash, r2.revision.hash, r1.revision.hash])
            #expect(page.items.first?.tags == ["latest"])
            #expect(page.items.dropFirst().allSatisfy { $0.tags.isEmpty })
            let dates = page.items.compactMap(\.modified)
            #expect(dates.count == 3)
            #expect(dates == dates.sorted(by: >))
            // A timestamp tag resolves to its revision.
            let stamp = try #require(page.items.last?.timestamps.first)
            let byTag = try await s.ops.resolve(package: name, registry: s.registry, revision: .tag(stamp))
            #expect(byTag.hash == r1.revision.hash)
            let latest = try await s.ops.resolve(package: name, registry: s.registry, revision: .latest)
            #expect(latest.hash == r3.revision.hash)
            // Paging one at a time gives the same order.
            var hashes: [TopHash] = []
            var cursor: String? = nil
            repeat {
                let p = try await s.ops.listRevisions(
                    package: name, registry: s.registry, page: try PageRequest(limit: 1, cursor: cursor))
                hashes += p.items.map(\.hash)
                cursor = p.nextCursor
            } while cursor != nil
            #expect(hashes == page.items.map(\.hash))
        }
    }

    @Test("A unique hash prefix resolves; an ambiguous one is an invalid-input error listing the matches", arguments: Backends.all)
    func hashPrefix(_ backend: BackendUnderTest) async throws {
        try await backend.run("revisions.resolve.hash-prefix") { s in
            // These two header-only revisions have top hashes starting with 786252 (found with Python's hashlib).
            let name = try PackageName("h/p")
            let a = try await s.seeder.createRevision(
                CreateRevisionRequest(package: name, registry: s.registry, entries: [], message: "ambiguous-5596", force: true))
            let b = try await s.seeder.createRevision(
                CreateRevisionRequest(package: name, registry: s.registry, entries: [], message: "ambiguous-6552", force: true))
            #expect(a.revision.hash.rawValue == "7862529d44e4004c965bde1e309bf0f25af1b82b28fba11a872101c1dc413c27")
            #expect(b.revision.hash.rawValue == "78625270cc61b10cd97f66ee768fba9b97d7b09fe92a36dc9a2b2a3f843e93d2")
            let unique = try await s.ops.resolve(
                package: name, registry: s.registry, revision: try RevisionRef.parse(topHash: "7862529d", tag: nil))
            #expect(unique.hash == a.revision.hash)
            let error = await expectError("invalid_input") {
                _ = try await s.ops.resolve(
                    package: name, registry: s.registry, revision: try RevisionRef.parse(topHash: "786252", tag: nil))
            }
            #expect(error?.message.contains("7862529d44e4") == true)
            #expect(error?.message.contains("78625270cc61") == true)
            await expectError("not_found") {
                _ = try await s.ops.resolve(
                    package: name, registry: s.registry, revision: try RevisionRef.parse(topHash: "abcdef", tag: nil))
            }
            await expectError("invalid_input") { _ = try RevisionRef.parse(topHash: "78625", tag: nil) }
        }
    }

    @Test("Deleting the latest revision moves latest to the newest remaining; manifests stay", arguments: Backends.supporting(.packageDelete))
    func deleteRevision(_ backend: BackendUnderTest) async throws {
        try await backend.run("revisions.delete.moves-latest") { s in
            let name = try PackageName("d/p")
            let r1 = try await s.seed("d/p", files: [("a", "1")])
            let r2 = try await s.seed("d/p", files: [("a", "2")])
            let result = try await s.ops.deleteRevision(package: name, registry: s.registry, revision: .latest)
            #expect(result.latest == r1.revision.hash)
            let latest = try await s.ops.resolve(package: name, registry: s.registry, revision: .latest)
            #expect(latest.hash == r1.revision.hash)
            let revisions = try await s.ops.listRevisions(package: name, registry: s.registry, page: .first)
            #expect(revisions.items.map(\.hash) == [r1.revision.hash])
            // quilt3 semantics: the manifest itself is kept and still browsable by hash.
            let old = try await s.browseAll("d/p", revision: .hash(r2.revision.hash))
            #expect(old.map(\.logicalKey) == ["a"])
            // Deleting the whole package removes it from listings.
            let gone = try await s.ops.deletePackage(package: name, registry: s.registry)
            #expect(gone.latest == nil)
            let listed = try await s.ops.listPackages(registry: s.registry, prefix: "", page: .first)
            #expect(!listed.items.map(\.name).contains(name))
            await expectError("not_found") {
                _ = try await s.ops.resolve(package: name, registry: s.registry, revision: .latest)
            }
        }
    }

    @Test("After the latest revision is deleted, the package listing's modified date is the new latest revision's",
          arguments: Backends.supporting(.packageDelete))
    func modifiedAfterDelete(_ backend: BackendUnderTest) async throws {
        try await backend.run("revisions.delete.modified") { s in
            let name = try PackageName("m/p")
            _ = try await s.seed("m/p", files: [("a", "1")])
            _ = try await s.seed("m/p", files: [("a", "2")])
            _ = try await s.ops.deleteRevision(package: name, registry: s.registry, revision: .latest)
            let info = try await s.ops.revisionInfo(package: name, registry: s.registry, revision: .latest)
            let listed = try await s.ops.listPackages(registry: s.registry, prefix: "m/", page: .first)
            let summary = try #require(listed.items.first { $0.name == name })
            #expect(summary.modified != nil && summary.modified == info.modified,
                    "packages_list says \(String(describing: summary.modified)), package_info \(String(describing: info.modified))")
        }
    }

    @Test("Package listing pages are stable when packages are added between pages", arguments: Backends.all)
    func listPagination(_ backend: BackendUnderTest) async throws {
        try await backend.run("packages.list.pagination-stable") { s in
            for n in ["a/one", "a/three", "b/two", "c/four", "c/five"] { try await s.seed(n, files: [("f", n)]) }
            let first = try await s.ops.listPackages(registry: s.registry, prefix: "", page: try PageRequest(limit: 2))
            #expect(first.items.count == 2)
            try await s.seed("a/aaa", files: [("f", "late")])  // sorts before the cursor: must not appear later
            var names = first.items.map(\.name.rawValue)
            var cursor = first.nextCursor
            while let c = cursor {
                let page = try await s.ops.listPackages(
                    registry: s.registry, prefix: "", page: try PageRequest(limit: 2, cursor: c))
                names += page.items.map(\.name.rawValue)
                cursor = page.nextCursor
            }
            #expect(names == ["a/one", "a/three", "b/two", "c/five", "c/four"])
            let filtered = try await s.ops.listPackages(registry: s.registry, prefix: "c/", page: .first)
            #expect(filtered.items.map(\.name.rawValue) == ["c/five", "c/four"])
            #expect(filtered.items.allSatisfy { $0.modified != nil })
        }
    }
}
