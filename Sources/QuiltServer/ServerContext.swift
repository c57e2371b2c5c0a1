package import Logging
package import MCP
package import QuiltContract
package import QuiltMode

/// What every MCP handler shares: the resolved mode, where each request's backend comes from, where exact JSON
/// is parked, and the logger.
package struct ServerContext: Sendable {
    /// The resolved deployment mode.
    package let mode: Mode
    /// How a request gets its backend (or the typed error every `tools/call` then returns).
    package let backends: BackendSource
    /// The store ``ExactJSONTransport`` parks arguments in; nil when the transport does no exact JSON.
    package let exact: ExactJSONStore?
    /// Standard-error logger at the mode's level.
    package let logger: Logger
    /// The toolsets this context serves and the setting that chose them (the mode's, or narrower for one HTTP
    /// request); nil: every toolset.
    package var toolsets: (names: Set<String>, setting: String)?
    /// Lets the HTTP endpoint cancel this context's tool call from another request (stateless HTTP); nil elsewhere,
    /// where the SDK delivers `notifications/cancelled` itself.
    package var cancellation: CallCancellation?
    /// With sessions: the session's calls by JSON-RPC id, so a cancellation can reach a call even when it overtakes
    /// the request. Each call finds its own id in the HTTP request the SDK exposes to the handler.
    package var calls: CallRegistry?

    /// A context whose every request uses one backend result (stdio; one HTTP request).
    package init(mode: Mode, backend: Result<any QuiltOps, QuiltOpsError>, exact: ExactJSONStore?, logger: Logger) {
        self.init(mode: mode, backends: .fixed(backend), exact: exact, logger: logger)
    }

    /// A context with an explicit backend source.
    package init(mode: Mode, backends: BackendSource, exact: ExactJSONStore?, logger: Logger) {
        self.mode = mode
        self.backends = backends
        self.exact = exact
        self.logger = logger
        toolsets = mode.toolsetsSetting
    }

    /// The backend for the request being handled: the fixed one, or the one resolved from the HTTP request the
    /// SDK exposes to the running handler (`Server.currentHandlerContext`).
    package func backend() async -> Result<any QuiltOps, QuiltOpsError> {
        switch backends {
        case .fixed(let result): return result
        case .perRequest(let resolve): return await resolve(MCP.Server.currentHandlerContext?.httpContext)
        }
    }
}

/// Where a context's requests get their backend.
package enum BackendSource: Sendable {
    /// One backend (or failure) for every request.
    case fixed(Result<any QuiltOps, QuiltOpsError>)
    /// A backend per request, from the originating HTTP request (its `Authorization` header); used by stateful
    /// HTTP sessions, where one server answers many HTTP requests that may carry different tokens.
    case perRequest(@Sendable (MCP.HTTPRequest?) async -> Result<any QuiltOps, QuiltOpsError>)
}
