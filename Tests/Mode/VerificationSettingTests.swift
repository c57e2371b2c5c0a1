import Foundation
import QuiltJSON
import QuiltMode
import Testing

/// A 48-byte HS256 secret distinctive enough that any leak is found by substring search.
let hs256Secret = "hs256-secret-do-not-print-0123456789abcdefghijkl"

/// Writes `text` to a fresh temporary file and returns its path; the caller removes it.
func temporaryFile(_ text: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("quilt-mode-secret-\(UUID().uuidString)").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// The remote preset's other requirements, so only verification settings decide the outcome.
let remoteBase = ["QUILT_MCP_MODE": "remote", "QUILT_MCP_CATALOG_URL": "https://c.example.com"]

@Suite("Local JWT verification settings")
struct VerificationSettingTests {
    @Test("No key: verification is off and tokens pass unverified")
    func offByDefault() throws {
        let mode = try resolve([], remoteBase)
        #expect(mode.jwtVerification == nil)
        #expect(mode.jwtJWKSURL == nil && mode.jwtSecretSource == nil)
        #expect(mode.jsonDescription()["jwt_verification"] == .string("off"))
        #expect(mode.explanation().contains("off (bearer tokens are passed on unverified)"))
    }

    @Test("QUILT_MCP_JWT_SECRET: HS256 with the secret's bytes, shown only as its source")
    func secretFromVariable() throws {
        let mode = try resolve([], remoteBase.merging([
            "QUILT_MCP_JWT_SECRET": hs256Secret, "QUILT_MCP_JWT_ISSUER": "https://issuer.example",
            "QUILT_MCP_JWT_AUDIENCE": "quilt-mcp",
        ]) { $1 })
        let v = try #require(mode.jwtVerification)
        #expect(v.key == .hs256(source: .environment("QUILT_MCP_JWT_SECRET")))
        #expect(v.hs256Secret == Array(hs256Secret.utf8))
        #expect(v.issuer == "https://issuer.example" && v.audience == "quilt-mcp")
        #expect(v.leewaySeconds == 30)
        #expect(mode.source(of: .jwtSecret) == .environment("QUILT_MCP_JWT_SECRET"))
        #expect(mode.source(of: .jwtIssuer) == .environment("QUILT_MCP_JWT_ISSUER"))
        #expect(mode.jsonDescription()["jwt_secret"]?["value"] == .string("<set, from QUILT_MCP_JWT_SECRET>"))
        #expect(mode.jsonDescription()["jwt_verification"] == .string("hs256"))
        var dumped = ""
        dump(v, to: &dumped)
        for text in renderings(mode) + [v.description, dumped, String(reflecting: v)] {
            #expect(!text.contains(hs256Secret))
            #expect(!text.contains("do-not-print"))
        }
    }

    @Test("--jwt-secret-file beats QUILT_MCP_JWT_SECRET; the file is read and trimmed")
    func secretFromFileFlag() throws {
        let path = try temporaryFile(hs256Secret + "\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let mode = try resolve(["--jwt-secret-file", path], remoteBase.merging(["QUILT_MCP_JWT_SECRET": "x"]) { $1 })
        #expect(mode.jwtVerification?.hs256Secret == Array(hs256Secret.utf8))
        #expect(mode.source(of: .jwtSecret) == .flag("--jwt-secret-file"))
        #expect(mode.explanation().contains("<set, from --jwt-secret-file \(path)>"))
    }

    @Test("A JWKS URL: RS256/ES256 keys, with iss and aud from flags")
    func jwks() throws {
        let mode = try resolve(
            ["--jwt-jwks-url", "https://issuer.example/.well-known/jwks.json", "--jwt-audience", "mcp"], remoteBase)
        let v = try #require(mode.jwtVerification)
        #expect(v.key == .jwks(url: "https://issuer.example/.well-known/jwks.json"))
        #expect(v.hs256Secret == nil && v.issuer == nil && v.audience == "mcp")
        #expect(mode.source(of: .jwtJWKSURL) == .flag("--jwt-jwks-url"))
        #expect(mode.jsonDescription()["jwt_verification"] == .string("jwks"))
        #expect(otherWarnings(mode) == [
            "warning: --jwt-jwks-url https://issuer.example/.well-known/jwks.json is used without jwt_issuer: any issuer "
                + "whose keys this JWKS holds is trusted; set QUILT_MCP_JWT_ISSUER (or --jwt-issuer) to pin it",
        ])
        let pinned = try resolve(
            ["--jwt-jwks-url", "https://issuer.example/jwks", "--jwt-audience", "mcp", "--jwt-issuer", "https://issuer.example"],
            remoteBase)
        #expect(otherWarnings(pinned) == [])
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var environment: [String: String]
        var rules: [String]
        var message: String
        var testDescription: String { message }
    }

    static let missingFile = "/nonexistent/quilt-mcp-secret"

    static let rows: [Row] = [
        Row(arguments: [], environment: ["QUILT_MCP_JWT_SECRET_FILE": missingFile], rules: ["secret-file"],
            message: "QUILT_MCP_JWT_SECRET_FILE=\(missingFile): the secret file does not exist"),
        Row(arguments: ["--jwt-secret-file", missingFile], environment: [:], rules: ["secret-file"],
            message: "--jwt-secret-file \(missingFile): the secret file does not exist"),
        Row(arguments: [], environment: ["QUILT_MCP_JWT_SECRET": "short"], rules: ["secret-weak"],
            message: "QUILT_MCP_JWT_SECRET: the HS256 secret is 5 bytes; use at least 32 (e.g. the output of `openssl rand -base64 48`)"),
        Row(arguments: [], environment: ["QUILT_MCP_JWT_SECRET": hs256Secret, "QUILT_MCP_JWT_SECRET_FILE": "/run/s"],
            rules: ["secret-conflict"],
            message: "QUILT_MCP_JWT_SECRET and QUILT_MCP_JWT_SECRET_FILE=/run/s are both set; set only one of them"),
        Row(arguments: ["--jwt-jwks-url", "https://i.example/jwks"], environment: ["QUILT_MCP_JWT_SECRET": hs256Secret],
            rules: ["R13"],
            message: "QUILT_MCP_JWT_SECRET and --jwt-jwks-url https://i.example/jwks are both set: tokens are verified "
                + "with one kind of key; keep the HS256 secret or the JWKS URL"),
        Row(arguments: ["--jwt-issuer", "https://i.example"], environment: [:], rules: ["R14"],
            message: "--jwt-issuer https://i.example needs a verification key: without one the claims of a token cannot "
                + "be trusted; set QUILT_MCP_JWT_SECRET_FILE (HS256) or QUILT_MCP_JWT_JWKS_URL (RS256/ES256), or remove it"),
        Row(arguments: [], environment: ["QUILT_MCP_JWT_JWKS_URL": "ftp://x"], rules: ["invalid-value"],
            message: "QUILT_MCP_JWT_JWKS_URL=ftp://x is invalid: 'ftp://x' is not an http(s) URL; accepted: an http(s) URL such as https://your-catalog.example.com"),
        Row(arguments: ["--jwt-jwks-url", "https://i.example/jwks"], environment: [:], rules: ["R18"],
            message: "--jwt-jwks-url https://i.example/jwks needs jwt_audience: the keys of a JWKS also sign tokens meant "
                + "for other services, and without an audience check those would be accepted here; set "
                + "QUILT_MCP_JWT_AUDIENCE (or --jwt-audience) to the value this server's tokens carry in aud"),
        Row(arguments: [], environment: ["QUILT_MCP_JWT_AUDIENCE": "two words"], rules: ["invalid-value"],
            message: "QUILT_MCP_JWT_AUDIENCE=two words is invalid: 'two words' is empty or contains whitespace; accepted: a non-empty string without whitespace"),
    ]

    @Test("Invalid verification settings stop start-up with one message each", arguments: rows)
    func invalid(_ row: Row) throws {
        let env = remoteBase.merging(row.environment) { $1 }
        let error = try #require(modeError { () throws(ModeError) -> Mode in try resolve(row.arguments, env) })
        #expect(error.ruleIDs == row.rules)
        #expect(error.description == "quilt-mcp: invalid configuration: [\(row.rules[0])] \(row.message)")
        #expect(!error.description.contains(hs256Secret))
    }

    @Test("An unreadable secret file is an error naming the path, never the content")
    func unreadable() throws {
        let path = try temporaryFile(hs256Secret)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        let error = try #require(modeError { () throws(ModeError) -> Mode in
            try resolve([], remoteBase.merging(["QUILT_MCP_JWT_SECRET_FILE": path]) { $1 })
        })
        #expect(error.description.hasSuffix("QUILT_MCP_JWT_SECRET_FILE=\(path): the secret file is a directory"))
    }

    @Test("R12: a key with auth≠jwt is a warning, and the secret file is not read")
    func ignoredWhenNotJWT() throws {
        let mode = try resolve(
            ["--jwt-secret-file", Self.missingFile, "--jwt-audience", "mcp"], ["QUILT_MCP_REGISTRY": "memory://m"])
        #expect(mode.auth == .session)
        #expect(mode.jwtVerification == nil)
        #expect(mode.jwtSecretSource == .file(path: Self.missingFile, setBy: "--jwt-secret-file"))
        #expect(mode.warnings == [
            "warning: --jwt-secret-file \(Self.missingFile), --jwt-audience mcp is ignored: auth=session (default) takes "
                + "no bearer tokens to verify; remove it, or use --auth jwt",
        ])
        #expect(mode.jsonDescription()["jwt_secret"]?["value"] == .string("<ignored, from --jwt-secret-file \(Self.missingFile)>"))
    }

    @Test("Stateless modes carry no file paths of their own")
    func statelessCarriesNoPaths() throws {
        let mode = try resolve([], remoteBase.merging([
            "XDG_DATA_HOME": "/home/tester/xdg", "AWS_PROFILE": "dev", "AWS_SHARED_CREDENTIALS_FILE": "/home/tester/.aws/c",
            "AWS_CONFIG_FILE": "/home/tester/.aws/config", "AWS_REGION": "us-east-1",
        ]) { $1 })
        #expect(mode.state == .stateless)
        #expect(mode.quilt3DataDirectory == nil)
        #expect(mode.defaultLocalRegistry == nil)
        #expect(mode.registry == nil)
        #expect(mode.aws == ["AWS_REGION": "us-east-1"])
        #expect(mode.jwtTokenSource == nil && mode.jwtSecretSource == nil)
        let json = JSONWriter.compact(mode.jsonDescription())
        #expect(!json.contains("/home/tester"))
    }
}
