/// The MCP revisions this server speaks, and the two eras they belong to.
///
/// The **handshake era** (2024-11-05 … 2025-11-25) opens a connection with `initialize`; the connection then has one
/// negotiated version. The **modern era** (2026-07-28) has no handshake: every request names its version and the
/// client's capabilities in `params._meta`, and a server keeps nothing between requests.
package enum ProtocolVersion {
    /// Handshake-era revisions, newest first; the first is the counter-offer to a version the server does not know.
    package static let handshake = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]
    /// Modern-era revisions, newest first.
    package static let modern = ["2026-07-28"]
    /// The newest handshake revision.
    package static let latestHandshake = "2025-11-25"
    /// What a request without an `MCP-Protocol-Version` header is taken to speak over HTTP (the transport spec's rule).
    package static let assumedWithoutHeader = "2025-03-26"

    /// Whether `version` is served through `initialize`.
    package static func isHandshake(_ version: String) -> Bool { handshake.contains(version) }
    /// Whether `version` is served with per-request metadata.
    package static func isModern(_ version: String) -> Bool { modern.contains(version) }

    /// The version `initialize` answers for a client that asked for `requested`: the same one when served, else the
    /// newest (the client then decides whether it can go on).
    package static func negotiate(_ requested: String?) -> String {
        guard let requested, isHandshake(requested) else { return latestHandshake }
        return requested
    }
}

/// Which era a request is served in, with the version it speaks.
package enum Era: Sendable, Equatable {
    /// After `initialize`: the negotiated version.
    case handshake(String)
    /// A 2026-07-28 request: the version its `_meta` names.
    case modern(String)

    /// The version string.
    package var version: String {
        switch self {
        case .handshake(let v), .modern(let v): return v
        }
    }

    /// Whether this is the modern era.
    package var isModern: Bool {
        if case .modern = self { return true }
        return false
    }
}
