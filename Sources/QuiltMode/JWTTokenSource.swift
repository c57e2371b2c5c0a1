/// Where the configured bearer token comes from. Describes the place, never the token.
package enum JWTTokenSource: Sendable, Hashable, CustomStringConvertible {
    /// The token is the value of this variable (`QUILT_MCP_JWT_TOKEN`).
    case environment(String)
    /// The token is the content of the file at `path`, named by `setBy` (`--jwt-token-file` or
    /// `QUILT_MCP_JWT_TOKEN_FILE`).
    case file(path: String, setBy: String)

    /// `QUILT_MCP_JWT_TOKEN`, `--jwt-token-file /run/token` or `QUILT_MCP_JWT_TOKEN_FILE=/run/token`.
    package var description: String {
        switch self {
        case .environment(let variable): return variable
        case .file(let path, let setBy): return setBy.hasPrefix("--") ? "\(setBy) \(path)" : "\(setBy)=\(path)"
        }
    }

    /// The setting source this token source corresponds to.
    var settingSource: SettingSource {
        switch self {
        case .environment(let variable): return .environment(variable)
        case .file(_, let setBy): return setBy.hasPrefix("--") ? .flag(setBy) : .environment(setBy)
        }
    }
}

/// A secret string that never appears in descriptions, debug output or reflection (`dump`, `Mirror`).
struct RedactedSecret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let value: String
    var description: String { "<redacted>" }
    var debugDescription: String { "<redacted>" }
    var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
