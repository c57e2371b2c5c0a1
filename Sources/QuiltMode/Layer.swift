import QuiltContract

/// One value for one setting, as some tier set it.
struct Assignment: Sendable, Hashable {
    /// The value text (not yet parsed).
    var raw: String
    /// Where it came from.
    var source: SettingSource
    /// How the user wrote it: `--api platform`, `QUILT_MCP_API=platform`, `QUILT_MCP_MODE=remote` (for a preset).
    var userText: String
}

/// The settings one precedence tier sets. Within a tier a per-dimension setting beats the preset: presets are
/// applied first and per-dimension values overwrite them.
struct Layer: Sendable {
    var assignments: [SettingName: Assignment] = [:]

    /// Sets every preset-controlled setting to `preset`'s value, attributed to the preset given `via` (`userText`
    /// is how the user chose the preset).
    mutating func applyPreset(_ preset: Mode.Preset, via: String, userText: String) {
        for d in SettingDescriptor.all {
            guard let value = d.presetValue(preset) else { continue }
            assignments[d.name] = Assignment(
                raw: value, source: .preset(preset.rawValue, via: via), userText: userText)
        }
    }

    subscript(name: SettingName) -> Assignment? {
        get { assignments[name] }
        set { assignments[name] = newValue }
    }
}

extension Layer {
    /// Tier 1: the command-line flags.
    static func flags(_ flags: ModeFlags) -> Layer {
        var layer = Layer()
        let values = flags.values
        if let preset = flags.preset {
            layer.applyPreset(preset, via: "--mode", userText: "--mode \(preset.rawValue)")
        }
        for d in SettingDescriptor.all {
            guard let raw = values[d.name], let flag = d.flag else { continue }
            layer[d.name] = Assignment(raw: raw, source: .flag(flag), userText: "\(flag) \(raw)")
        }
        return layer
    }

    /// Tier 2: the `QUILT_MCP_*` variables (empty values count as unset). The token variables are not included.
    static func quiltMCPVariables(_ environment: [String: String]) -> Layer {
        var layer = Layer()
        for d in SettingDescriptor.all where d.kind != .token {
            guard let variable = d.variables.first, let raw = environment.setValue(variable) else { continue }
            if d.name == .mode, case .success(.text(let text)) = d.kind.parse(raw),
                let preset = Mode.Preset(rawValue: text)
            {
                layer.applyPreset(preset, via: variable, userText: "\(variable)=\(raw)")
            }
        }
        for d in SettingDescriptor.all where d.kind != .token {
            guard let variable = d.variables.first, let raw = environment.setValue(variable) else { continue }
            layer[d.name] = Assignment(raw: raw, source: .environment(variable), userText: "\(variable)=\(raw)")
        }
        return layer
    }
}

extension Dictionary where Key == String, Value == String {
    /// The variable's value, or nil when it is unset, empty or only whitespace (which count as unset).
    func setValue(_ variable: String) -> String? {
        guard let v = self[variable], !v.trimmingWhitespace().isEmpty else { return nil }
        return v
    }
}
