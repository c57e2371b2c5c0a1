import Foundation
import QuiltContract
import QuiltHTTP
import QuiltPlatform
import QuiltS3
import Synchronization
import Testing

/// Search over the catalog's Elasticsearch proxy (`/api/search`), as catalogs without GraphQL search answer it.
@Suite("Platform: REST search")
struct RESTSearchTests {
    /// A pointer document of the packages index, as Elasticsearch returns it.
    static func pointer(_ name: String, _ hash: String, tag: String, score: Double) -> String {
        #"{"_index": "survey-bucket_packages", "_score": \#(score), "_source": {"ptr_name": "\#(name)", "ptr_tag": "\#(tag)", "mnfst_hash": "\#(hash)", "mnfst_last_modified": "2026-11-30T10:00:00Z"}}"#
    }

    /// Elasticsearch answers a hit per pointer, so a package with two revisions can come back on two pages; the
    /// cursor remembers what was returned and a later page leaves it out.
    @Test("A package with several revisions is returned once across pages")
    func packagesOnceAcrossPages() async throws {
        let a2 = String(repeating: "a", count: 64), a1 = String(repeating: "1", count: 64)
        let b = String(repeating: "b", count: 64), c = String(repeating: "c", count: 64)
        let pages = [
            [Self.pointer("survey/a", a2, tag: "latest", score: 9), Self.pointer("survey/b", b, tag: "latest", score: 8)],
            [Self.pointer("survey/a", a1, tag: "1764000000", score: 7), Self.pointer("survey/c", c, tag: "latest", score: 6)],
        ]
        let transport = ScriptedTransport { request, _ in
            if request.url.hasSuffix("/config.json") { return json(200, #"{"registryUrl": "http://127.0.0.1:9/reg"}"#) }
            // No GraphQL search on this catalog: the probe is refused, so search goes to /api/search.
            if request.url.hasSuffix("/graphql") { return json(200, #"{"data": null, "errors": [{"message": "Cannot query field '__schema'"}]}"#) }
            let body = URLComponents(string: request.url)?.queryItems?.first { $0.name == "body" }?.value ?? "{}"
            let from = (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["from"] as? Int ?? 0
            let page = from == 0 ? pages[0] : from == 2 ? pages[1] : []
            return json(200, #"{"hits": {"total": {"value": 4, "relation": "eq"}, "hits": [\#(page.joined(separator: ","))]}}"#)
        }
        let backend = PlatformBackend(
            configuration: PlatformConfiguration(catalogURL: "http://127.0.0.1:9", bearerToken: "t", transport: transport, retry: .none))
        var request = SearchRequest(query: "survey", registries: [try RegistryURL.s3("survey-bucket")], scope: .packages, limit: 2)
        var names: [String] = []
        for _ in 0..<5 {
            let page = try await backend.search(request)
            names += page.hits.compactMap { $0.package?.rawValue }
            guard let next = page.nextCursor else { break }
            request.cursor = next
        }
        #expect(names == ["survey/a", "survey/b", "survey/c"])
        let searches = transport.requests.withLock { $0 }.filter { $0.url.contains("/api/search") }
        #expect(searches.count == 2, "\(searches.map(\.url))")
    }
}
