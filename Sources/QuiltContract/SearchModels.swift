public import FoundationEssentials
public import QuiltJSON

/// A search across one or more registries, one page at a time.
public struct SearchRequest: Sendable, Hashable {
    public enum Scope: String, Sendable, Hashable, CaseIterable { case packages, objects, all }
    /// Words to match (all must match, case-insensitively).
    public var query: String
    /// Where to search; empty means every registry the backend knows.
    public var registries: [RegistryURL]
    public var scope: Scope
    /// Most hits on this page.
    public var limit: Int
    /// The `nextCursor` of the previous page of the same search (same query, scope and registries); nil for the
    /// first page.
    public var cursor: String?
    public init(query: String, registries: [RegistryURL] = [], scope: Scope = .packages, limit: Int = 50, cursor: String? = nil) {
        self.query = query
        self.registries = registries
        self.scope = scope
        self.limit = limit
        self.cursor = (cursor?.isEmpty ?? true) ? nil : cursor
    }

    /// What a cursor must belong to: the query, scope and registries (not the page size, which may change).
    var identity: JSONValue {
        ["q": .string(query), "s": .string(scope.rawValue), "r": .array(registries.map { .string($0.url) })]
    }

    /// The backend's paging state carried by `cursor` (an empty object for the first page).
    /// - Throws: `invalidInput(field: "cursor")` for a cursor this server did not make, or one from another search.
    public func cursorState() throws(QuiltOpsError) -> JSONObject {
        guard let cursor else { return [:] }
        let text = try Cursor.decode(cursor)
        guard let json = try? JSONParser.parse(Array(text.utf8)), let state = json["state"]?.objectValue else {
            throw .invalidInput(field: "cursor", reason: "'\(cursor)' is not a search cursor; omit it to start over.")
        }
        guard json["search"] == identity else {
            throw .invalidInput(
                field: "cursor", reason: "belongs to another search (other words, scope or registries); repeat that search's query, scope and registries, or omit the cursor to start over.")
        }
        return state
    }

    /// The cursor for the page after this one: `state` tied to this search.
    public func nextCursor(_ state: JSONObject) -> String {
        Cursor.encode(after: JSONWriter.compact(["search": identity, "state": .object(state)]))
    }
}

/// One search result.
public struct SearchHit: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case package, object }
    public var kind: Kind
    public var registry: RegistryURL
    /// Package hits: the package and its latest hash.
    public var package: PackageName?
    public var hash: TopHash?
    /// Object hits: the object.
    public var object: PhysicalKey?
    public var size: Int64?
    public var modified: Date?
    /// Higher is better.
    public var score: Double
    /// Where the words matched, e.g. `name`, `message`, `user_meta`, `key`.
    public var matchedIn: [String]
    public init(
        kind: Kind, registry: RegistryURL, package: PackageName? = nil, hash: TopHash? = nil, object: PhysicalKey? = nil,
        size: Int64? = nil, modified: Date? = nil, score: Double, matchedIn: [String]
    ) {
        self.kind = kind
        self.registry = registry
        self.package = package
        self.hash = hash
        self.object = object
        self.size = size
        self.modified = modified
        self.score = score
        self.matchedIn = matchedIn
    }
}

/// One page of search results, best first.
public struct SearchResult: Sendable, Hashable {
    public var hits: [SearchHit]
    /// Total matches when known (may exceed `hits.count`).
    public var total: Int?
    /// Pass as the next request's `cursor` for the following page; nil when there is none.
    public var nextCursor: String?
    public init(hits: [SearchHit], total: Int?, nextCursor: String? = nil) {
        self.hits = hits
        self.total = total
        self.nextCursor = nextCursor
    }
}

/// How a backend would run a search, without running it: what it matches, where, and the request it would send.
public struct SearchExplanation: Sendable, Hashable {
    /// How the backend searches, e.g. `manifest scan` or `catalog GraphQL`.
    public var engine: String
    /// The words every hit must match, as the backend splits them.
    public var words: [String]
    public var scope: SearchRequest.Scope
    /// The registries searched (when the request named none: every one the backend knows).
    public var registries: [String]
    /// How the words are matched, one rule per sentence, per stream (`packages`, `objects`).
    public var matching: [String: String]
    /// What the backend would send, per stream (a GraphQL operation and its variables, or a REST request); empty
    /// when it searches its own listings.
    public var requests: [String: JSONValue]
    public init(
        engine: String, words: [String], scope: SearchRequest.Scope, registries: [String], matching: [String: String],
        requests: [String: JSONValue] = [:]
    ) {
        self.engine = engine
        self.words = words
        self.scope = scope
        self.registries = registries
        self.matching = matching
        self.requests = requests
    }
}

/// Who the backend acts as.
public struct AuthStatus: Sendable, Hashable {
    public var authenticated: Bool
    /// `none` (local files need no credentials), `aws-iam`, `quilt3-session`, `jwt`.
    public var method: String
    public var identity: String?
    public var catalogURL: String?
    public var registry: String?
    /// One sentence for a person.
    public var detail: String
    /// The catalog's user (name, role, admin) when the backend is signed in to a catalog.
    public var catalogUser: CatalogUser?
    public init(
        authenticated: Bool, method: String, identity: String? = nil, catalogURL: String? = nil,
        registry: String? = nil, detail: String
    ) {
        self.authenticated = authenticated
        self.method = method
        self.identity = identity
        self.catalogURL = catalogURL
        self.registry = registry
        self.detail = detail
    }
}

extension SearchHit {
    /// Where a hit stands in the order every backend lists hits in: best score first, then newest (no date last),
    /// then by registry and package name or object URL, so hits with equal scores page stably. `<` is "ranks before".
    public struct Rank: Comparable, Sendable {
        public var score: Double
        /// Whole milliseconds since 1970 (a cursor carries it exactly).
        public var modifiedMillis: Int64?
        public var id: String

        public static func < (a: Rank, b: Rank) -> Bool {
            if a.score != b.score { return a.score > b.score }
            if a.modifiedMillis != b.modifiedMillis { return (a.modifiedMillis ?? .min) > (b.modifiedMillis ?? .min) }
            return a.id < b.id
        }

        /// The rank as a cursor carries it.
        public var json: JSONValue {
            ["score": .number(JSONNumber(score)), "modified": modifiedMillis.map { .number(JSONNumber($0)) } ?? .null, "id": .string(id)]
        }

        /// A rank read back from `json`, nil when it is not one.
        public init?(json: JSONValue?) {
            guard let score = json?["score"]?.doubleValue, let id = json?["id"]?.stringValue else { return nil }
            self.score = score
            self.modifiedMillis = json?["modified"]?.intValue.map(Int64.init)
            self.id = id
        }

        public init(score: Double, modifiedMillis: Int64?, id: String) {
            self.score = score
            self.modifiedMillis = modifiedMillis
            self.id = id
        }
    }

    public var rank: Rank {
        Rank(
            score: score, modifiedMillis: modified.map { Int64(($0.timeIntervalSince1970 * 1000).rounded(.down)) },
            id: registry.url + " " + (package?.rawValue ?? object?.url ?? ""))
    }
}
