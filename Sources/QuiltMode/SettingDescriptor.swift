/// One configuration setting described as data: its flag, variables, accepted values, defaults and the
/// deprecated variables that map onto it.
///
/// The resolver, the flag parser and ``ModeDocumentation`` all read ``SettingDescriptor/all``, so the documented
/// table and the behaviour cannot drift apart.
package struct SettingDescriptor: Sendable, Hashable {
    /// The setting.
    package let name: SettingName
    /// The command-line flag, e.g. `--api` (`--jwt-token-file` for the token).
    package let flag: String?
    /// The `QUILT_MCP_*` variables, highest precedence first (two for the token: value and file).
    package let variables: [String]
    /// The accepted values, for docs: e.g. `registry | platform`.
    package let values: String
    /// The value in the `local` preset (which is also the default when nothing is configured), as docs text.
    package let localDefault: String
    /// The value in the `remote` preset, as docs text.
    package let remoteDefault: String
    /// True when a preset (`--mode`, `QUILT_MCP_MODE`) sets this setting.
    package let presetControlled: Bool
    /// One sentence saying what the setting controls.
    package let summary: String
    /// How values are parsed.
    let kind: ValueKind
    /// The canonical value in each preset (preset-controlled settings) or the plain default (others); nil = unset.
    let localValue: String?
    let remoteValue: String?

    /// The deprecated Python-server variables that map onto this setting, in ``LegacyVariable/all`` order.
    package var legacyVariables: [String] {
        LegacyVariable.all.filter { $0.settings.contains(name) }.map(\.name)
    }

    /// The descriptor of `name`. Never fails: every ``SettingName`` has exactly one descriptor.
    package static func of(_ name: SettingName) -> SettingDescriptor {
        all.first { $0.name == name }!
    }

    /// The canonical value a preset gives this setting, or nil if the preset does not set it.
    func presetValue(_ preset: Mode.Preset) -> String? {
        guard presetControlled else { return nil }
        return preset == .local ? localValue : remoteValue
    }

    /// The canonical value used when nothing sets this setting (the local preset's value, or the plain default).
    var defaultValue: String? { localValue }
}
