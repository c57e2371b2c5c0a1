/// Markdown generated from ``SettingDescriptor/all`` and ``LegacyVariable/all``, for the README.
package enum ModeDocumentation {
    /// The configuration table: one row per setting with its flag, `QUILT_MCP_` variable(s), accepted values,
    /// default in the local and remote presets, and the legacy Python variables that map onto it. Never fails.
    package static func markdownTable() -> String {
        var lines = [
            "| Setting | Flag | Variable | Values | Default (local preset / remote preset) | Legacy variables |",
            "|---|---|---|---|---|---|",
        ]
        for d in SettingDescriptor.all {
            let defaults = d.localDefault == d.remoteDefault ? d.localDefault : "\(d.localDefault) / \(d.remoteDefault)"
            let legacy = d.legacyVariables.map { "`\($0)`" }.joined(separator: ", ")
            lines.append("| `\(d.name.rawValue)` | \(d.flag.map { "`\($0)`" } ?? "–") | "
                + d.variables.map { "`\($0)`" }.joined(separator: ", ")
                + " | \(d.values) | \(defaults) | \(legacy.isEmpty ? "–" : legacy) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The legacy-variable table: each deprecated Python-server variable, how its values map, and its
    /// replacement. Never fails.
    package static func legacyTable() -> String {
        var lines = ["| Legacy variable | Maps to | Replacement |", "|---|---|---|"]
        for v in LegacyVariable.all {
            lines.append("| `\(v.name)` | \(v.mapping) | \(v.replacement) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
