import QuiltContract

extension ModeFlags {
    /// Takes the mode flags out of a command line (without the program name), wherever they appear, and returns
    /// them with every other argument in its original order (the subcommand and its own arguments).
    ///
    /// Both `--flag value` and `--flag=value` are accepted; `--read-only` alone means true and takes a value only
    /// as `--read-only=false`. A later repeat of a flag wins. Arguments after `--` are never consumed (the `--`
    /// itself is kept in `remaining`). Flags this module does not know are left in `remaining` untouched.
    ///
    /// - Throws: ``ModeError`` listing every problem: `missing-value` when a known flag has no value (end of the
    ///   list, an empty `--flag=`, or the next argument starting with `--`), `invalid-value` when its value is not
    ///   accepted (the message names the flag and the accepted values).
    package static func parse(_ arguments: [String]) throws(ModeError) -> (flags: ModeFlags, remaining: [String]) {
        var byFlag: [String: SettingDescriptor] = [:]
        for d in SettingDescriptor.all { if let f = d.flag { byFlag[f] = d } }

        var flags = ModeFlags()
        var remaining: [String] = []
        var violations: [ModeError.Violation] = []
        var i = 0
        while i < arguments.count {
            let arg = arguments[i]
            i += 1
            if arg == "--" {
                remaining.append(contentsOf: arguments[(i - 1)...])
                break
            }
            guard arg.hasPrefix("--") else {
                remaining.append(arg)
                continue
            }
            let name: String
            var value: String?
            if let eq = arg.firstIndex(of: "=") {
                name = String(arg[..<eq])
                value = String(arg[arg.index(after: eq)...])
            } else {
                name = arg
            }
            guard let d = byFlag[name] else {
                remaining.append(arg)
                continue
            }
            if d.kind == .boolean, value == nil {
                flags.set(d.name, .boolean(true))
                continue
            }
            if value == nil, i < arguments.count, !arguments[i].hasPrefix("--") {
                value = arguments[i]
                i += 1
            }
            guard let raw = value, !raw.trimmingWhitespace().isEmpty else {
                violations.append(.init(
                    rule: .missingValue, message: "\(name) needs a value; accepted: \(d.kind.accepted)"))
                continue
            }
            switch d.kind.parse(raw) {
            case .success(let parsed): flags.set(d.name, parsed)
            case .failure(let rejection):
                violations.append(.init(
                    rule: .invalidValue,
                    message: "\(name) \(raw) is invalid: \(rejection.reason); accepted: \(d.kind.accepted)"))
            }
        }
        if !violations.isEmpty { throw ModeError(violations: violations) }
        return (flags, remaining)
    }
}
