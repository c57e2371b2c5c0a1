import FakeCatalog
import Foundation
import QuiltContract
import QuiltHTTP
import QuiltJSON
import QuiltPlatform
import Testing

/// What only the Platform backend has: large revisions through dir(), promote, its refusals.
@Suite("Platform: backend")
struct PlatformBackendTests {
    @Test("A revision over the contents limit is browsed with dir(path): one level, recursively, or one file")
    func largeRevisionThroughDir() async throws {
        let f = try await CatalogFixture.start()
        defer { f.stop() }
        try await f.seed("big/one", [("a/x.txt", "1"), ("a/y.txt", "22"), ("a/b/z.txt", "333"), ("top.txt", "4")])
        let b = f.backend(contentsLimit: 2)
        let name = try PackageName("big/one")
        let root = try await b.browse(BrowseRequest(package: name, registry: f.registry))
        #expect(root.entries.map(\.logicalKey) == ["a/", "top.txt"])
        #expect(root.entries.first?.size == 6 && root.entries.first?.fileCount == nil)
        #expect(root.entries.last?.hash == nil, "dir() lists no hashes")
        let all = try await b.browse(BrowseRequest(package: name, registry: f.registry, recursive: true))
        #expect(all.entries.map(\.logicalKey) == ["a/b/z.txt", "a/x.txt", "a/y.txt", "top.txt"])
        let one = try await b.browse(BrowseRequest(package: name, registry: f.registry, path: "a/y.txt"))
        #expect(one.entries.map(\.logicalKey) == ["a/y.txt"] && one.entries.first?.size == 2)
        let paged = try await b.browse(BrowseRequest(package: name, registry: f.registry, recursive: true, page: try PageRequest(limit: 3)))
        #expect(paged.entries.count == 3 && paged.nextCursor != nil)
        let missing = await caught { _ = try await b.browse(BrowseRequest(package: name, registry: f.registry, path: "nope")) }
        #expect(missing == .notFound(.entry(path: "nope", package: "big/one")))
        #expect(f.catalog.log.count("graphql RevisionDir") >= 4)
        let diff = await caught { _ = try await b.diff(from: (name, .latest), to: (name, .latest), registry: f.registry) }
        #expect(diff == nil, "diff asks for a larger contents map and still works at this size")
    }

    @Test("Small revisions are read once: paging and other directories come from the cache by top hash")
    func contentsAreCached() async throws {
        let f = try await CatalogFixture.start()
        defer { f.stop() }
        let info = try await f.seed("c/p", (0..<50).map { ("d\($0 % 5)/f\($0)", "\($0)") })
        let b = f.backend()
        let name = try PackageName("c/p")
        for d in 0..<5 {
            _ = try await b.browse(BrowseRequest(package: name, registry: f.registry, revision: .hash(info.revision.hash), path: "d\(d)"))
        }
        #expect(f.catalog.log.count("graphql RevisionContents") == 1)
        _ = try await b.browse(BrowseRequest(package: name, registry: f.registry, path: "d1"))
        _ = try await b.browse(BrowseRequest(package: name, registry: f.registry, path: "d2"))
        // The first `latest` read asks for the contents directly (one request); later ones check latest's hash
        // with one small request and use the cache.
        #expect(f.catalog.log.count("graphql RevisionContents") == 2)
        #expect(f.catalog.log.count("graphql RevisionHash") == 2, "one from seeding (the create checks latest), one here")
    }

    @Test("promotePackage copies a revision into another bucket with packagePromote")
    func promote() async throws {
        let f = try await CatalogFixture.start(buckets: ["src-bucket", "dest-bucket"])
        defer { f.stop() }
        let src = try await f.seed("team/data", [("a.csv", "1,2"), ("b/c.txt", "c")], meta: ["k": "v"])
        let dest = try RegistryURL.s3("dest-bucket")
        let copied = try await f.backend().promotePackage(
            PromoteRequest(
                package: try PackageName("team/data"), registry: f.registry, destinationPackage: try PackageName("team/data"),
                destinationRegistry: dest, message: "promoted"))
        #expect(copied.userMeta == ["k": "v"] && copied.message == "promoted")
        let listed = try await f.backend().browse(BrowseRequest(package: try PackageName("team/data"), registry: dest, recursive: true))
        #expect(listed.entries.map(\.logicalKey) == ["a.csv", "b/c.txt"])
        #expect(listed.entries.first?.physicalKey?.bucket == "src-bucket", "the manifest is copied; data stays unless the workflow copies it")
        #expect(f.catalog.log.count("graphql PackagePromote") == 1)
        _ = src
    }

    @Test("A destination prefix is sent where packagePromote takes one and refused, before anything is sent, where it does not",
          arguments: [FakeCatalogSchema.Variant.head, .jul2025, .nov2024])
    func promoteUnderPrefix(_ variant: FakeCatalogSchema.Variant) async throws {
        let f = try await CatalogFixture.start(variant: variant, buckets: ["src-bucket", "dest-bucket"])
        defer { f.stop() }
        _ = try await f.seed("team/data", [("a.csv", "1,2")])
        let request = PromoteRequest(
            package: try PackageName("team/data"), registry: f.registry, destinationPackage: try PackageName("team/data"),
            destinationRegistry: try RegistryURL.s3("dest-bucket"), destinationPrefix: "promoted/")
        let refused = await caught { _ = try await f.backend().promotePackage(request) }
        if variant == .nov2024 {
            #expect(refused?.kind == "unsupported" && refused?.message.contains("destPrefix") == true, "\(String(describing: refused))")
            #expect(f.catalog.log.count("graphql PackagePromote") == 0)
            var plain = request
            plain.destinationPrefix = nil
            _ = try await f.backend().promotePackage(plain)
            #expect(f.catalog.log.count("graphql PackagePromote") == 1, "sent without destPrefix, which the 2024-11 schema lacks")
        } else {
            #expect(refused == nil)
            #expect(f.catalog.log.count("graphql PackagePromote") == 1)
        }
    }

    @Test("Refusals: read-only, non-S3 registries and objects, local object keys, JSON metadata that is not an object")
    func refusals() async throws {
        let f = try await CatalogFixture.start()
        defer { f.stop() }
        let ro = CapabilityGate(f.backend(readOnly: true))
        #expect(!ro.capabilities.contains(.packageWrite) && ro.capabilities.contains(.search))
        let e1 = await caught {
            _ = try await ro.createRevision(CreateRevisionRequest(package: try PackageName("a/b"), registry: f.registry, entries: []))
        }
        #expect(e1 == .unsupported(operation: "createRevision", backend: "platform"))
        let e2 = await caught { _ = try await f.backend().listPackages(registry: try RegistryURL.memory("x"), prefix: "", page: .first) }
        #expect(e2?.kind == "invalid_input")
        let e3 = await caught { _ = try await f.backend().readObject(try PhysicalKey("file:///etc/hosts"), range: nil, maxBytes: 10) }
        #expect(e3?.kind == "invalid_input")
        let e4 = await caught {
            _ = try await f.backend().createRevision(
                CreateRevisionRequest(
                    package: try PackageName("a/b"), registry: f.registry,
                    entries: [NewEntry(logicalKey: try LogicalKey("x"), source: .object(try PhysicalKey("file:///etc/hosts")))]))
        }
        if case .invalidInput(let field, _)? = e4 { #expect(field == "s3_uris") } else { Issue.record("got \(String(describing: e4))") }
        let e5 = await caught {
            _ = try await f.backend().createRevision(
                CreateRevisionRequest(package: try PackageName("a/b"), registry: f.registry, entries: [], userMeta: [1, 2]))
        }
        #expect(e5?.kind == "invalid_input")
        #expect(f.catalog.log.count("graphql PackageConstruct") == 0, "refused before anything was sent")
    }

    @Test("Package listing resumes from its cursor even when earlier packages were deleted meanwhile")
    func listingStepsBack() async throws {
        let f = try await CatalogFixture.start()
        defer { f.stop() }
        let names = (0..<70).map { String(format: "p/n%03d", $0) }
        for n in names { try await f.seed(n, [("f", n)]) }
        let b = f.backend()
        let first = try await b.listPackages(registry: f.registry, prefix: "", page: try PageRequest(limit: 40))
        for n in names.prefix(35) { _ = try await b.deletePackage(package: try PackageName(n), registry: f.registry) }
        let second = try await b.listPackages(registry: f.registry, prefix: "", page: try PageRequest(limit: 40, cursor: first.nextCursor))
        #expect(second.items.map(\.name.rawValue) == Array(names.suffix(30)))
        #expect(second.nextCursor == nil)
        let missing = await caught { _ = try await b.listPackages(registry: try RegistryURL.s3("no-such-bucket"), prefix: "", page: .first) }
        #expect(missing == .notFound(.registry("s3://no-such-bucket")))
    }
}
