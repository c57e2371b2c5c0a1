import Foundation
import QuiltContract
import QuiltHTTP
import QuiltJSON
import QuiltPlatform
import QuiltS3
import Synchronization
import Testing

/// What quilt3-local (`quilt3 catalog`) needs of the Platform backend, at the HTTP edge: a relative `registryUrl`,
/// a 307 in front of GraphQL, and refusals before anything is sent where it resolves nothing. The live tier
/// (`Fixtures/quilt3-local/check_local_catalog.py`) runs the same against the real quilt3-local.
@Suite("Platform: quilt3 local catalogs, relative registry URLs and redirects")
struct LocalCatalogTests {
    @Test("config.json: a relative registryUrl is resolved against the catalog's origin; mode LOCAL is noticed", arguments: [
        (#"{"registryUrl": "/__reg", "mode": "LOCAL"}"#, "http://127.0.0.1:3000/__reg", true),
        (#"{"registryUrl": "https://registry.example.com/", "mode": "PRODUCTION"}"#, "https://registry.example.com", false),
        (#"{"registryUrl": "//evil.example.com/x"}"#, nil, false),
        (#"{"registryUrl": "__reg"}"#, nil, false),
        (#"{"mode": "LOCAL"}"#, nil, false),
    ] as [(String, String?, Bool)])
    func relativeRegistry(_ body: String, _ registry: String?, _ local: Bool) {
        let config = CatalogConfig.parse(Array(body.utf8), catalog: "http://127.0.0.1:3000/some/page")
        #expect(config?.registryURL == registry)
        #expect((config?.isLocal ?? false) == local)
    }

    @Test("A same-origin 307 is followed with the method, body and token; another origin's is not", arguments: [
        ("/__reg/graphql/", true), ("http://127.0.0.1:3000/__reg/graphql/", true), ("http://elsewhere.example.com/graphql", false),
        ("//elsewhere.example.com/graphql", false),
    ])
    func redirects(_ location: String, _ followed: Bool) async throws {
        let transport = ScriptedTransport { request, n in
            if n == 1 { return QuiltHTTPResponse(status: 307, headers: [HTTPField("location", location)]) }
            return json(200, #"{"data": {"me": {"name": "local"}}}"#)
        }
        let client = CatalogClient(registry: "http://127.0.0.1:3000/__reg", token: "t0k", transport: transport, retry: .none)
        let error = await caught { _ = try await client.graphQL(.me) }
        let sent = transport.requests.withLock { $0 }
        if followed {
            #expect(error == nil)
            #expect(sent.map(\.url) == ["http://127.0.0.1:3000/__reg/graphql", "http://127.0.0.1:3000/__reg/graphql/"])
            #expect(sent[1].method == "POST" && sent[1].body == sent[0].body && sent[1].headers.contains { $0.value == "Bearer t0k" })
        } else {
            #expect(sent.count == 1, "the token must not follow a redirect to another origin")
            #expect(error != nil)
        }
    }

    @Test("On a local catalog writes, deletes, search and revision details are unsupported before anything is sent")
    func localRefusals() async throws {
        let transport = ScriptedTransport { request, _ in
            request.url.hasSuffix("/config.json")
                ? json(200, #"{"registryUrl": "/__reg", "mode": "LOCAL"}"#) : json(500, #"{"message": "nothing else may be asked"}"#)
        }
        let backend = PlatformBackend(
            configuration: PlatformConfiguration(catalogURL: "http://127.0.0.1:3000", bearerToken: "t", transport: transport, retry: .none))
        let registry = try RegistryURL.s3("local-bucket")
        let name = try PackageName("team/data")
        let failures: [QuiltOpsError?] = [
            await caught {
                _ = try await backend.createRevision(
                    CreateRevisionRequest(
                        package: name, registry: registry, entries: [NewEntry(logicalKey: try LogicalKey("a.txt"), source: .bytes([1]))]))
            },
            await caught { _ = try await backend.deletePackage(package: name, registry: registry) },
            await caught { _ = try await backend.deleteRevision(package: name, registry: registry, revision: .latest) },
            await caught { _ = try await backend.search(SearchRequest(query: "x", registries: [registry])) },
            await caught { _ = try await backend.revisionInfo(package: name, registry: registry, revision: .latest) },
        ]
        let status = try await backend.authStatus()
        #expect(status.authenticated && status.detail.contains("quilt3 local catalog"), "\(status)")
        for failure in failures {
            #expect(failure?.kind == "unsupported" && failure?.message.contains("quilt3 local catalog") == true, "\(String(describing: failure))")
        }
        #expect(transport.requests.withLock { $0.map(\.url) } == ["http://127.0.0.1:3000/config.json"], "only config.json, once")
    }
}
