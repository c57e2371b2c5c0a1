import Foundation
import QuiltContract
import QuiltHash
import QuiltJSON
import QuiltTestSupport
import Testing

/// Round trips and metadata fidelity: what goes in comes out, byte for byte and value for value.
@Suite("Conformance: packages")
struct PackageScenarios {
    @Test("Create from bytes and a local file, then browse and info return the same entries", arguments: Backends.supporting(.packageWrite))
    func createThenBrowse(_ backend: BackendUnderTest) async throws {
        try await backend.run("packages.create.then-browse") { s in
            let path = try s.localFile("b.txt", "hello")
            let info = try await s.ops.createRevision(
                CreateRevisionRequest(
                    package: try PackageName("alice/simple"), registry: s.registry,
                    entries: [
                        NewEntry(logicalKey: try LogicalKey("data/a.csv"), source: .bytes(Array("x,y\n1,2\n3,4\n".utf8))),
                        NewEntry(logicalKey: try LogicalKey("data/nested/deep/b.txt"), source: .localFile(path: path)),
                        NewEntry(logicalKey: try LogicalKey("empty.txt"), source: .bytes([])),
                    ], userMeta: ["author": "alice"], message: "first"))
            #expect(info.entryCount == 3)
            #expect(info.totalBytes == 17)
            #expect(info.message == "first")
            #expect(info.pointers.contains("latest"))

            let all = try await s.browseAll("alice/simple")
            #expect(all.map(\.logicalKey) == ["data/a.csv", "data/nested/deep/b.txt", "empty.txt"])
            let b = try #require(all.first { $0.logicalKey == "data/nested/deep/b.txt" })
            #expect(b.size == 5)
            #expect(b.hash == ObjectHash(type: "sha2-256-chunked", value: "lZXJ35AHUUjrBoYDZd8zWEt1v/eCpRDGzUiDpBmDPVA="))
            let empty = try #require(all.first { $0.logicalKey == "empty.txt" })
            #expect(empty.hash?.value == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")

            let root = try await s.ops.browse(
                BrowseRequest(package: try PackageName("alice/simple"), registry: s.registry))
            #expect(root.entries.map(\.logicalKey) == ["data/", "empty.txt"])
            #expect(root.entries.first?.kind == .directory)
            #expect(root.entries.first?.fileCount == 2)
            #expect(root.entries.first?.size == 17)

            let read = try await s.ops.revisionInfo(
                package: try PackageName("alice/simple"), registry: s.registry, revision: .latest)
            #expect(read.revision.hash == info.revision.hash)
            #expect(read.userMeta == ["author": "alice"])

            // The bytes behind each physical key are the bytes that went in.
            let data = try await s.ops.readObject(try #require(b.physicalKey), range: nil, maxBytes: 100)
            #expect(String(decoding: data.bytes, as: UTF8.self) == "hello")
        }
    }

    @Test("A local directory as a source adds every file below it under its name, as quilt3's set_dir; an empty one is refused",
          arguments: Backends.supporting(.packageWrite))
    func localDirectory(_ backend: BackendUnderTest) async throws {
        try await backend.run("packages.create.local-directory") { s in
            let dir = s.scratch + "/data"
            try FileManager.default.createDirectory(atPath: dir + "/sub dir", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: s.scratch + "/empty", withIntermediateDirectories: true)
            for (name, text) in [("a.csv", "x,y\n"), ("sub dir/b.txt", "bee"), (".hidden", "h")] {
                try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/" + name))
            }
            let name = try PackageName("dir/p")
            _ = try await s.ops.createRevision(
                CreateRevisionRequest(
                    package: name, registry: s.registry,
                    entries: [NewEntry(logicalKey: try LogicalKey("data"), source: .localFile(path: dir)),
                              NewEntry(logicalKey: try LogicalKey("top.txt"), source: .bytes(Array("t".utf8)))]))
            let listed = try await s.browseAll("dir/p")
            #expect(listed.map(\.logicalKey) == ["data/.hidden", "data/a.csv", "data/sub dir/b.txt", "top.txt"])
            #expect(listed.map(\.size) == [1, 4, 3, 1])
            let error = await expectError("invalid_input") {
                _ = try await s.ops.createRevision(
                    CreateRevisionRequest(
                        package: try PackageName("dir/empty"), registry: s.registry,
                        entries: [NewEntry(logicalKey: try LogicalKey("e"), source: .localFile(path: s.scratch + "/empty"))]))
            }
            #expect(error?.message.contains("no files") == true, "\(String(describing: error))")
            let packages = try await s.ops.listPackages(registry: s.registry, prefix: "dir/", page: .first)
            #expect(packages.items.map(\.name.rawValue) == ["dir/p"])
        }
    }

    @Test("Metadata keeps unicode keys, exact numbers and null-versus-absent", arguments: Backends.all)
    func metadataFidelity(_ backend: BackendUnderTest) async throws {
        try await backend.run("packages.metadata.fidelity") { s in
            let meta: JSONValue = try JSONParser.parse(
                #"{"ünï":"çødé","big":123456789012345678901234567890,"f16":1e16,"small":1e-5,"tenth":0.1,"neg0":-0.0,"nested":{"z":[1,2.5,null,true]},"emoji":"😀","nothing":null}"#)
            let withMeta = try await s.seed(
                "meta/full", files: [("a.txt", "a"), ("b.txt", "b"), ("c.txt", "c")], userMeta: meta,
                entryMeta: ["a.txt": .null, "b.txt": ["k": 1]])
            let withNull = try await s.seed("meta/null", files: [("a.txt", "a")], userMeta: .null)
            let absent = try await s.seed("meta/absent", files: [("a.txt", "a")], userMeta: nil)

            let full = try await s.ops.revisionInfo(
                package: try PackageName("meta/full"), registry: s.registry, revision: .latest)
            #expect(full.userMeta == meta)
            #expect(full.header.keys == ["version", "user_meta", "message"])
            #expect(full.revision.hash == withMeta.revision.hash)

            let null = try await s.ops.revisionInfo(
                package: try PackageName("meta/null"), registry: s.registry, revision: .latest)
            #expect(null.userMeta == .null)
            let none = try await s.ops.revisionInfo(
                package: try PackageName("meta/absent"), registry: s.registry, revision: .latest)
            #expect(none.userMeta == nil)
            // null and absent are different revisions.
            #expect(withNull.revision.hash != absent.revision.hash)

            let entries = try await s.browseAll("meta/full")
            #expect(entries.first { $0.logicalKey == "a.txt" }?.meta == ["user_meta": .null])
            #expect(entries.first { $0.logicalKey == "b.txt" }?.userMeta == ["k": 1])
            #expect(entries.first { $0.logicalKey == "c.txt" }?.meta == .object([:]))
        }
    }

    @Test("Browsing one directory pages through a large package in tree order", arguments: Backends.all)
    func largeBrowse(_ backend: BackendUnderTest) async throws {
        try await backend.run("packages.browse.large") { s in
            var files: [(String, String)] = []
            for d in 0..<20 {
                for f in 0..<100 { files.append(("part-\(d)/file-\(f).csv", "\(d),\(f)")) }
            }
            files.append(("README.md", "# big"))
            try await s.seed("big/pkg", files: files)
            let root = try await s.browseAll("big/pkg", recursive: false)
            #expect(root.count == 21)
            #expect(root.filter { $0.kind == .directory }.allSatisfy { $0.fileCount == 100 })
            let one = try await s.browseAll("big/pkg", path: "part-7", recursive: false, pageSize: 30)
            #expect(one.count == 100)
            #expect(one.map(\.logicalKey) == one.map(\.logicalKey).sorted { LogicalKey.treeOrderPrecedes($0, $1) })
            #expect(Set(one.map(\.logicalKey)).count == 100)
            #expect(one.allSatisfy { $0.logicalKey.hasPrefix("part-7/") })
            let everything = try await s.browseAll("big/pkg", pageSize: 333)
            #expect(everything.count == 2001)
            // Tree order: "part-1/…" before "part-10/…" (components compare, '/' is not a character here).
            let firstTwoDirs = everything.map { String($0.logicalKey.split(separator: "/")[0]) }
            #expect(Array(Set(firstTwoDirs)).count == 21)
            #expect(everything.first?.logicalKey == "README.md")
            // Asking for one file by its key lists that file.
            let single = try await s.ops.browse(
                BrowseRequest(package: try PackageName("big/pkg"), registry: s.registry, path: "part-3/file-9.csv"))
            #expect(single.entries.map(\.logicalKey) == ["part-3/file-9.csv"])
        }
    }

    @Test("Updates add, replace and remove entries and merge metadata", arguments: Backends.supporting(.packageWrite))
    func updateChanges(_ backend: BackendUnderTest) async throws {
        try await backend.run("packages.update.changes") { s in
            let first = try await s.seed(
                "bob/data", files: [("keep.txt", "k"), ("old.txt", "o"), ("dir/x.txt", "x"), ("dir/y.txt", "y")],
                userMeta: ["a": 1, "b": 2])
            let updated = try await s.ops.updateRevision(
                UpdateRevisionRequest(
                    package: try PackageName("bob/data"), registry: s.registry,
                    put: [
                        NewEntry(logicalKey: try LogicalKey("old.txt"), source: .bytes(Array("new".utf8))),
                        NewEntry(logicalKey: try LogicalKey("added.txt"), source: .bytes(Array("+".utf8)), userMeta: ["n": 1]),
                    ], remove: ["dir/"], metadata: .merge(["b": 3, "c": .null]), message: "second"))
            #expect(updated.revision.hash != first.revision.hash)
            let keys = try await s.browseAll("bob/data").map(\.logicalKey)
            #expect(keys == ["added.txt", "keep.txt", "old.txt"])
            #expect(updated.userMeta == ["a": 1, "b": 3, "c": .null])
            #expect(updated.message == "second")
            let diff = try await s.ops.diff(
                from: (try PackageName("bob/data"), .hash(first.revision.hash)),
                to: (try PackageName("bob/data"), .latest), registry: s.registry)
            #expect(diff.added.map(\.logicalKey) == ["added.txt"])
            #expect(diff.removed.map(\.logicalKey) == ["dir/x.txt", "dir/y.txt"])
            #expect(diff.modified.map(\.logicalKey) == ["old.txt"])
            #expect(diff.metadataChanged)
        }
    }

    @Test("An update from a stale revision conflicts and leaves latest alone", arguments: Backends.supporting(.packageWrite))
    func updateConflict(_ backend: BackendUnderTest) async throws {
        try await backend.run("packages.update.conflict") { s in
            let first = try await s.seed("c/c", files: [("a", "1")])
            let second = try await s.seed("c/c", files: [("a", "2")])
            await expectError("conflict") {
                _ = try await s.ops.updateRevision(
                    UpdateRevisionRequest(
                        package: try PackageName("c/c"), registry: s.registry, base: .hash(first.revision.hash),
                        put: [NewEntry(logicalKey: try LogicalKey("b"), source: .bytes([1]))]))
            }
            let latest = try await s.ops.resolve(package: try PackageName("c/c"), registry: s.registry, revision: .latest)
            #expect(latest.hash == second.revision.hash)
            await expectError("conflict") {
                _ = try await s.ops.createRevision(
                    CreateRevisionRequest(
                        package: try PackageName("c/c"), registry: s.registry,
                        entries: [NewEntry(logicalKey: try LogicalKey("z"), source: .bytes([]))]))
            }
        }
    }
}
