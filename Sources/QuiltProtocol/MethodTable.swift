package import QuiltJSON

/// How long a client may keep a list or read result (2026-07-28's `ttlMs` and `cacheScope`).
package struct CacheHint: Sendable, Equatable {
    /// Whether a cached result may be shared across authorization contexts.
    package enum Scope: String, Sendable {
        /// The same for every caller (no user data).
        case `public`
        /// Reusable only by the caller that received it.
        case `private`
    }

    /// Milliseconds the result stays fresh; 0 means re-fetch whenever needed.
    package var ttlMs: Int
    /// Who may share it.
    package var scope: Scope

    /// A hint of `ttlMs` and `scope`.
    package init(ttlMs: Int, scope: Scope) {
        self.ttlMs = ttlMs
        self.scope = scope
    }
}

/// One method the server answers beyond the protocol's own (`initialize`, `ping`, `server/discover`).
package struct MCPMethod: Sendable {
    /// The JSON-RPC method name.
    package var name: String
    /// The freshness hint its results carry in 2026-07-28; nil for methods whose results are not cacheable.
    package var cache: CacheHint?
    /// Answers one request. Throw ``RPCError`` for a protocol error, `CancellationError` when the request was
    /// cancelled and must not be answered; anything else becomes -32603.
    package var handler: @Sendable (RequestContext) async throws -> JSONObject

    /// A method named `name`.
    package init(_ name: String, cache: CacheHint? = nil, handler: @escaping @Sendable (RequestContext) async throws -> JSONObject) {
        self.name = name
        self.cache = cache
        self.handler = handler
    }
}

/// Who the server is, as `initialize` and `server/discover` say.
package struct ServerIdentity: Sendable {
    /// `serverInfo.name`.
    package var name: String
    /// `serverInfo.version`.
    package var version: String
    /// `serverInfo.title`.
    package var title: String?
    /// The `instructions` for the model.
    package var instructions: String?

    /// An identity.
    package init(name: String, version: String, title: String?, instructions: String?) {
        self.name = name
        self.version = version
        self.title = title
        self.instructions = instructions
    }

    /// The `serverInfo` object.
    package var serverInfo: JSONObject {
        var info: JSONObject = ["name": .string(name), "version": .string(version)]
        if let title { info["title"] = .string(title) }
        return info
    }
}
