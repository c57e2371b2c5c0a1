import Foundation
import NIOHTTP1
import QuiltJSON
import QuiltTestSupport
import Testing

/// One api × auth × state × locale × transport × tenancy combination, with the other settings it needs to be
/// valid when it can be (a registry, a catalog URL, a token for jwt over stdio).
struct DimensionCombo: Sendable, CustomTestStringConvertible {
    var api, auth, state, locale, transport, tenancy: String

    /// The rules no other setting can satisfy, from the rule table in docs/design/mode-config.md (an oracle
    /// written independently of the resolver).
    var dimensionRules: [String] {
        var rules: [String] = []
        if state == "stateless" && auth == "session" { rules.append("R1") }
        if api == "platform" && auth == "iam" { rules.append("R3") }
        if tenancy == "multi" && auth != "jwt" { rules.append("R5") }
        if tenancy == "multi" && transport == "stdio" { rules.append("R6") }
        if locale == "remote" && transport == "stdio" { rules.append("R7") }
        if locale == "remote" && state == "persistent" { rules.append("R15") }
        return rules
    }

    /// Whether callers may reach the server's files (docs/design/mode-config.md): a local, single-tenant,
    /// persistent deployment that takes no bearer tokens over HTTP.
    var serverFilesAllowed: Bool {
        locale == "local" && tenancy == "single" && state == "persistent" && !(transport == "http" && auth == "jwt")
    }

    /// Tokens are verified here (an HS256 secret), as a memory:// or file:// registry behind auth=jwt over HTTP needs.
    var verifies: Bool { api == "registry" && auth == "jwt" && transport == "http" }

    /// Flags and variables: the six dimensions plus what makes the rest of the rules hold.
    func environment(sandbox: String) -> [String: String] {
        var env = [
            "QUILT_MCP_API": api, "QUILT_MCP_AUTH": auth, "QUILT_MCP_STATE": state, "QUILT_MCP_LOCALE": locale,
            "QUILT_MCP_TRANSPORT": transport, "QUILT_MCP_TENANCY": tenancy,
            "HOME": sandbox + "/home", "XDG_DATA_HOME": sandbox + "/xdg", "PATH": "/usr/bin:/bin",
        ]
        if api == "registry" {
            env["QUILT_MCP_REGISTRY"] = serverFilesAllowed ? "file://\(sandbox)/registry" : "memory://matrix"
            if verifies { env["QUILT_MCP_JWT_SECRET"] = TokenMint.secret }
        } else {
            env["QUILT_MCP_CATALOG_URL"] = "https://catalog.invalid"
        }
        if auth == "jwt" && transport == "stdio" { env["QUILT_MCP_JWT_TOKEN"] = ModeMatrixTests.token }
        return env
    }

    /// Served with sessions (local HTTP) rather than statelessly.
    var sessions: Bool { state == "persistent" && tenancy == "single" }

    var testDescription: String { "\(api)/\(auth)/\(state)/\(locale)/\(transport)/\(tenancy)" }

    static let all: [DimensionCombo] = {
        var combos: [DimensionCombo] = []
        for api in ["registry", "platform"] {
            for auth in ["session", "iam", "jwt"] {
                for state in ["persistent", "stateless"] {
                    for locale in ["local", "remote"] {
                        for transport in ["stdio", "http"] {
                            for tenancy in ["single", "multi"] {
                                combos.append(DimensionCombo(
                                    api: api, auth: auth, state: state, locale: locale, transport: transport, tenancy: tenancy))
                            }
                        }
                    }
                }
            }
        }
        return combos
    }()

    static let valid = all.filter { $0.dimensionRules.isEmpty }
    static let invalid = all.filter { !$0.dimensionRules.isEmpty }
}

/// Representative invalid configurations for the rules other settings decide (their exact messages are checked
/// in ModeTests; here: exit status 2, the rule id on standard error, nothing on standard output).
let settingRuleCases: [(rule: String, env: [String: String])] = [
    ("R2", ["QUILT_MCP_API": "platform"]),
    ("R4", ["QUILT_MCP_AUTH": "jwt", "QUILT_MCP_REGISTRY": "memory://m"]),
    ("R8", ["QUILT_MCP_STATE": "stateless", "QUILT_MCP_AUTH": "iam", "QUILT_MCP_REGISTRY": "file:///tmp/registry"]),
    ("R9", ["QUILT_MCP_STATE": "stateless", "QUILT_MCP_AUTH": "iam"]),
    ("R10", ["QUILT_MCP_AUTH": "jwt", "QUILT_MCP_TRANSPORT": "http", "QUILT_MCP_REGISTRY": "s3://bucket"]),
    ("R13", ["QUILT_MCP_MODE": "remote", "QUILT_MCP_CATALOG_URL": "https://c.invalid", "QUILT_MCP_JWT_SECRET": TokenMint.secret,
             "QUILT_MCP_JWT_JWKS_URL": "https://issuer.invalid/jwks"]),
    ("R14", ["QUILT_MCP_MODE": "remote", "QUILT_MCP_CATALOG_URL": "https://c.invalid", "QUILT_MCP_JWT_AUDIENCE": "mcp"]),
    ("R16", ["QUILT_MCP_MODE": "remote", "QUILT_MCP_API": "registry", "QUILT_MCP_REGISTRY": "memory://shared"]),
    ("R17", ["QUILT_MCP_AUTH": "jwt", "QUILT_MCP_TRANSPORT": "http", "QUILT_MCP_JWT_SECRET": TokenMint.secret,
             "QUILT_MCP_REGISTRY": "file:///tmp/registry"]),
    ("R18", ["QUILT_MCP_MODE": "remote", "QUILT_MCP_CATALOG_URL": "https://c.invalid", "QUILT_MCP_JWT_JWKS_URL": "https://issuer.invalid/jwks"]),
    ("secret-file", ["QUILT_MCP_MODE": "remote", "QUILT_MCP_CATALOG_URL": "https://c.invalid",
                     "QUILT_MCP_JWT_SECRET_FILE": "/nonexistent/secret"]),
    ("secret-weak", ["QUILT_MCP_MODE": "remote", "QUILT_MCP_CATALOG_URL": "https://c.invalid", "QUILT_MCP_JWT_SECRET": "short"]),
]

@Suite("Modes end to end: every valid combination serves tools/list, every invalid one exits 2")
struct ModeMatrixTests {
    static let token = TokenMint.hs256(TokenMint.claims(sub: "matrix"), secret: "catalog-secret-not-known-here-0000000")

    /// How many tools `quilt-mcp tools --json` lists: every transport must list the same.
    static let toolCount: Int = {
        let listed = try? Executables.run(["tools", "--json"], env: ["HOME": "/nonexistent"]).stdout
        return (try? JSONParser.parse(listed ?? ""))?.arrayValue?.count ?? -1
    }()

    @Test("The matrix covers all 96 combinations")
    func counts() {
        #expect(DimensionCombo.all.count == 96)
        #expect(DimensionCombo.valid.count + DimensionCombo.invalid.count == 96)
    }

    @Test("Valid combination: the server starts and answers tools/list over its transport", arguments: DimensionCombo.valid)
    func valid(_ combo: DimensionCombo) async throws {
        let (sandboxEnv, dir) = try Executables.sandbox("mcp-http")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let env = combo.environment(sandbox: dir).merging(["HOME": sandboxEnv["HOME"] ?? ""]) { $1 }
        if combo.transport == "stdio" {
            let lines = [
                MCPHTTP.rpc(0, "initialize", MCPHTTP.initialize()), MCPHTTP.notification("notifications/initialized"),
                MCPHTTP.rpc(1, "tools/list"),
            ].map { JSONWriter.compact($0) }.joined(separator: "\n") + "\n"
            let run = try Executables.run([], env: env, stdin: lines)
            #expect(run.status == 0, "\(run.stderr)")
            let answers = run.stdout.split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }
            let tools = answers.first { $0["id"]?.intValue == 1 }?["result"]?["tools"]?.arrayValue
            #expect(tools?.count == Self.toolCount && Self.toolCount >= 8, "\(run.stdout) \(run.stderr)")
            return
        }
        let server = try HTTPServerProcess([], environment: env)
        defer { server.stop() }
        let token: String? = combo.auth == "jwt" ? (combo.verifies ? TokenMint.hs256(TokenMint.claims(sub: "matrix")) : Self.token) : nil
        var headers: [String: String] = [:]
        if combo.sessions {
            let initialize = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(0, "initialize", MCPHTTP.initialize()), token: token)
            // Bound first: assigned straight into the dictionary, #require would check an Optional and never fail.
            let sessionID: String = try #require(initialize.headers["mcp-session-id"], "\(initialize.text)")
            headers["Mcp-Session-Id"] = sessionID
        }
        let reply = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(1, "tools/list"), token: token, headers: headers)
        #expect(reply.status == 200)
        #expect(reply.result?["tools"]?.arrayValue?.count == Self.toolCount, "\(reply.text)")
        let health = try await MCPHTTP.send(server.url("/health"), method: .GET)
        #expect(health.json?["mode"]?["sessions"]?.boolValue == combo.sessions)
        #expect(try server.terminate() == 0)
    }

    @Test("Invalid combination: exit 2, one line per violated rule, nothing on standard output",
          arguments: DimensionCombo.invalid)
    func invalid(_ combo: DimensionCombo) throws {
        let run = try Executables.run([], env: combo.environment(sandbox: "/nonexistent-sandbox"))
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        let lines = run.stderr.split(separator: "\n").filter { $0.hasPrefix("quilt-mcp: invalid configuration: [") }
        let rules = lines.compactMap { line in line.split(separator: "[").dropFirst().first?.split(separator: "]").first.map(String.init) }
        #expect(rules == combo.dimensionRules, "\(run.stderr)")
    }

    @Test("Invalid settings: exit 2 with the rule named", arguments: settingRuleCases.indices)
    func invalidSettings(_ index: Int) throws {
        let (rule, env) = settingRuleCases[index]
        let run = try Executables.run(["serve"], env: env.merging(["HOME": "/nonexistent", "PATH": "/usr/bin:/bin"]) { $1 })
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("quilt-mcp: invalid configuration: [\(rule)]"), "\(run.stderr)")
    }
}
