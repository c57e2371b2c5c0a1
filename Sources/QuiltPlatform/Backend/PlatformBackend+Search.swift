import FoundationEssentials
package import QuiltContract
import QuiltJSON

extension PlatformBackend {
    // MARK: - Search

    /// GraphQL `searchPackages`/`searchObjects` in the form the catalog's schema has (probed once per registry),
    /// else the REST endpoint `/api/search` (Elasticsearch DSL), which every catalog has. Packages and objects are
    /// two streams, each paged by the catalog (`searchMore*` cursors, or `from` over REST); with both in scope a
    /// page is shared evenly between the streams that have more, and the cursor carries each stream's position.
    package func search(_ request: SearchRequest) async throws(QuiltOpsError) -> SearchResult {
        guard request.limit > 0 else { throw .invalidInput(field: "limit", reason: "must be positive.") }
        var state = try request.cursorState()
        try await refuseOnLocalCatalog("search", lacks: "has neither GraphQL search nor /api/search")
        var buckets: [String] = []
        for r in request.registries { buckets.append(try bucket(r)) }
        if buckets.isEmpty { buckets = try await listBuckets().map(\.name) }
        guard !buckets.isEmpty else { return SearchResult(hits: [], total: 0) }
        let features = try await schemaFeatures()
        let streams: [SearchStream] = request.scope == .packages ? [.packages] : request.scope == .objects ? [.objects] : [.packages, .objects]
        let open = streams.filter { state[$0.rawValue]?["done"]?.boolValue != true }
        let size = min(request.limit, 1000)
        var hits: [SearchHit] = []
        for (i, stream) in open.enumerated() {
            let share = size / open.count + (i < size % open.count ? 1 : 0)
            guard share > 0 else { continue }
            let position = state[stream.rawValue]?.objectValue ?? [:]
            let (found, next) = try await searchPage(stream, request.query, buckets: buckets, size: share, after: position, features: features)
            hits += found
            state[stream.rawValue] = .object(next)
        }
        let total = streams.reduce(0) { $0 + (state[$1.rawValue]?["total"]?.intValue ?? 0) }
        let more = streams.contains { state[$0.rawValue]?["done"]?.boolValue != true }
        return SearchResult(
            hits: hits.map { ($0.rank, $0) }.sorted { $0.0 < $1.0 }.map(\.1), total: total,
            nextCursor: more ? request.nextCursor(state) : nil)
    }

    package func explainSearch(_ request: SearchRequest) async throws(QuiltOpsError) -> SearchExplanation {
        try await refuseOnLocalCatalog("search", lacks: "has neither GraphQL search nor /api/search")
        var buckets: [String] = []
        for r in request.registries { buckets.append(try bucket(r)) }
        if buckets.isEmpty { buckets = try await listBuckets().map(\.name) }
        let features = try await schemaFeatures()
        let streams: [SearchStream] = request.scope == .packages ? [.packages] : request.scope == .objects ? [.objects] : [.packages, .objects]
        var matching: [String: String] = [:]
        var requests: [String: JSONValue] = [:]
        let size = min(request.limit, 1000)
        for stream in streams {
            let op = stream == .packages ? features.packageSearchOperation : features.objectSearchOperation
            let what = stream == .packages
                ? "package revisions (name, message, metadata, workflow), one hit per package"
                : "objects (key, content the catalog indexed)"
            if let op {
                matching[stream.rawValue] = "The catalog's Elasticsearch matches searchString against \(what); the catalog "
                    + "decides the query syntax and ranking."
                requests[stream.rawValue] = [
                    "graphql": .string(op.name),
                    "variables": [
                        "buckets": .array(buckets.map { .string($0) }), "searchString": .string(request.query),
                        "size": .number(JSONNumber(size)),
                    ],
                ]
            } else {
                let indexes = stream == .packages ? buckets.map { $0 + "_packages" } : buckets
                matching[stream.rawValue] = "Elasticsearch simple_query_string with default_operator AND (every word must "
                    + "match; \"phrases\", prefix*, -exclusion) over \(what)."
                requests[stream.rawValue] = [
                    "rest": "GET /api/search",
                    "query": [
                        "index": .string(indexes.joined(separator: ",")), "action": "freeform",
                        "body": .object(Self.restBody(request.query, size: size)), "size": .number(JSONNumber(size)),
                    ],
                ]
            }
        }
        return SearchExplanation(
            engine: features.packageSearchOperation == nil ? "catalog /api/search (Elasticsearch)" : "catalog GraphQL search",
            words: request.query.split(whereSeparator: { $0.isWhitespace }).map(String.init), scope: request.scope,
            registries: buckets.map { "s3://" + $0 }, matching: matching, requests: requests)
    }

    /// The two things a catalog searches, each with its own paging.
    enum SearchStream: String { case packages, objects }

    /// One page of `stream` after `position` (`after`: the catalog's cursor; `from`: a REST offset; `total`;
    /// `seen`: packages already returned), and the position after it (`done` when the stream has no more).
    func searchPage(
        _ stream: SearchStream, _ query: String, buckets: [String], size: Int, after position: JSONObject, features: SchemaFeatures
    ) async throws(QuiltOpsError) -> ([SearchHit], JSONObject) {
        let op = stream == .packages ? features.packageSearchOperation : features.objectSearchOperation
        var next: JSONObject = ["total": position["total"] ?? .null]
        var hits: [SearchHit]
        if let op {
            let (found, total, cursor) = try await graphQLSearch(
                stream, first: op, query, buckets: buckets, size: size, after: position["after"]?.stringValue, features: features)
            hits = found
            if let total { next["total"] = .number(JSONNumber(total)) }
            if let cursor, !found.isEmpty { next["after"] = .string(cursor) } else { next["done"] = true }
        } else {
            let from = position["from"]?.intValue ?? 0
            let indexes = stream == .packages ? buckets.map { $0 + "_packages" } : buckets
            let (found, total, returned) = try await restSearch(query, indexes: indexes, size: size, from: from)
            hits = found
            next["total"] = .number(JSONNumber(total))
            if returned < size || from + returned >= total { next["done"] = true } else { next["from"] = .number(JSONNumber(from + returned)) }
        }
        // Over REST and the legacy search a package has a hit per revision, on one page or on a later one: the
        // cursor remembers the packages returned so far (SeenPackages), and every page skips them.
        if stream == .packages {
            var seen = SeenPackages(position["seen"]?.stringValue)
            hits = hits.filter { seen.insert($0.registry.url + " " + ($0.package?.rawValue ?? "")) }
            next["seen"] = .string(seen.encoded)
        }
        return (hits, next)
    }

    /// A GraphQL page: the first (`first`, with `total`) or, after a cursor, `searchMorePackages`/`searchMoreObjects`.
    func graphQLSearch(
        _ stream: SearchStream, first op: CatalogOperation, _ query: String, buckets: [String], size: Int, after: String?,
        features: SchemaFeatures
    ) async throws(QuiltOpsError) -> (hits: [SearchHit], total: Int?, cursor: String?) {
        let page: JSONValue?
        var total: Int?
        if let after {
            let more: CatalogOperation = stream == .packages ? .searchMorePackages : .searchMoreObjects
            let data = try await graphQL(more, ["after": .string(after), "size": .number(JSONNumber(size))], features: features)
            page = data[stream == .packages ? "searchMorePackages" : "searchMoreObjects"]
            try Self.checkUnion(page, operation: more.name)
        } else {
            let data = try await graphQL(
                op, ["buckets": .array(buckets.map { .string($0) }), "searchString": .string(query), "size": .number(JSONNumber(size))],
                features: features)
            let result = data[stream == .packages ? "searchPackages" : "searchObjects"]
            if result?["__typename"]?.stringValue == "EmptySearchResultSet" { return ([], 0, nil) }
            try Self.checkUnion(result, operation: op.name)
            page = result?["firstPage"]
            if page?["__typename"] != nil { try Self.checkUnion(page, operation: op.name) }
            total = result?["total"]?.intValue
        }
        let raw = page?["hits"]?.arrayValue ?? []
        let hits = stream == .packages ? raw.compactMap(Self.packageHit) : raw.compactMap(Self.objectHit)
        return (hits, total, page?["cursor"]?.stringValue)
    }

    /// The registry's schema features (`SchemaProbe`, once per registry per process). A catalog that refuses
    /// introspection is treated as having REST search only.
    func schemaFeatures() async throws(QuiltOpsError) -> SchemaFeatures {
        let c = try await client()
        return try await configuration.directory.features(registry: c.registry) { () throws(QuiltOpsError) -> SchemaFeatures in
            do throws(CatalogError) {
                return SchemaFeatures.from(probe: try await c.graphQL(.schemaProbe))
            } catch {
                if case .graphQL = error { return .restOnly }
                throw error.quiltOpsError
            }
        }
    }

    static func objectHit(_ h: JSONValue) -> SearchHit? {
        guard h["deleted"]?.boolValue != true, let b = h["bucket"]?.stringValue, let key = h["key"]?.stringValue,
            let registry = try? RegistryURL.s3(b)
        else { return nil }
        let version = h["version"]?.stringValue.flatMap { $0.isEmpty || $0 == "null" ? nil : $0 }
        return SearchHit(
            kind: .object, registry: registry, object: PhysicalKey(s3Bucket: b, key: key, versionId: version),
            size: Int64(h["size"]?.doubleValue ?? 0), modified: CatalogDate.parse(h["modified"]?.stringValue),
            score: h["score"]?.doubleValue ?? 0, matchedIn: ["key"])
    }

    static func packageHit(_ h: JSONValue) -> SearchHit? {
        guard let b = h["bucket"]?.stringValue, let registry = try? RegistryURL.s3(b),
            let name = h["name"]?.stringValue.flatMap({ try? PackageName($0) })
        else { return nil }
        var matched: [String] = []
        let where_ = h["matchLocations"]
        if where_?["comment"]?.boolValue == true { matched.append("message") }
        if where_?["name"]?.boolValue == true { matched.append("name") }
        if where_?["meta"]?.boolValue == true { matched.append("user_meta") }
        if where_?["workflow"]?.boolValue == true { matched.append("workflow") }
        return SearchHit(
            kind: .package, registry: registry, package: name, hash: h["hash"]?.stringValue.flatMap { try? TopHash($0) },
            size: h["size"]?.doubleValue.map { Int64($0) }, modified: CatalogDate.parse(h["modified"]?.stringValue),
            score: h["score"]?.doubleValue ?? 0, matchedIn: matched.sorted())
    }

    /// Packages a search has returned, as 8-byte FNV-1a digests of `registry name`, carried in the cursor (base64):
    /// at most `limit` of them (the oldest are forgotten past it, ~5 KB of cursor), so a repeat is possible only
    /// after that many packages.
    struct SeenPackages {
        static let limit = 500
        private var digests: [UInt64] = []

        init(_ encoded: String?) {
            guard let encoded, let data = Data(base64Encoded: encoded) else { return }
            let bytes = [UInt8](data)
            for start in stride(from: 0, to: bytes.count - bytes.count % 8, by: 8) {
                digests.append(bytes[start..<start + 8].reduce(0) { $0 << 8 | UInt64($1) })
            }
        }

        /// Adds `identity`; false when it was already there.
        mutating func insert(_ identity: String) -> Bool {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in identity.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
            guard !digests.contains(h) else { return false }
            digests.append(h)
            if digests.count > Self.limit { digests.removeFirst(digests.count - Self.limit) }
            return true
        }

        var encoded: String {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(digests.count * 8)
            for d in digests { for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: d >> UInt64(shift))) } }
            return Data(bytes).base64EncodedString()
        }
    }


    // MARK: - REST search

    /// The Elasticsearch DSL `/api/search` is sent: every word must match, `from` hits skipped.
    static func restBody(_ query: String, size: Int, from: Int = 0) -> JSONObject {
        var body: JSONObject = [
            "query": ["simple_query_string": ["query": .string(query), "default_operator": "and"]],
            "size": .number(JSONNumber(size)),
        ]
        if from > 0 { body["from"] = .number(JSONNumber(from)) }
        return body
    }

    /// `GET /api/search?index=…&action=freeform&body=<DSL>&size=n`: every word must match (AND), latest
    /// pointers only for packages, `from` hits skipped. Answers are Elasticsearch's: `hits.hits[]._source`.
    /// Returns the hits (one per pointer document; `searchPage` keeps one per package), the total and how many
    /// hits the answer held.
    func restSearch(_ query: String, indexes: [String], size: Int, from: Int = 0) async throws(QuiltOpsError) -> ([SearchHit], Int, Int) {
        let body = Self.restBody(query, size: size, from: from)
        let c = try await client()
        let json: JSONValue
        do {
            json = try await c.getJSON(
                "/api/search",
                query: [("index", indexes.joined(separator: ",")), ("action", "freeform"), ("body", JSONWriter.compact(.object(body))), ("size", String(size))],
                operation: "Search")
        } catch {
            throw error.quiltOpsError
        }
        var hits: [SearchHit] = []
        let answered = json["hits"]?["hits"]?.arrayValue ?? []
        for h in answered {
            let source = h["_source"]
            let index = h["_index"]?.stringValue ?? ""
            let score = h["_score"]?.doubleValue ?? 0
            if index.hasSuffix("_packages") {
                let bucket = String(index.dropLast("_packages".count))
                guard let registry = try? RegistryURL.s3(bucket), let name = source?["ptr_name"]?.stringValue.flatMap({ try? PackageName($0) })
                else { continue }
                hits.append(
                    SearchHit(
                        kind: .package, registry: registry, package: name,
                        hash: source?["mnfst_hash"]?.stringValue.flatMap { try? TopHash($0) },
                        size: source?["mnfst_stats"]?["total_bytes"]?.doubleValue.map { Int64($0) },
                        modified: CatalogDate.parse(source?["mnfst_last_modified"]?.stringValue ?? source?["ptr_last_modified"]?.stringValue),
                        score: score, matchedIn: []))
            } else if let key = source?["key"]?.stringValue, let registry = try? RegistryURL.s3(index) {
                let version = source?["version_id"]?.stringValue.flatMap { $0.isEmpty || $0 == "null" ? nil : $0 }
                hits.append(
                    SearchHit(
                        kind: .object, registry: registry, object: PhysicalKey(s3Bucket: index, key: key, versionId: version),
                        size: source?["size"]?.doubleValue.map { Int64($0) }, modified: CatalogDate.parse(source?["last_modified"]?.stringValue),
                        score: score, matchedIn: ["key"]))
            }
        }
        let total = json["hits"]?["total"]?["value"]?.intValue ?? json["hits"]?["total"]?.intValue ?? hits.count
        return (hits, total, answered.count)
    }

    // MARK: - Auth

    /// `me` with the caller's token: authenticated when the catalog names a user. Failures (a refused token, an
    /// unreachable catalog) are reported, never thrown.
    package func authStatus() async throws(QuiltOpsError) -> AuthStatus {
        let registry = try? await registryURL()
        var status = AuthStatus(
            authenticated: false, method: configuration.authMethod, catalogURL: configuration.catalogURL, registry: registry,
            detail: "")
        if (try? await catalogConfig())??.isLocal == true {
            // quilt3-local has no users (and no `me`): whoever reaches it acts with the workstation's AWS credentials.
            status.authenticated = true
            status.detail = "A quilt3 local catalog (quilt3 catalog) at \(registry ?? "?"): no sign-in; it reads packages with, and lends, the AWS credentials of the machine it runs on."
            return status
        }
        var token = configuration.bearerToken
        if token?.isEmpty ?? true, let registry {
            do {
                token = try await currentToken(registry: registry)
            } catch {
                status.detail = error.message
                return status
            }
        }
        guard let token, !token.isEmpty else {
            status.detail = "No bearer token: send Authorization: Bearer <catalog JWT> (HTTP), set QUILT_MCP_JWT_TOKEN, or `quilt3 login` (auth=session)."
            return status
        }
        do {
            let data = try await graphQL(.me)
            guard let me = data["me"], !me.isNull else {
                status.detail = "The catalog at \(registry ?? "?") does not recognise the token (me is null)."
                return status
            }
            status.authenticated = true
            status.identity = me["email"]?.stringValue ?? me["name"]?.stringValue
            status.catalogUser = CatalogUser(
                name: me["name"]?.stringValue, role: me["role"]?["name"]?.stringValue, admin: me["isAdmin"]?.boolValue)
            let role = me["role"]?["name"]?.stringValue.map { ", role \($0)" } ?? ""
            let admin = me["isAdmin"]?.boolValue == true ? ", admin" : ""
            status.detail = "Signed in to the catalog as \(me["name"]?.stringValue ?? "?")\(role)\(admin); packages through GraphQL at \(registry ?? "?")/graphql, objects through the catalog's AWS credentials."
        } catch {
            status.detail = "The catalog did not accept the token: \(error.message)"
        }
        return status
    }
}
