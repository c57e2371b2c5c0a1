import Foundation
import Hummingbird
import QuiltContract
import QuiltJSON
import QuiltRegistry

/// `GET /api/search` (the catalog's Elasticsearch proxy), reduced to what quilt-mcp and quilt3 send: `index` (a
/// comma list of `<bucket>` and `<bucket>_packages`), `action=search&query=<words>` or `action=freeform&body=<DSL>`
/// whose `simple_query_string`/`query_string` `query` holds the words (and `from` skips that many hits, as
/// Elasticsearch pages). Every word must match (as the registry
/// engine's search does); answers are Elasticsearch-shaped (`hits.hits[]._source` with the indexer's field names).
enum FakeSearchREST {
    static func handle(index: String, action: String, body: String?, query: String?, size: Int, state: FakeCatalogState) async -> Reply {
        var words = query ?? ""
        var from = 0
        if action == "freeform" {
            guard let body, let dsl = try? JSONParser.parse(body) else {
                return FakeCatalogServer.json(400, ["message": "action=freeform needs a JSON body"])
            }
            words = findQuery(dsl) ?? ""
            from = max(0, dsl["from"]?.intValue ?? 0)
        }
        var hits: [JSONValue] = []
        for name in index.split(separator: ",").map(String.init) {
            let packages = name.hasSuffix("_packages")
            let bucket = packages ? String(name.dropLast("_packages".count)) : name
            guard state.hasBucket(bucket), let registry = try? RegistryURL.s3(bucket) else { continue }
            guard let result = try? await state.engine.search(
                SearchRequest(query: words, registries: [registry], scope: packages ? .packages : .objects, limit: 10_000))
            else { continue }
            for h in result.hits {
                if packages, let pkg = h.package, let hash = h.hash {
                    let info = try? await state.engine.revisionInfo(package: pkg, registry: registry, revision: .hash(hash))
                    hits.append([
                        "_index": .string(name), "_id": .string("\(pkg)@\(hash)"), "_score": .number(JSONNumber(h.score)),
                        "_source": [
                            "ptr_name": .string(pkg.rawValue), "ptr_tag": "latest", "mnfst_hash": .string(hash.rawValue),
                            "mnfst_message": info?.header["message"] ?? .null,
                            "mnfst_metadata": info?.userMeta.map { .string(JSONWriter.compact($0)) } ?? .null,
                            "mnfst_last_modified": .string(info?.modified.map(CatalogDateText.format) ?? ""),
                            "mnfst_stats": ["total_bytes": .number(JSONNumber(info?.totalBytes ?? 0)), "total_files": .number(JSONNumber(info?.entryCount ?? 0))],
                        ],
                    ])
                } else if let o = h.object {
                    hits.append([
                        "_index": .string(name), "_id": .string(o.path), "_score": .number(JSONNumber(h.score)),
                        "_source": [
                            "key": .string(o.path), "version_id": .null, "size": .number(JSONNumber(h.size ?? 0)),
                            "last_modified": .string(h.modified.map(CatalogDateText.format) ?? ""), "delete_marker": false,
                        ],
                    ])
                }
            }
        }
        let shown = Array(hits.dropFirst(from).prefix(max(1, size)))
        return FakeCatalogServer.json(200, [
            "took": 1, "timed_out": false,
            "hits": ["total": ["value": .number(JSONNumber(hits.count)), "relation": "eq"], "max_score": .null, "hits": .array(shown)],
        ])
    }

    /// The first `query` string under a `simple_query_string` or `query_string` clause, anywhere in the DSL.
    static func findQuery(_ v: JSONValue) -> String? {
        switch v {
        case .object(let o):
            for k in ["simple_query_string", "query_string"] { if let s = o[k]?["query"]?.stringValue { return s } }
            for (_, child) in o { if let s = findQuery(child) { return s } }
            return nil
        case .array(let a):
            for child in a { if let s = findQuery(child) { return s } }
            return nil
        default:
            return nil
        }
    }
}
