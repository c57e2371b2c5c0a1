package import Logging
package import QuiltContract
package import QuiltMode
import QuiltBackends

/// What every MCP handler shares: the resolved mode, the request's backend, the logger, and the request's
/// cancellation switch and toolsets.
package struct ServerContext: Sendable {
    /// The resolved deployment mode.
    package let mode: Mode
    /// The backend requests use (or the typed error every `tools/call` then returns).
    package let backendResult: Result<any QuiltOps, QuiltOpsError>
    /// Standard-error logger at the mode's level.
    package let logger: Logger
    /// Lets another request cancel this context's tool call (handshake-era HTTP: stateless requests and sessions);
    /// nil where cancelling the call's task is enough (stdio).
    package var cancellation: CallCancellation?
    /// The toolsets this context serves and the setting that chose them (the mode's, or narrower for one HTTP
    /// request); nil: every toolset.
    package var toolsets: (names: Set<String>, setting: String)?
    /// Who is calling, for binding consent to its caller: the verified token's issuer and subject, else the token's
    /// digest; nil without a token (stdio on local credentials).
    package var principal: String?
    /// The query engines for this caller, over its backend and with its credentials (never the server's own where
    /// a caller's token is what authorizes); nil when there is no backend.
    package let query: (any QueryOps)?
    /// Tabulator for this caller: the catalog's with api=platform, else the registry's own (kept beside its packages).
    package let tabulator: any TabulatorOps
    /// Access checks for this caller, with its credentials; nil when there is no backend.
    package let access: (any AccessOps)?
    /// Catalog administration for this caller (the catalog's with api=platform, as the caller; else `unsupported`).
    package let admin: any AdminOps

    /// A context whose requests use `backend`, for the caller with `credentials` (nil: the process's own).
    package init(mode: Mode, backend: Result<any QuiltOps, QuiltOpsError>, credentials: RequestCredentials?, logger: Logger) {
        self.mode = mode
        self.backendResult = backend
        self.logger = logger
        query = (try? backend.get()).map { BackendFactory.queryEngine(mode: mode, ops: $0, credentials: credentials) }
        tabulator = BackendFactory.tabulator(
            mode: mode, ops: try? backend.get(), backendID: (try? backend.get())?.backendID.rawValue ?? mode.api.rawValue, credentials: credentials)
        access = (try? backend.get()).map { BackendFactory.access(mode: mode, ops: $0, credentials: credentials) }
        admin = BackendFactory.admin(mode: mode, backendID: (try? backend.get())?.backendID.rawValue ?? mode.api.rawValue, credentials: credentials)
        toolsets = mode.toolsetsSetting
    }

    /// The backend for the request being handled.
    package func backend() async -> Result<any QuiltOps, QuiltOpsError> { backendResult }
}
