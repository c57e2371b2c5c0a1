/// Where a resolved setting came from.
package enum SettingSource: Sendable, Hashable, CustomStringConvertible {
    /// A command-line flag, e.g. `--api`.
    case flag(String)
    /// A `QUILT_MCP_*` environment variable, e.g. `QUILT_MCP_API`.
    case environment(String)
    /// A deprecated variable of the Python server, e.g. `QUILT_DEPLOYMENT`.
    case legacy(String)
    /// A preset (`local` or `remote`) chosen `via` a flag or variable (`--mode`, `QUILT_MCP_MODE`, or a legacy variable).
    case preset(String, via: String)
    /// Nothing configured it: the built-in default (the `local` preset's value for preset dimensions).
    case `default`
    /// Computed from other settings; the text says why.
    case derived(String)

    /// Human text: `--api`, `QUILT_MCP_API`, `QUILT_DEPLOYMENT (deprecated)`, `preset remote (QUILT_MCP_MODE)`,
    /// `default`, or `derived (<why>)`.
    package var description: String {
        switch self {
        case .flag(let name): return name
        case .environment(let name): return name
        case .legacy(let name): return "\(name) (deprecated)"
        case .preset(let preset, let via): return "preset \(preset) (\(via))"
        case .default: return "default"
        case .derived(let why): return "derived (\(why))"
        }
    }

    /// True when the user set the value with a command-line flag (directly or through `--mode`); suggestions
    /// are then phrased as flags.
    var isFromFlags: Bool {
        switch self {
        case .flag: return true
        case .preset(_, let via): return via.hasPrefix("--")
        default: return false
        }
    }
}
