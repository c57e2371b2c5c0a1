package import Logging
package import QuiltContract
package import QuiltMode
import QuiltBackends
package import QuiltTools
import Synchronization

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
    /// The engines beside the backend, for this caller (with its credentials, never the server's own where a
    /// caller's token is what authorizes), each made on first use.
    package let services: ServerServices
    /// The query engines over the backend; nil when there is no backend.
    package var query: (any QueryOps)? { services.query }
    /// Tabulator: the catalog's with api=platform, else the registry's own (kept beside its packages).
    package var tabulator: any TabulatorOps { services.madeTabulator }
    /// Access checks; nil when there is no backend.
    package var access: (any AccessOps)? { services.access }
    /// Catalog administration (the catalog's with api=platform, as the caller; else `unsupported`).
    package var admin: any AdminOps { services.madeAdmin }

    /// A context whose requests use `backend`, for the caller with `credentials` (nil: the process's own).
    package init(mode: Mode, backend: Result<any QuiltOps, QuiltOpsError>, credentials: RequestCredentials?, logger: Logger) {
        self.mode = mode
        self.backendResult = backend
        self.logger = logger
        services = ServerServices(mode: mode, backend: backend, credentials: credentials)
        toolsets = mode.toolsetsSetting
    }

    /// The backend for the request being handled.
    package func backend() async -> Result<any QuiltOps, QuiltOpsError> { backendResult }
}

/// A request's engines beside its backend, made when a call first asks for one: most calls need none, and making
/// all four for every request was a tenth of a remote call's own CPU. The command line's one call uses it too.
package final class ServerServices: ToolServices {
    private let mode: Mode
    private let backend: Result<any QuiltOps, QuiltOpsError>
    private let credentials: RequestCredentials?
    private let made = Mutex(Made())

    private struct Made {
        var query: (any QueryOps)??
        var tabulator: (any TabulatorOps)?
        var access: (any AccessOps)??
        var admin: (any AdminOps)?
    }

    /// The engines for the caller with `credentials` (nil: the process's own) beside `backend`.
    package init(mode: Mode, backend: Result<any QuiltOps, QuiltOpsError>, credentials: RequestCredentials?) {
        self.mode = mode
        self.backend = backend
        self.credentials = credentials
    }

    private var ops: (any QuiltOps)? { try? backend.get() }
    private var backendID: String { ops?.backendID.rawValue ?? mode.api.rawValue }

    package var query: (any QueryOps)? {
        once(\.query) { ops.map { BackendFactory.queryEngine(mode: mode, ops: $0, credentials: credentials) } }
    }

    package var tabulator: (any TabulatorOps)? { madeTabulator }

    var madeTabulator: any TabulatorOps {
        once(\.tabulator) { BackendFactory.tabulator(mode: mode, ops: ops, backendID: backendID, credentials: credentials) }
    }

    package var access: (any AccessOps)? {
        once(\.access) { ops.map { BackendFactory.access(mode: mode, ops: $0, credentials: credentials) } }
    }

    package var admin: (any AdminOps)? { madeAdmin }

    var madeAdmin: any AdminOps {
        once(\.admin) { BackendFactory.admin(mode: mode, backendID: backendID, credentials: credentials) }
    }

    /// The value in `slot`, made by `make` the first time.
    private func once<T: Sendable>(_ slot: WritableKeyPath<Made, T?> & Sendable, _ make: () -> T) -> T {
        made.withLock { made in
            if let value = made[keyPath: slot] { return value }
            let value = make()
            made[keyPath: slot] = value
            return value
        }
    }
}
