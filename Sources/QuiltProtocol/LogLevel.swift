import QuiltJSON

/// The protocol's log levels (RFC 5424's, least severe first), and the `notifications/message` a request may send.
package enum ClientLogLevel: String, Sendable, CaseIterable, Comparable {
    case debug, info, notice, warning, error, critical, alert, emergency

    /// The level named `text`; nil for anything else.
    package init?(name text: String?) {
        guard let text, let level = ClientLogLevel(rawValue: text) else { return nil }
        self = level
    }

    package static func < (a: ClientLogLevel, b: ClientLogLevel) -> Bool {
        allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
    }

    /// The names, for error messages.
    package static let names = allCases.map(\.rawValue).joined(separator: ", ")
}

extension RequestContext {
    /// Sends `notifications/message` at `level` when the client asked for messages at least that severe: by the
    /// request's `_meta` log level (2026-07-28) or by `logging/setLevel` on the connection (handshake era). Nothing
    /// otherwise: a client that asked for no messages gets none.
    package func log(_ level: ClientLogLevel, _ text: String, logger: String = "quilt-mcp") async {
        guard let threshold = ClientLogLevel(name: logLevel), level >= threshold else { return }
        await notify("notifications/message", ["level": .string(level.rawValue), "logger": .string(logger), "data": .string(text)])
    }
}
