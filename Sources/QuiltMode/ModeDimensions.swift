extension Mode {
    /// Which API answers Quilt operations.
    package enum API: String, CaseIterable, Sendable, Hashable {
        /// The quilt3 registry layout read and written directly on S3, a local directory or memory.
        case registry
        /// The Quilt catalog (Platform) GraphQL and REST API.
        case platform
    }

    /// How the server authenticates to the storage or the catalog.
    package enum Auth: String, CaseIterable, Sendable, Hashable {
        /// quilt3's login session (files under the user's data directory).
        case session
        /// AWS credentials from the standard AWS credential chain.
        case iam
        /// A catalog bearer token (JWT): per request over HTTP, or a configured token over stdio.
        case jwt
    }

    /// Whether the server may keep state on the local filesystem.
    package enum State: String, CaseIterable, Sendable, Hashable {
        /// May read and write files (quilt3 data directory, HOME-based AWS configuration).
        case persistent
        /// Writes nothing to disk and never opens files under HOME.
        case stateless
    }

    /// Where the server runs.
    package enum Locale: String, CaseIterable, Sendable, Hashable {
        /// A developer's machine: one user.
        case local
        /// A deployed service (container), reached over HTTP.
        case remote
    }

    /// How MCP clients reach the server.
    package enum Transport: String, CaseIterable, Sendable, Hashable {
        /// JSON-RPC over standard input/output: one client per process.
        case stdio
        /// Streamable HTTP at `/mcp`.
        case http
    }

    /// Whether one process serves one tenant or many.
    package enum Tenancy: String, CaseIterable, Sendable, Hashable {
        /// One tenant per process.
        case single
        /// Many tenants; the tenant comes only from verified bearer-token claims.
        case multi
    }

    /// The least severe log message written (to standard error).
    package enum LogLevel: String, CaseIterable, Sendable, Hashable {
        /// Failures only.
        case error
        /// Failures and warnings (the default).
        case warning
        /// Also start-up facts and one line per request.
        case info
        /// Everything, for diagnosing the server.
        case debug
    }

    /// A named bundle of dimension values; a per-dimension setting in the same tier overrides it.
    package enum Preset: String, CaseIterable, Sendable, Hashable {
        /// api=registry, auth=session, state=persistent, locale=local, transport=stdio, tenancy=single,
        /// host=127.0.0.1 — the default when nothing is configured.
        case local
        /// api=platform, auth=jwt, state=stateless, locale=remote, transport=http, tenancy=multi, host=0.0.0.0.
        case remote
    }
}
