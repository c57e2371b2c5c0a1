import QuiltContract
import QuiltJSON

/// Tools that search: packages and files, how a query is read, and what to type next.
enum SearchTools {
    static let scopes = ["global", "package", "file"]
    static let query = Param("query", .string(pattern: nil, minLength: 1), "Words, e.g. 'rnaseq 2025'.", required: true)
    static let scope = Param("scope", .string(pattern: nil, minLength: nil), "global: both.", default: "global", enum: scopes)
    static let bucket = Param(
        "bucket", .string(pattern: nil, minLength: nil), "One registry to search; default every known one.", default: "")
    /// The Python server's fourth scope, files inside packages, which no backend here indexes.
    static let pythonScope: [String: PythonName] = [
        "scope": .refusedValue(
            "packageEntry",
            hint: "package entries are not indexed here: scope=file finds objects by key, and package_browse lists a package's entries."),
    ]

    // MARK: - Search

    static let searchCatalog = Tool(
        ToolDefinition(
            name: "search_catalog", title: "Search packages and files",
            description: "Find packages (name, message, metadata) and files (key) in one bucket or all; every word must match. Best first, with registry and matched_in. Paginated.",
            parameters: [
                query, scope, bucket,
                Param("limit", .integer(min: 1, max: 1000), "Most hits.", default: .number(JSONNumber(50))),
                Param("cursor", .string(pattern: nil, minLength: nil), "From next_cursor (same query)."),
                Param("backend", .string(pattern: nil, minLength: nil), "The deployment's search.", enum: ["elasticsearch"]).pythonOnly(),
                Param("include_metadata", .boolean, "Add each package hit's user_meta.").pythonOnly(),
                Param("explain_query", .boolean, "Add how the query was read (as search_explain).").pythonOnly(),
                Param("count_only", .boolean, "Only the number of matches.").pythonOnly(),
            ],
            annotations: PackageReadTools.readOnly),
        pythonNames: pythonScope
    ) { (args, ctx) throws(QuiltOpsError) in
        let request = try searchRequest(args, ctx)
        var out: JSONObject = ["query": .string(request.query), "scope": .string(args.string("scope") ?? "global")]
        if args.bool("explain_query") == true {
            out["explanation"] = explanation(try await ctx.ops.explainSearch(request))
        }
        if args.bool("count_only") == true {
            var first = request
            first.limit = 1
            let result = try await ctx.ops.search(first)
            out["total"] = result.total.map { .number(JSONNumber($0)) } ?? .null
            return .object(out)
        }
        let result = try await ctx.ops.search(request)
        var hits = result.hits.map(hit)
        if args.bool("include_metadata") == true { hits = await withMetadata(hits, result.hits, ctx) }
        out["hits"] = .array(hits)
        out["count"] = .number(JSONNumber(result.hits.count))
        out["total"] = result.total.map { .number(JSONNumber($0)) } ?? .null
        out["next_cursor"] = result.nextCursor.map { .string($0) } ?? .null
        return .object(out)
    }

    /// The search a call asks for. - Throws: `invalidInput` for a query without words or a bad bucket.
    static func searchRequest(_ args: Arguments, _ ctx: ToolContext) throws(QuiltOpsError) -> SearchRequest {
        let query = args.string("query") ?? ""
        guard !query.allSatisfy(\.isWhitespace) else {
            throw .invalidInput(field: "query", reason: "has no words; give at least one word to search for.")
        }
        let scope: SearchRequest.Scope
        switch args.string("scope") ?? "global" {
        case "package": scope = .packages
        case "file": scope = .objects
        default: scope = .all
        }
        let registries = args.string("bucket") == nil ? [] : [try Common.registry(args, ctx, field: "bucket")]
        return SearchRequest(query: query, registries: registries, scope: scope, limit: args.int("limit") ?? 50, cursor: args.string("cursor"))
    }

    static func hit(_ h: SearchHit) -> JSONValue {
        var o: JSONObject = [
            "type": .string(h.kind == .package ? "package" : "file"), "registry": .string(h.registry.url),
            "score": .number(JSONNumber(h.score)), "matched_in": .array(h.matchedIn.map { .string($0) }),
            "modified": ResultEncoding.date(h.modified),
        ]
        if let p = h.package { o["package_name"] = .string(p.rawValue) }
        if let t = h.hash { o["top_hash"] = .string(t.rawValue) }
        if let k = h.object {
            o["s3_uri"] = .string(k.url)
            o["key"] = .string(Common.keyInRegistry(k, h.registry))
        }
        if let s = h.size { o["size"] = .number(JSONNumber(s)) }
        return .object(o)
    }

    /// `hits` with each package hit's `user_meta` (its revision's, read four at a time); a revision that cannot be
    /// read gets `user_meta: null` and `user_meta_error`.
    static func withMetadata(_ rows: [JSONValue], _ hits: [SearchHit], _ ctx: ToolContext) async -> [JSONValue] {
        var rows = rows
        let wanted = hits.indices.filter { hits[$0].package != nil }
        // No nested function captures the group: the release build miscompiles that shape (see PlatformBackend+Write).
        let found = await withTaskGroup(of: (Int, JSONValue, String?).self, returning: [(Int, JSONValue, String?)].self) { group in
            var out: [(Int, JSONValue, String?)] = []
            var next = 0
            while next < min(4, wanted.count) {
                let i = wanted[next]
                group.addTask { await userMeta(hits[i], index: i, ctx) }
                next += 1
            }
            while let done = await group.next() {
                out.append(done)
                if next < wanted.count {
                    let j = wanted[next]
                    group.addTask { await userMeta(hits[j], index: j, ctx) }
                    next += 1
                }
            }
            return out
        }
        for (i, meta, failure) in found {
            if case .object(var o) = rows[i] {
                o["user_meta"] = meta
                if let failure { o["user_meta_error"] = .string(failure) }
                rows[i] = .object(o)
            }
        }
        return rows
    }

    /// A package hit's revision metadata, or the reason it could not be read.
    static func userMeta(_ hit: SearchHit, index: Int, _ ctx: ToolContext) async -> (Int, JSONValue, String?) {
        guard let name = hit.package else { return (index, .null, nil) }
        do throws(QuiltOpsError) {
            let info = try await ctx.ops.revisionInfo(package: name, registry: hit.registry, revision: hit.hash.map { .hash($0) } ?? .latest)
            return (index, info.userMeta ?? .null, nil)
        } catch {
            return (index, .null, error.message)
        }
    }

    // MARK: - Explain

    static let searchExplain = Tool(
        ToolDefinition(
            name: "search_explain", title: "How a search is read",
            description: "How search_catalog would read a query on this deployment, without searching: words, registries, matching rules, the request sent.",
            parameters: [query, scope, bucket],
            annotations: PackageReadTools.readOnly),
        pythonNames: pythonScope
    ) { (args, ctx) throws(QuiltOpsError) in
        var out: JSONObject = ["query": .string(args.string("query") ?? "")]
        out["explanation"] = explanation(try await ctx.ops.explainSearch(try searchRequest(args, ctx)))
        return .object(out)
    }

    // MARK: - Suggest

    static let suggestionTypes = ["auto", "query", "filter", "scope"]

    static let searchSuggest = Tool(
        ToolDefinition(
            name: "search_suggest", title: "Search suggestions",
            description: "What to search for next, from what the backend holds: package names and keys matching the words (query), metadata fields of matching packages (filter), hits per scope (scope).",
            parameters: [
                Param("partial_query", .string(pattern: nil, minLength: 1), "Words typed so far.", required: true),
                Param("context", .string(pattern: nil, minLength: nil), "More words every suggestion's source must match.", default: ""),
                Param("suggestion_types", .stringArray(minItems: 0), "Any of auto (all), query, filter, scope."),
                Param("bucket", .string(pattern: nil, minLength: nil), "One registry; default every known one.", default: ""),
                Param("limit", .integer(min: 1, max: 100), "Most suggestions.", default: .number(JSONNumber(10))),
            ],
            annotations: PackageReadTools.readOnly)
    ) { (args, ctx) throws(QuiltOpsError) in
        let partial = args.string("partial_query") ?? ""
        let words = (partial + " " + (args.string("context") ?? "")).split(whereSeparator: \.isWhitespace).map(String.init)
        guard !words.isEmpty else {
            throw .invalidInput(field: "partial_query", reason: "has no words; give the start of a search.")
        }
        let asked = args["suggestion_types"]?.arrayValue?.compactMap(\.stringValue) ?? ["auto"]
        if let bad = asked.first(where: { !suggestionTypes.contains($0) }) {
            throw .invalidInput(field: "suggestion_types", reason: "'\(bad)' is not one of \(suggestionTypes.joined(separator: ", ")).")
        }
        let types = Set(asked.contains("auto") || asked.isEmpty ? ["query", "filter", "scope"] : asked)
        let limit = args.int("limit") ?? 10
        let registries = args.string("bucket") == nil ? [] : [try Common.registry(args, ctx, field: "bucket")]
        var query = words.joined(separator: " ")
        var found = try await ctx.ops.search(SearchRequest(query: query, registries: registries, scope: .all, limit: max(limit, 20)))
        if found.hits.isEmpty, let last = words.last, !last.hasSuffix("*") {
            // A catalog's index matches whole words; the last one is being typed.
            query += "*"
            found = try await ctx.ops.search(SearchRequest(query: query, registries: registries, scope: .all, limit: max(limit, 20)))
        }
        var suggestions: [JSONValue] = []
        var seen = Set<String>()
        func add(_ text: String, _ type: String, _ extra: JSONObject = [:]) {
            guard suggestions.count < limit, seen.insert(type + "\u{0}" + text).inserted else { return }
            var o = extra
            o["text"] = .string(text)
            o["type"] = .string(type)
            suggestions.append(.object(o))
        }
        if types.contains("scope") {
            for (name, scope) in [("package", SearchRequest.Scope.packages), ("file", .objects)] {
                let total = try await ctx.ops.search(SearchRequest(query: query, registries: registries, scope: scope, limit: 1)).total
                add("scope=\(name)", "scope", ["total": total.map { .number(JSONNumber($0)) } ?? .null])
            }
        }
        if types.contains("query") {
            for h in found.hits {
                if let p = h.package { add(p.rawValue, "package", ["registry": .string(h.registry.url)]) }
                if let key = hit(h)["key"]?.stringValue { add(key, "key", ["registry": .string(h.registry.url)]) }
            }
        }
        if types.contains("filter") {
            for h in found.hits.prefix(5) {
                guard let p = h.package,
                    let info = try? await ctx.ops.revisionInfo(package: p, registry: h.registry, revision: h.hash.map { .hash($0) } ?? .latest),
                    let meta = info.userMeta?.objectValue
                else { continue }
                for key in meta.keys.sorted() { add(key, "metadata", ["example": meta[key] ?? .null, "package_name": .string(p.rawValue)]) }
            }
        }
        return ["partial_query": .string(partial), "searched": .string(query), "suggestions": .array(suggestions), "count": .number(JSONNumber(suggestions.count))]
    }

    static func explanation(_ e: SearchExplanation) -> JSONValue {
        [
            "engine": .string(e.engine), "words": .array(e.words.map { .string($0) }), "scope": .string(e.scope.rawValue),
            "registries": .array(e.registries.map { .string($0) }),
            "matching": .object(JSONObject(e.matching.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) })),
            "requests": .object(JSONObject(e.requests.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })),
        ]
    }
}
