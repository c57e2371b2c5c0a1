import Foundation

/// A search across one or more registries.
public struct SearchRequest: Sendable, Hashable {
    public enum Scope: String, Sendable, Hashable, CaseIterable { case packages, objects, all }
    /// Words to match (all must match, case-insensitively).
    public var query: String
    /// Where to search; empty means every registry the backend knows.
    public var registries: [RegistryURL]
    public var scope: Scope
    public var limit: Int
    public init(query: String, registries: [RegistryURL] = [], scope: Scope = .packages, limit: Int = 50) {
        self.query = query
        self.registries = registries
        self.scope = scope
        self.limit = limit
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

/// Search results, best first.
public struct SearchResult: Sendable, Hashable {
    public var hits: [SearchHit]
    /// Total matches when known (may exceed `hits.count`).
    public var total: Int?
    public init(hits: [SearchHit], total: Int?) {
        self.hits = hits
        self.total = total
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
