import Foundation
import QuiltContract
import QuiltJSON
import QuiltRegistry

/// A package or object search's hits (already in the order asked for).
struct SearchSet: Sendable {
    let hits: [JSONValue]
}

extension FakeResolvers {
    static let search: [String: FakeResolver] = [
        "Query.searchPackages": { _, args, req in
            let hits = try await packageHits(req, args)
            return hits.map { Typed("PackagesSearchResultSet", SearchSet(hits: $0)) } ?? Typed("EmptySearchResultSet", ["_": .null] as JSONObject)
        },
        "Query.searchObjects": { _, args, req in
            let hits = try await objectHits(req, args)
            return hits.map { Typed("ObjectsSearchResultSet", SearchSet(hits: $0)) } ?? Typed("EmptySearchResultSet", ["_": .null] as JSONObject)
        },
        "PackagesSearchResultSet.total": { s, _, _ in (s as? SearchSet)?.hits.count ?? 0 },
        "ObjectsSearchResultSet.total": { s, _, _ in (s as? SearchSet)?.hits.count ?? 0 },
        "PackagesSearchResultSet.firstPage": { s, args, req in
            guard var hits = (s as? SearchSet)?.hits else { return nil }
            if req.variant.firstPageIsUnion {
                switch ordering(args["ordering"]) {
                case .failure(let invalid): return invalid
                case .success(let sort): if let sort { hits.sort(by: sort) }
                }
                return Typed("PackagesSearchResultSetPage", page(req, hits, size: int(args, "size", 30)))
            }
            if let sort = order(args["order"]?.stringValue) { hits.sort(by: sort) }
            return page(req, hits, size: int(args, "size", 30))
        },
        "ObjectsSearchResultSet.firstPage": { s, args, req in
            guard var hits = (s as? SearchSet)?.hits else { return nil }
            if let sort = order(args["order"]?.stringValue, key: "key") { hits.sort(by: sort) }
            return page(req, hits, size: int(args, "size", 30))
        },
        "Query.searchMorePackages": { _, args, req in
            guard let rest = req.state.search(after: try string(args, "after")) else {
                return invalid("after", "unknown or expired search cursor", name: "InvalidCursor")
            }
            return Typed("PackagesSearchResultSetPage", page(req, rest, size: int(args, "size", 30)))
        },
        "Query.searchMoreObjects": { _, args, req in
            guard let rest = req.state.search(after: try string(args, "after")) else {
                return invalid("after", "unknown or expired search cursor", name: "InvalidCursor")
            }
            return Typed("ObjectsSearchResultSetPage", page(req, rest, size: int(args, "size", 30)))
        },
    ]

    static func page(_ req: FakeRequest, _ hits: [JSONValue], size: Int) -> JSONObject {
        let n = max(1, size)
        let cursor = req.state.saveSearch(Array(hits.dropFirst(n)))
        return ["cursor": cursor.map { .string($0) } ?? .null, "hits": .array(Array(hits.prefix(n)))]
    }

    /// The buckets to search: those named (known ones only), else all.
    static func buckets(_ req: FakeRequest, _ args: JSONObject) -> [String] {
        let named = args["buckets"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return named.isEmpty ? req.state.bucketNames : named.filter { req.state.hasBucket($0) }
    }

    /// Package hits as `SearchHitPackage` objects (latest revisions; every word must match), nil when no bucket.
    static func packageHits(_ req: FakeRequest, _ args: JSONObject) async throws -> [JSONValue]? {
        let buckets = buckets(req, args)
        guard !buckets.isEmpty else { return nil }
        let query = args["searchString"]?.stringValue ?? ""
        let result = try await req.engine.search(
            SearchRequest(query: query, registries: try buckets.map { b throws(QuiltOpsError) in try RegistryURL.s3(b) }, scope: .packages, limit: 10_000))
        var hits: [JSONValue] = []
        for h in result.hits {
            guard let name = h.package, let hash = h.hash else { continue }
            let info = try await req.info(h.registry.location, name, hash)
            hits.append(packageHit(h, info))
        }
        return hits
    }

    static func packageHit(_ h: SearchHit, _ info: RevisionInfo) -> JSONValue {
        let name = h.package?.rawValue ?? ""
        let hash = h.hash?.rawValue ?? ""
        return [
            "id": .string("\(h.registry.location)/\(name)@\(hash)"), "score": .number(JSONNumber(h.score)), "bucket": .string(h.registry.location),
            "name": .string(name), "pointer": "latest", "hash": .string(hash), "size": .number(JSONNumber(info.totalBytes)),
            "modified": .string(info.modified.map(CatalogDateText.format) ?? ""), "totalEntriesCount": .number(JSONNumber(info.entryCount)),
            "comment": info.header["message"] ?? .null, "meta": info.userMeta.map { .string(JSONWriter.compact($0)) } ?? .null,
            "workflow": .null,
            "matchLocations": [
                "name": .bool(h.matchedIn.contains("name")), "comment": .bool(h.matchedIn.contains("message")),
                "meta": .bool(h.matchedIn.contains("user_meta")), "workflow": false,
            ],
            "matchingEntries": [],
        ]
    }

    /// Object hits as `SearchHitObject` objects, nil when no bucket.
    static func objectHits(_ req: FakeRequest, _ args: JSONObject) async throws -> [JSONValue]? {
        let buckets = buckets(req, args)
        guard !buckets.isEmpty else { return nil }
        let result = try await req.engine.search(
            SearchRequest(
                query: args["searchString"]?.stringValue ?? "", registries: try buckets.map { b throws(QuiltOpsError) in try RegistryURL.s3(b) },
                scope: .objects, limit: 10_000))
        return result.hits.compactMap { h -> JSONValue? in
            guard let o = h.object else { return nil }
            return [
                "id": .string(o.url), "score": .number(JSONNumber(h.score)), "bucket": .string(o.bucket ?? ""), "key": .string(o.path),
                "version": .string(o.versionId ?? ""), "size": .number(JSONNumber(h.size ?? 0)),
                "modified": .string(h.modified.map(CatalogDateText.format) ?? ""), "deleted": false, "indexedContent": .null,
            ]
        }
    }

    /// `PackageOrdering` (HEAD): null → relevance; `sys:<field>:<asc|desc>`; `usr:` orderings are not supported
    /// by the fake (answered as the catalog answers an unsupported ordering: InvalidInput `UnsupportedSort`).
    static func ordering(_ value: JSONValue?) -> Result<((JSONValue, JSONValue) -> Bool)?, Typed> {
        guard let value, !value.isNull else { return .success(nil) }
        guard let text = value.stringValue else { return .failure(invalid("ordering", "unparseable ordering", name: "ordering")) }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.first == "usr" { return .failure(invalid("ordering", "the fake catalog does not sort by user metadata", name: "UnsupportedSort")) }
        let fields = ["name": "name", "modified": "modified", "size": "size", "entries": "totalEntriesCount", "hash": "hash"]
        guard parts.count == 3, parts[0] == "sys", let field = fields[parts[1]], parts[2] == "asc" || parts[2] == "desc" else {
            if parts.count == 3 && parts[0] == "sys" && (parts[1] == "comment" || parts[1] == "workflow") {
                return .failure(invalid("ordering", "sorting by \(parts[1]) is not supported", name: "UnsupportedSort"))
            }
            return .failure(invalid("ordering", "'\(text)' does not match sys:<field>:<asc|desc> or usr:<pointer>:<type>:<asc|desc>", name: "ordering"))
        }
        return .success(sorter(field, ascending: parts[2] == "asc"))
    }

    /// `SearchResultOrder` (≤ 2026-06 packages, and objects).
    static func order(_ value: String?, key: String = "name") -> ((JSONValue, JSONValue) -> Bool)? {
        switch value {
        case "NEWEST": return sorter("modified", ascending: false)
        case "OLDEST": return sorter("modified", ascending: true)
        case "LEX_ASC": return sorter(key, ascending: true)
        case "LEX_DESC": return sorter(key, ascending: false)
        default: return nil
        }
    }

    static func sorter(_ field: String, ascending: Bool) -> (JSONValue, JSONValue) -> Bool {
        { a, b in
            let x = a[field] ?? .null
            let y = b[field] ?? .null
            let less: Bool
            if let p = x.doubleValue, let q = y.doubleValue { less = p < q } else { less = (x.stringValue ?? "") < (y.stringValue ?? "") }
            let greater: Bool
            if let p = x.doubleValue, let q = y.doubleValue { greater = p > q } else { greater = (x.stringValue ?? "") > (y.stringValue ?? "") }
            return ascending ? less : greater
        }
    }
}
