/// One setting's winning value.
struct ResolvedSetting: Sendable {
    /// The parsed value; nil for an optional setting nobody set.
    var value: ParsedValue?
    var source: SettingSource
    /// How the user wrote it (`--api platform`, `QUILT_MCP_MODE=remote`, ...); empty for defaults.
    var userText: String
}

/// Merges the tiers: flags, then `QUILT_MCP_*`, then legacy variables, then defaults. Every value any tier set is
/// validated (a malformed value is reported even when a higher tier overrides it); the first tier that sets a
/// setting wins; a malformed winner falls back to the default so the other rules can still be checked.
struct SettingResolution: Sendable {
    var settings: [SettingName: ResolvedSetting] = [:]
    var violations: [ModeError.Violation] = []
    /// Settings with a malformed value somewhere; rules involving them are not checked.
    var failed: Set<SettingName> = []

    init(tiers: [Layer], failed alreadyFailed: Set<SettingName>) {
        failed = alreadyFailed
        for d in SettingDescriptor.all where d.kind != .token {
            var winner: ResolvedSetting?
            var isFirst = true
            for tier in tiers {
                guard let a = tier[d.name] else { continue }
                switch d.kind.parse(a.raw) {
                case .success(let value):
                    if isFirst { winner = ResolvedSetting(value: value, source: a.source, userText: a.userText) }
                case .failure(let rejection):
                    failed.insert(d.name)
                    violations.append(.init(
                        rule: .invalidValue,
                        message: "\(a.userText) is invalid: \(rejection.reason); accepted: \(d.kind.accepted)"))
                }
                isFirst = false
            }
            if let winner {
                settings[d.name] = winner
            } else {
                let value = d.defaultValue.flatMap { try? d.kind.parse($0).get() }
                settings[d.name] = ResolvedSetting(value: value, source: .default, userText: "")
            }
        }
    }

    subscript(name: SettingName) -> ResolvedSetting {
        settings[name] ?? ResolvedSetting(value: nil, source: .default, userText: "")
    }

    /// The setting as a dimension enum; the default's value when the setting failed to parse.
    func choice<E: RawRepresentable>(_ name: SettingName, as type: E.Type) -> E where E.RawValue == String {
        if let text = self[name].value?.text, let value = E(rawValue: text) { return value }
        return E(rawValue: SettingDescriptor.of(name).defaultValue ?? "")!
    }

    func text(_ name: SettingName) -> String? { self[name].value?.text }
}
