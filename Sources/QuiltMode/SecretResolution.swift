#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import FoundationEssentials
import QuiltContract

/// The settings that name a secret by value or by file: the bearer token, the HS256 verification secret and the
/// request-state key.
struct SecretSpec: Sendable {
    /// The flag that names a file (a secret value never goes on a command line).
    let flag: String
    /// The variable holding the value, e.g. `QUILT_MCP_JWT_TOKEN`.
    let valueVariable: String
    /// The variable naming a file, e.g. `QUILT_MCP_JWT_TOKEN_FILE`.
    let fileVariable: String
    /// `token` or `secret`, as in "the token file is empty".
    let noun: String
    /// What the file must hold, as in "it must hold one bearer token".
    let content: String
    /// The rule reported when both variables are set.
    let conflictRule: ModeRule
    /// The rule reported when the file cannot be read or holds nothing.
    let fileRule: ModeRule

    /// `QUILT_MCP_JWT_TOKEN`, `QUILT_MCP_JWT_TOKEN_FILE`, `--jwt-token-file`.
    static let token = SecretSpec(
        flag: "--jwt-token-file", valueVariable: "QUILT_MCP_JWT_TOKEN", fileVariable: "QUILT_MCP_JWT_TOKEN_FILE",
        noun: "token", content: "one bearer token", conflictRule: .conflictingTokenSources,
        fileRule: .unreadableTokenFile)
    /// `QUILT_MCP_JWT_SECRET`, `QUILT_MCP_JWT_SECRET_FILE`, `--jwt-secret-file`.
    static let hs256Secret = SecretSpec(
        flag: "--jwt-secret-file", valueVariable: "QUILT_MCP_JWT_SECRET", fileVariable: "QUILT_MCP_JWT_SECRET_FILE",
        noun: "secret", content: "one HS256 secret", conflictRule: .conflictingSecretSources,
        fileRule: .unreadableSecretFile)
    /// `QUILT_MCP_REQUEST_STATE_KEY`, `QUILT_MCP_REQUEST_STATE_KEY_FILE`, `--request-state-key-file`.
    static let requestStateKey = SecretSpec(
        flag: "--request-state-key-file", valueVariable: "QUILT_MCP_REQUEST_STATE_KEY",
        fileVariable: "QUILT_MCP_REQUEST_STATE_KEY_FILE", noun: "key", content: "one request-state key",
        conflictRule: .conflictingStateKeySources, fileRule: .unreadableStateKeyFile)
}

/// Chooses where a secret comes from (flag over `QUILT_MCP_*`) and reads it when it will be used.
struct SecretResolution: Sendable {
    let spec: SecretSpec
    /// The chosen source, nil when none is given.
    var source: JWTTokenSource?
    var violations: [ModeError.Violation] = []

    /// The largest secret file accepted.
    static let maximumFileSize = 64 * 1024

    /// Picks the source: the flag (`flagPath`) beats the variables; setting both the value and the file variable
    /// (without the flag) is a conflict violation.
    init(_ spec: SecretSpec, flagPath: String?, environment: [String: String]) {
        self.spec = spec
        if let path = flagPath, !path.trimmingWhitespace().isEmpty {
            source = .file(path: path.trimmingWhitespace(), setBy: spec.flag)
            return
        }
        let value = environment.setValue(spec.valueVariable)
        let file = environment.setValue(spec.fileVariable)
        if value != nil, let file {
            violations.append(.init(
                rule: spec.conflictRule,
                message: "\(spec.valueVariable) and \(spec.fileVariable)=\(file) are both set; set only one of them"))
        } else if value != nil {
            source = .environment(spec.valueVariable)
        } else if let file {
            source = .file(path: file.trimmingWhitespace(), setBy: spec.fileVariable)
        }
    }

    /// The secret from its source: the variable's value (trimmed), or the file's content (trimmed).
    /// Returns nil and records a violation naming the path (never the content) when the file cannot be read, is
    /// not UTF-8, is empty or is larger than 64 KiB.
    mutating func read(environment: [String: String]) -> String? {
        switch source {
        case nil:
            return nil
        case .environment(let variable):
            return environment.setValue(variable)?.trimmingWhitespace()
        case .file(let path, _):
            guard let described = source?.description else { return nil }
            let noun = spec.noun
            var status = stat()
            guard stat(path, &status) == 0 else {
                return fail("\(described): the \(noun) file does not exist")
            }
            guard (status.st_mode & S_IFMT) != S_IFDIR else { return fail("\(described): the \(noun) file is a directory") }
            guard let data = FileManager.default.contents(atPath: path) else {
                return fail("\(described): the \(noun) file cannot be read (permission denied?)")
            }
            guard data.count <= SecretResolution.maximumFileSize else {
                return fail("\(described): the \(noun) file is larger than 64 KiB; it must hold \(spec.content)")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                return fail("\(described): the \(noun) file is not UTF-8 text")
            }
            let secret = text.trimmingWhitespace()
            guard !secret.isEmpty else { return fail("\(described): the \(noun) file is empty") }
            return secret
        }
    }

    private mutating func fail(_ message: String) -> String? {
        violations.append(.init(rule: spec.fileRule, message: message))
        return nil
    }
}
