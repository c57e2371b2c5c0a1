import FoundationEssentials
import QuiltContract

/// The AWS shared `credentials` and `config` files (INI): profiles and their settings.
///
/// In `config`, profiles are `[profile name]` (and `[default]`); in `credentials`, `[name]`. Comments start with
/// `#` or `;`. Indented lines are sub-settings of the setting above them (`s3 =` then `  endpoint_url = …`), kept
/// as `s3.endpoint_url`. `[services name]` and `[sso-session name]` sections are kept under the keys `services name`
/// and `sso-session name`; other named sections are skipped. Settings in `credentials` win.
package struct SharedConfigFiles: Sendable {
    package var credentials: [String: [String: String]]
    package var config: [String: [String: String]]

    package init(credentials: [String: [String: String]] = [:], config: [String: [String: String]] = [:]) {
        self.credentials = credentials
        self.config = config
    }

    /// Reads the files the variables point at (`AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`), else
    /// `$HOME/.aws/credentials` and `$HOME/.aws/config`. Missing files are empty; with neither the variables nor
    /// `HOME` (stateless) nothing is read.
    package static func load(aws: [String: String]) -> SharedConfigFiles {
        let home = aws["HOME"]
        let credentialsPath = aws["AWS_SHARED_CREDENTIALS_FILE"] ?? home.map { $0 + "/.aws/credentials" }
        let configPath = aws["AWS_CONFIG_FILE"] ?? home.map { $0 + "/.aws/config" }
        func read(_ path: String?) -> String? {
            guard let path, let data = FileManager.default.contents(atPath: expand(path, home: home)) else { return nil }
            return String(decoding: data, as: UTF8.self)
        }
        return SharedConfigFiles(
            credentials: read(credentialsPath).map { parse($0, configStyle: false) } ?? [:],
            config: read(configPath).map { parse($0, configStyle: true) } ?? [:])
    }

    /// `~/…` expanded against `home`.
    static func expand(_ path: String, home: String?) -> String {
        if path.hasPrefix("~/"), let home { return home + path.dropFirst(1) }
        return path
    }

    /// Parses INI text into profile → settings. In config style, `[profile x]` names profile `x`.
    package static func parse(_ text: String, configStyle: Bool) -> [String: [String: String]] {
        var out: [String: [String: String]] = [:]
        var section: String? = nil
        var parent: String? = nil  // the setting indented lines belong to
        for raw in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let indented = raw.first == " " || raw.first == "\t"
            let line = raw.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if !indented, line.hasPrefix("[") && line.hasSuffix("]") {
                var name = line.dropFirst().dropLast().trimmingWhitespace()
                parent = nil
                if configStyle && name.hasPrefix("profile ") {
                    name = String(name.dropFirst(8)).trimmingWhitespace()
                } else if configStyle && name.hasPrefix("services ") {
                    name = "services " + name.dropFirst(9).trimmingWhitespace()
                } else if configStyle && name.hasPrefix("sso-session ") {
                    name = "sso-session " + name.dropFirst(12).trimmingWhitespace()
                } else if configStyle && name != "default" && name.contains(" ") {
                    section = nil  // another named section: not a profile
                    continue
                }
                section = name
                if out[name] == nil { out[name] = [:] }
                continue
            }
            guard let section, let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].trimmingWhitespace().lowercased()
            let value = line[line.index(after: eq)...].trimmingWhitespace()
            if indented {
                if let parent { out[section, default: [:]][parent + "." + key] = value }
                continue
            }
            parent = value.isEmpty ? key : nil
            out[section, default: [:]][key] = value
        }
        return out
    }

    /// Whether `profile` appears in either file.
    package func has(_ profile: String) -> Bool { credentials[profile] != nil || config[profile] != nil }

    /// A setting of `profile`, `credentials` first.
    package func value(_ key: String, profile: String) -> String? {
        (credentials[profile]?[key] ?? config[profile]?[key]).flatMap { $0.isEmpty ? nil : $0 }
    }
}
