import FakeCatalog
import Foundation
import QuiltContract
import QuiltHTTP
import QuiltJSON
import QuiltPlatform
import QuiltS3
import Synchronization
import Testing

/// The catalog client's contract: discovery once, typed errors, retries for queries only, schema drift.
@Suite("Platform: catalog client")
struct CatalogClientTests {
    @Test("config.json is fetched once per catalog, however many backends and calls; the registry URL override skips it")
    func discoveryIsCached() async throws {
        let f = try await CatalogFixture.start()
        defer { f.stop() }
        try await f.seed("a/b", [("x", "1")])
        for _ in 0..<3 {
            let b = f.backend()  // a new backend per call, as HTTP deployments make them
            _ = try await b.listPackages(registry: f.registry, prefix: "", page: .first)
            _ = try await b.revisionInfo(package: try PackageName("a/b"), registry: f.registry, revision: .latest)
        }
        #expect(f.catalog.log.count("GET /config.json") == 1)
        f.catalog.log.reset()
        let direct = PlatformBackend(
            configuration: PlatformConfiguration(
                catalogURL: nil, registryURL: f.catalog.url, bearerToken: f.token, transport: LiveHTTPTransport.shared, retry: .none,
                directory: CatalogDirectory()))
        _ = try await direct.listPackages(registry: f.registry, prefix: "", page: .first)
        #expect(f.catalog.log.count("GET /config.json") == 0)
    }

    @Test("401 is unauthenticated (expired, badly signed or missing token); 403 is forbidden")
    func authErrors() async throws {
        let f = try await CatalogFixture.start()
        defer { f.stop() }
        let expired = try await f.catalog.auth.mint(subject: "old", expiresIn: -60)
        let e1 = await caught { _ = try await f.backend(token: expired).listPackages(registry: f.registry, prefix: "", page: .first) }
        #expect(e1?.kind == "unauthenticated")
        let forged = try await FakeAuth(key: "another-key-entirely-0123456789abcdef").mint(subject: "mallory")
        let e2 = await caught { _ = try await f.backend(token: forged).listPackages(registry: f.registry, prefix: "", page: .first) }
        #expect(e2?.kind == "unauthenticated")
        f.catalog.faults.setTokensExpired(true)
        let e3 = await caught { _ = try await f.backend().listPackages(registry: f.registry, prefix: "", page: .first) }
        #expect(e3?.kind == "unauthenticated")
        let status = try await f.backend().authStatus()
        #expect(!status.authenticated && status.detail.contains("401"))
        f.catalog.faults.setTokensExpired(false)
        let me = try await f.backend().authStatus()
        #expect(me.authenticated && me.identity == "alice@example.com" && me.method == "jwt")

        let forbidden = ScriptedTransport { _, _ in json(403, #"{"message":"role may not read this bucket"}"#) }
        let b = PlatformBackend(
            configuration: PlatformConfiguration(catalogURL: nil, registryURL: "http://r.invalid", bearerToken: "t", transport: forbidden, retry: .none))
        let e4 = await caught { _ = try await b.listPackages(registry: f.registry, prefix: "", page: .first) }
        #expect(e4?.kind == "forbidden")
        #expect(e4?.message.contains("role may not read this bucket") == true)
    }

    @Test("GraphQL errors[] become a typed error carrying every message")
    func graphQLErrors() async throws {
        let two = ScriptedTransport { _, _ in json(200, #"{"data":null,"errors":[{"message":"first thing"},{"message":"second thing"}]}"#) }
        let b = PlatformBackend(
            configuration: PlatformConfiguration(catalogURL: nil, registryURL: "http://r.invalid", bearerToken: "t", transport: two, retry: .none))
        let e = await caught { _ = try await b.listPackages(registry: try RegistryURL.s3("b-b"), prefix: "", page: .first) }
        #expect(e?.message.contains("GraphQL PackageList failed: first thing; second thing") == true)
        #expect(two.count == 1, "errors[] are not transient: no retry")

        let f = try await CatalogFixture.start()
        defer { f.stop() }
        f.catalog.faults.graphQLErrorsNext(1)
        let e2 = await caught { _ = try await f.backend().listPackages(registry: f.registry, prefix: "", page: .first) }
        #expect(e2?.message.contains("injected GraphQL failure") == true)
    }

    @Test("InvalidInput and OperationError union results map to typed errors")
    func unionErrors() async throws {
        let invalid = ScriptedTransport { request, _ in
            let body = String(decoding: request.body, as: UTF8.self)
            if body.contains("PackageConstruct") {
                return json(200, #"{"data":{"packageConstruct":{"__typename":"InvalidInput","errors":[{"path":"params.message","message":"message must be non-empty","name":"ValidationError","context":null}]}}}"#)
            }
            if body.contains("PackageRevisionDelete") {
                return json(200, #"{"data":{"packageRevisionDelete":{"__typename":"OperationError","message":"pointer is locked","name":"Locked","context":null}}}"#)
            }
            if body.contains("PackageRevisions") {
                return json(200, #"{"data":{"package":{"latest":{"hash":"\#(String(repeating: "a", count: 64))"},"revisions":{"total":1,"page":[{"hash":"\#(String(repeating: "a", count: 64))","modified":"2026-11-21T20:00:00+00:00"}]}}}}"#)
            }
            return json(200, #"{"data":{"package":null}}"#)
        }
        let b = PlatformBackend(
            configuration: PlatformConfiguration(catalogURL: nil, registryURL: "http://r.invalid", bearerToken: "t", transport: invalid, retry: .none))
        let registry = try RegistryURL.s3("b-b")
        let e = await caught {
            _ = try await b.createRevision(CreateRevisionRequest(package: try PackageName("a/b"), registry: registry, entries: [], message: "m"))
        }
        #expect(e == .invalidInput(field: "params.message", reason: "message must be non-empty"))
        let e2 = await caught { _ = try await b.deletePackage(package: try PackageName("a/b"), registry: registry) }
        #expect(e2?.kind == "remote" && e2?.message.contains("Locked") == true && e2?.message.contains("pointer is locked") == true)
    }

    @Test("Queries retry 5xx and cut-off answers with backoff; mutations are sent once")
    func retries() async throws {
        let f = try await CatalogFixture.start()
        defer { f.stop() }
        try await f.seed("r/p", [("a", "1")])
        let sleeps = SleepLog()
        f.catalog.faults.failNext(2, status: 503, paths: ["/graphql"])
        let page = try await f.backend(retry: sleeps.policy).listPackages(registry: f.registry, prefix: "", page: .first)
        #expect(page.items.map(\.name.rawValue) == ["r/p"])
        #expect(sleeps.count == 2)
        f.catalog.faults.truncateNext(1, paths: ["/graphql"])
        _ = try await f.backend(retry: sleeps.policy).revisionInfo(package: try PackageName("r/p"), registry: f.registry, revision: .latest)
        #expect(sleeps.count == 3)
        f.catalog.faults.failNext(9, status: 502, paths: ["/graphql"])
        let gaveUp = await caught { _ = try await f.backend(retry: sleeps.policy).listPackages(registry: f.registry, prefix: "", page: .first) }
        #expect(gaveUp?.kind == "transient")
        f.catalog.faults.failNext(0)

        // A mutation answered 503 is not repeated.
        let once = ScriptedTransport { request, _ in
            let body = String(decoding: request.body, as: UTF8.self)
            if body.contains("\"operationName\":\"PackageRevisionDelete\"") { return json(503, #"{"message":"busy"}"#) }
            return json(200, #"{"data":{"package":{"latest":{"hash":"\#(String(repeating: "b", count: 64))"},"revision":{"hash":"\#(String(repeating: "b", count: 64))"},"revisions":{"total":1,"page":[{"hash":"\#(String(repeating: "b", count: 64))","modified":"2026-11-21T20:00:00+00:00"}]}}}}"#)
        }
        let b = PlatformBackend(
            configuration: PlatformConfiguration(catalogURL: nil, registryURL: "http://r.invalid", bearerToken: "t", transport: once, retry: sleeps.policy))
        let before = sleeps.count
        let e = await caught { _ = try await b.deleteRevision(package: try PackageName("a/b"), registry: try RegistryURL.s3("b-b"), revision: .latest) }
        #expect(e?.kind == "transient")
        let deletes = once.requests.withLock { $0.filter { String(decoding: $0.body, as: UTF8.self).contains("\"operationName\":\"PackageRevisionDelete\"") }.count }
        #expect(deletes == 1)
        #expect(sleeps.count == before)
    }

    /// The request a package search makes on each catalog: GraphQL in the form its schema has, else REST.
    static let packageSearchRequest: [(FakeCatalogSchema.Variant, String)] = [
        (.head, "graphql SearchPackages"), (.jun2026, "graphql SearchPackagesLegacy"), (.aug2025, "graphql SearchPackagesLegacy"),
        (.jul2025, "graphql SearchPackagesLegacy"), (.enterprise, "graphql SearchPackagesLegacy"), (.nov2024, "GET /api/search"),
        (.noSearch, "GET /api/search"),
    ]

    @Test("Latency is survived; the probe picks the search form of each schema variant, once per registry", arguments: packageSearchRequest)
    func driftAndLatency(_ variant: FakeCatalogSchema.Variant, _ op: String) async throws {
        do {
            let f = try await CatalogFixture.start(variant: variant)
            defer { f.stop() }
            try await f.seed("genomics/rna", [("a", "a")], meta: ["organism": "Danio rerio"], message: "first run")
            try await f.seed("imaging/cells", [("b", "b")], message: "zebrafish atlas")
            f.catalog.faults.setLatency(.milliseconds(20))
            for _ in 0..<2 {
                let hits = try await f.backend().search(SearchRequest(query: "rerio", registries: [f.registry]))
                #expect(hits.hits.map { $0.package?.rawValue } == ["genomics/rna"], "\(variant)")
            }
            let all = try await f.backend().search(SearchRequest(query: "zebrafish", registries: []))
            #expect(all.hits.map { $0.package?.rawValue } == ["imaging/cells"], "\(variant)")
            #expect(f.catalog.log.count(op) == 3, "\(variant): \(f.catalog.log.all)")
            #expect(f.catalog.log.count("graphql SchemaProbe") == 1)
            let objects = try await f.backend().search(SearchRequest(query: "cells", registries: [f.registry], scope: .objects))
            #expect(objects.hits.map { $0.object?.path } == ["imaging/cells/b"], "\(variant)")
        }
    }
}
