import Foundation
import QuiltContract
import QuiltJSON
import QuiltTestSupport
import Testing

@Suite("Conformance: search")
struct SearchScenarios {
    @Test("Search finds packages by name, message and metadata", arguments: Backends.supporting(.search))
    func search(_ backend: BackendUnderTest) async throws {
        try await backend.run("search.packages") { s in
            try await s.seed("genomics/rna", files: [("a", "a")], userMeta: ["organism": "Danio rerio"], message: "first run")
            try await s.seed("imaging/cells", files: [("b", "b")], userMeta: ["stain": "DAPI"], message: "zebrafish atlas")
            let byMeta = try await s.ops.search(SearchRequest(query: "rerio", registries: [s.registry]))
            #expect(byMeta.hits.map { $0.package?.rawValue } == ["genomics/rna"])
            let byMessage = try await s.ops.search(SearchRequest(query: "ZEBRAFISH", registries: [s.registry]))
            #expect(byMessage.hits.map { $0.package?.rawValue } == ["imaging/cells"])
            let none = try await s.ops.search(SearchRequest(query: "rerio dapi", registries: [s.registry]))
            #expect(none.hits.isEmpty && none.nextCursor == nil)
        }
    }

    @Test("Search pages with cursors: every match once, in the one-page order, and cursors of another search are refused",
          arguments: Backends.supporting(.search))
    func pages(_ backend: BackendUnderTest) async throws {
        try await backend.run("search.pages") { s in
            for i in 1...5 {
                try await s.seed("survey/site\(i)", files: [("survey-\(i).csv", "n,\(i)")], message: "field survey \(i)")
            }
            for scope in [SearchRequest.Scope.packages, .all] {
                let whole = try await s.ops.search(SearchRequest(query: "survey", registries: [s.registry], scope: scope, limit: 1000))
                #expect(whole.nextCursor == nil)
                var seen: [SearchHit] = []
                var request = SearchRequest(query: "survey", registries: [s.registry], scope: scope, limit: 2)
                for _ in 0..<20 {
                    let page = try await s.ops.search(request)
                    #expect(page.hits.count <= 2)
                    seen += page.hits
                    guard let next = page.nextCursor else { break }
                    request.cursor = next
                }
                let ids = seen.map(\.rank.id)
                #expect(Set(ids).count == ids.count, "\(scope): a hit came twice: \(ids)")
                #expect(Set(ids) == Set(whole.hits.map(\.rank.id)), "\(scope)")
                if scope == .packages {
                    #expect(seen.compactMap { $0.package?.rawValue } == whole.hits.compactMap { $0.package?.rawValue })
                    #expect(seen.count == 5)
                }
            }
            let first = try await s.ops.search(SearchRequest(query: "survey", registries: [s.registry], scope: .packages, limit: 2))
            let cursor = try #require(first.nextCursor)
            let other = await expectError("invalid_input") {
                _ = try await s.ops.search(SearchRequest(query: "field", registries: [s.registry], scope: .packages, limit: 2, cursor: cursor))
            }
            #expect(other?.message.contains("another search") == true, "\(String(describing: other))")
            let made = await expectError("invalid_input") {
                _ = try await s.ops.search(SearchRequest(query: "survey", registries: [s.registry], scope: .packages, limit: 2, cursor: "abc"))
            }
            #expect(made.map { if case .invalidInput(let field, _) = $0 { field == "cursor" } else { false } } == true)
        }
    }

    @Test("Explaining a search names its words, registries and per-stream rules, and agrees with the search it explains",
          arguments: Backends.supporting(.search))
    func explain(_ backend: BackendUnderTest) async throws {
        try await backend.run("search.explain") { s in
            try await s.seed("field/mouse", files: [("mouse-run.csv", "n,1")], userMeta: ["organism": "Mus musculus"], message: "Mouse run")
            for (scope, streams) in [(SearchRequest.Scope.all, ["objects", "packages"]), (.packages, ["packages"]), (.objects, ["objects"])] {
                let request = SearchRequest(query: "Mouse  run", registries: [s.registry], scope: scope)
                let e = try await s.ops.explainSearch(request)
                #expect(e.words.map { $0.lowercased() } == ["mouse", "run"], "\(e.words)")
                #expect(e.scope == scope)
                #expect(e.registries == [s.registry.url])
                #expect(e.matching.keys.sorted() == streams, "\(scope): \(e.matching)")
                #expect(e.matching.values.allSatisfy { !$0.isEmpty } && !e.engine.isEmpty)
                // A backend that sends requests says, per stream, what it would send: with the caller's words in it.
                #expect(e.requests.isEmpty || e.requests.keys.sorted() == streams, "\(e.requests)")
                for (_, sent) in e.requests {
                    #expect(JSONWriter.compact(sent).contains("Mouse  run"), "\(sent)")
                }
            }
            let found = try await s.ops.search(SearchRequest(query: "Mouse run", registries: [s.registry], scope: .packages))
            #expect(found.hits.map { $0.package?.rawValue } == ["field/mouse"])
        }
    }
}
