package import Logging
package import QuiltMode

/// swift-log set up for the server: everything to standard error (standard output carries only JSON-RPC).
package enum ServerLogging {
    /// The swift-log level for a mode's `log_level`.
    package static func level(_ level: Mode.LogLevel) -> Logger.Level {
        switch level {
        case .error: return .error
        case .warning: return .warning
        case .info: return .info
        case .debug: return .debug
        }
    }

    /// Routes every logger in the process to standard error. Call once, before anything logs.
    package static func bootstrap() {
        LoggingSystem.bootstrap { label in StreamLogHandler.standardError(label: label) }
    }

    /// A logger named `label` at the mode's level.
    package static func logger(_ label: String, mode: Mode) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = level(mode.logLevel)
        return logger
    }
}
