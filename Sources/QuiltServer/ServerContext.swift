import Logging
import QuiltMode
import QuiltOps

/// What every MCP handler shares: the resolved mode, the backend made from it once at start-up (or the typed
/// error that stopped it), where exact JSON is parked, and the logger.
public struct ServerContext: Sendable {
    /// The resolved deployment mode.
    public let mode: Mode
    /// The backend, or why none could be made; a failure is returned by every `tools/call`.
    public let backend: Result<any QuiltOps, QuiltOpsError>
    /// The store ``ExactJSONTransport`` parks arguments in; nil when the transport does no exact JSON.
    public let exact: ExactJSONStore?
    /// Standard-error logger at the mode's level.
    public let logger: Logger

    /// A context with an explicit backend result.
    public init(mode: Mode, backend: Result<any QuiltOps, QuiltOpsError>, exact: ExactJSONStore?, logger: Logger) {
        self.mode = mode
        self.backend = backend
        self.exact = exact
        self.logger = logger
    }
}
