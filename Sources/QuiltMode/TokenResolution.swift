import Foundation

/// Chooses the token source (flag over `QUILT_MCP_*`) and reads the token when it will be used.
struct TokenResolution: Sendable {
    /// The chosen source, nil when none is given.
    var source: JWTTokenSource?
    var violations: [ModeError.Violation] = []

    /// The largest token file accepted.
    static let maximumFileSize = 64 * 1024

    /// Picks the source: `--jwt-token-file` beats the variables; setting both `QUILT_MCP_JWT_TOKEN` and
    /// `QUILT_MCP_JWT_TOKEN_FILE` (without the flag) is a `token-conflict` violation.
    init(flags: ModeFlags, environment: [String: String]) {
        let valueVariable = "QUILT_MCP_JWT_TOKEN"
        let fileVariable = "QUILT_MCP_JWT_TOKEN_FILE"
        if let path = flags.jwtTokenFile, !path.trimmingWhitespace().isEmpty {
            source = .file(path: path.trimmingWhitespace(), setBy: "--jwt-token-file")
            return
        }
        let value = environment.setValue(valueVariable)
        let file = environment.setValue(fileVariable)
        if value != nil, let file {
            violations.append(.init(
                rule: .conflictingTokenSources,
                message: "\(valueVariable) and \(fileVariable)=\(file) are both set; set only one of them"))
        } else if value != nil {
            source = .environment(valueVariable)
        } else if let file {
            source = .file(path: file.trimmingWhitespace(), setBy: fileVariable)
        }
    }

    /// The token from its source: the variable's value (trimmed), or the file's content (trimmed).
    /// Returns nil and records a `token-file` violation naming the path (never the content) when the file cannot
    /// be read, is not UTF-8, is empty or is larger than 64 KiB.
    mutating func readToken(environment: [String: String]) -> String? {
        switch source {
        case nil:
            return nil
        case .environment(let variable):
            return environment.setValue(variable)?.trimmingWhitespace()
        case .file(let path, _):
            guard let described = source?.description else { return nil }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                return fail("\(described): the token file does not exist")
            }
            guard !isDirectory.boolValue else { return fail("\(described): the token file is a directory") }
            guard let data = FileManager.default.contents(atPath: path) else {
                return fail("\(described): the token file cannot be read (permission denied?)")
            }
            guard data.count <= TokenResolution.maximumFileSize else {
                return fail("\(described): the token file is larger than 64 KiB; it must hold one bearer token")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                return fail("\(described): the token file is not UTF-8 text")
            }
            let token = text.trimmingWhitespace()
            guard !token.isEmpty else { return fail("\(described): the token file is empty") }
            return token
        }
    }

    private mutating func fail(_ message: String) -> String? {
        violations.append(.init(rule: .unreadableTokenFile, message: message))
        return nil
    }
}
