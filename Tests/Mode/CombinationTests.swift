import QuiltContract
import QuiltMode
import Testing

/// One row of the 96 combinations: the six dimensions set with QUILT_MCP_* variables, extra settings, and the
/// rules the row violates. The expectations are literals (produced once from the rule table in
/// docs/design/mode-config.md by a separate script, then spot-checked by hand; R15–R17 were added to the rows the
/// same way), never computed by the resolver.
struct Combo: Sendable, CustomTestStringConvertible {
    var api, auth, state, locale, transport, tenancy: String
    var catalog: Bool
    var registry: String
    var token: Bool
    var violates: [String]

    init(_ api: String, _ auth: String, _ state: String, _ locale: String, _ transport: String, _ tenancy: String,
         catalog: Bool, registry: String, token: Bool, violates: [String]) {
        (self.api, self.auth, self.state, self.locale, self.transport, self.tenancy) =
            (api, auth, state, locale, transport, tenancy)
        self.catalog = catalog
        self.registry = registry
        self.token = token
        self.violates = violates
    }

    var environment: [String: String] {
        var env = [
            "HOME": testHome, "QUILT_MCP_API": api, "QUILT_MCP_AUTH": auth, "QUILT_MCP_STATE": state,
            "QUILT_MCP_LOCALE": locale, "QUILT_MCP_TRANSPORT": transport, "QUILT_MCP_TENANCY": tenancy,
        ]
        if catalog { env["QUILT_MCP_CATALOG_URL"] = "https://catalog.example.com" }
        if !registry.isEmpty { env["QUILT_MCP_REGISTRY"] = registry }
        if token { env["QUILT_MCP_JWT_TOKEN"] = "header.payload.signature" }
        return env
    }

    var testDescription: String {
        "\(api)/\(auth)/\(state)/\(locale)/\(transport)/\(tenancy) catalog=\(catalog) registry=\(registry.isEmpty ? "-" : registry) token=\(token)"
    }
}

let combos: [Combo] = [
        Combo("registry", "session", "persistent", "local", "stdio", "single", catalog: true, registry: "file:///data/registry", token: false, violates: []),
        Combo("registry", "session", "persistent", "local", "stdio", "multi", catalog: false, registry: "s3://bucket",           token: false, violates: ["R5", "R6"]),
        Combo("registry", "session", "persistent", "local", "http", "single", catalog: true, registry: "",                      token: true, violates: []),
        Combo("registry", "session", "persistent", "local", "http", "multi", catalog: true, registry: "s3://bucket",           token: true, violates: ["R5"]),
        Combo("registry", "session", "persistent", "remote", "stdio", "single", catalog: true, registry: "file:///data/registry", token: true, violates: ["R7", "R15", "R17"]),
        Combo("registry", "session", "persistent", "remote", "stdio", "multi", catalog: false, registry: "memory://mem",          token: false, violates: ["R5", "R6", "R7", "R15"]),
        Combo("registry", "session", "persistent", "remote", "http", "single", catalog: false, registry: "memory://mem",          token: false, violates: ["R15"]),
        Combo("registry", "session", "persistent", "remote", "http", "multi", catalog: true, registry: "",                      token: true, violates: ["R5", "R15", "R17"]),
        Combo("registry", "session", "stateless", "local", "stdio", "single", catalog: false, registry: "",                      token: false, violates: ["R1", "R9"]),
        Combo("registry", "session", "stateless", "local", "stdio", "multi", catalog: true, registry: "s3://bucket",           token: true, violates: ["R1", "R5", "R6"]),
        Combo("registry", "session", "stateless", "local", "http", "single", catalog: true, registry: "s3://bucket",           token: false, violates: ["R1"]),
        Combo("registry", "session", "stateless", "local", "http", "multi", catalog: false, registry: "memory://mem",          token: true, violates: ["R1", "R5"]),
        Combo("registry", "session", "stateless", "remote", "stdio", "single", catalog: false, registry: "memory://mem",          token: false, violates: ["R1", "R7"]),
        Combo("registry", "session", "stateless", "remote", "stdio", "multi", catalog: false, registry: "file:///data/registry", token: false, violates: ["R1", "R5", "R6", "R7", "R8"]),
        Combo("registry", "session", "stateless", "remote", "http", "single", catalog: false, registry: "memory://mem",          token: true, violates: ["R1"]),
        Combo("registry", "session", "stateless", "remote", "http", "multi", catalog: false, registry: "memory://mem",          token: false, violates: ["R1", "R5"]),
        Combo("registry", "iam",    "persistent", "local", "stdio", "single", catalog: true, registry: "s3://bucket",           token: false, violates: []),
        Combo("registry", "iam",    "persistent", "local", "stdio", "multi", catalog: false, registry: "file:///data/registry", token: false, violates: ["R5", "R6", "R17"]),
        Combo("registry", "iam",    "persistent", "local", "http", "single", catalog: true, registry: "memory://mem",          token: false, violates: []),
        Combo("registry", "iam",    "persistent", "local", "http", "multi", catalog: true, registry: "file:///data/registry", token: false, violates: ["R5", "R17"]),
        Combo("registry", "iam",    "persistent", "remote", "stdio", "single", catalog: false, registry: "",                      token: false, violates: ["R7", "R15", "R17"]),
        Combo("registry", "iam",    "persistent", "remote", "stdio", "multi", catalog: true, registry: "s3://bucket",           token: true, violates: ["R5", "R6", "R7", "R15"]),
        Combo("registry", "iam",    "persistent", "remote", "http", "single", catalog: true, registry: "",                      token: false, violates: ["R15", "R17"]),
        Combo("registry", "iam",    "persistent", "remote", "http", "multi", catalog: false, registry: "file:///data/registry", token: false, violates: ["R5", "R15", "R17"]),
        Combo("registry", "iam",    "stateless", "local", "stdio", "single", catalog: true, registry: "memory://mem",          token: false, violates: []),
        Combo("registry", "iam",    "stateless", "local", "stdio", "multi", catalog: false, registry: "s3://bucket",           token: true, violates: ["R5", "R6"]),
        Combo("registry", "iam",    "stateless", "local", "http", "single", catalog: true, registry: "s3://bucket",           token: false, violates: []),
        Combo("registry", "iam",    "stateless", "local", "http", "multi", catalog: true, registry: "s3://bucket",           token: false, violates: ["R5"]),
        Combo("registry", "iam",    "stateless", "remote", "stdio", "single", catalog: true, registry: "memory://mem",          token: false, violates: ["R7"]),
        Combo("registry", "iam",    "stateless", "remote", "stdio", "multi", catalog: true, registry: "file:///data/registry", token: true, violates: ["R5", "R6", "R7", "R8"]),
        Combo("registry", "iam",    "stateless", "remote", "http", "single", catalog: true, registry: "file:///data/registry", token: false, violates: ["R8"]),
        Combo("registry", "iam",    "stateless", "remote", "http", "multi", catalog: false, registry: "memory://mem",          token: true, violates: ["R5"]),
        Combo("registry", "jwt",    "persistent", "local", "stdio", "single", catalog: false, registry: "s3://bucket",           token: false, violates: ["R4", "R10"]),
        Combo("registry", "jwt",    "persistent", "local", "stdio", "multi", catalog: true, registry: "memory://mem",          token: false, violates: ["R4", "R6"]),
        Combo("registry", "jwt",    "persistent", "local", "http", "single", catalog: true, registry: "memory://mem",          token: false, violates: ["R16"]),
        Combo("registry", "jwt",    "persistent", "local", "http", "multi", catalog: false, registry: "s3://bucket",           token: true, violates: ["R10"]),
        Combo("registry", "jwt",    "persistent", "remote", "stdio", "single", catalog: true, registry: "file:///data/registry", token: true, violates: ["R7", "R15", "R17"]),
        Combo("registry", "jwt",    "persistent", "remote", "stdio", "multi", catalog: true, registry: "s3://bucket",           token: true, violates: ["R6", "R7", "R15"]),
        Combo("registry", "jwt",    "persistent", "remote", "http", "single", catalog: true, registry: "",                      token: true, violates: ["R15", "R16", "R17"]),
        Combo("registry", "jwt",    "persistent", "remote", "http", "multi", catalog: true, registry: "memory://mem",          token: false, violates: ["R15", "R16"]),
        Combo("registry", "jwt",    "stateless", "local", "stdio", "single", catalog: false, registry: "file:///data/registry", token: true, violates: ["R8"]),
        Combo("registry", "jwt",    "stateless", "local", "stdio", "multi", catalog: false, registry: "",                      token: false, violates: ["R4", "R6", "R9"]),
        Combo("registry", "jwt",    "stateless", "local", "http", "single", catalog: true, registry: "",                      token: false, violates: ["R9"]),
        Combo("registry", "jwt",    "stateless", "local", "http", "multi", catalog: false, registry: "s3://bucket",           token: false, violates: ["R10"]),
        Combo("registry", "jwt",    "stateless", "remote", "stdio", "single", catalog: false, registry: "s3://bucket",           token: true, violates: ["R7", "R10"]),
        Combo("registry", "jwt",    "stateless", "remote", "stdio", "multi", catalog: false, registry: "",                      token: false, violates: ["R4", "R6", "R7", "R9"]),
        Combo("registry", "jwt",    "stateless", "remote", "http", "single", catalog: true, registry: "",                      token: true, violates: ["R9"]),
        Combo("registry", "jwt",    "stateless", "remote", "http", "multi", catalog: false, registry: "s3://bucket",           token: true, violates: ["R10"]),
        Combo("platform", "session", "persistent", "local", "stdio", "single", catalog: true, registry: "s3://bucket",           token: true, violates: []),
        Combo("platform", "session", "persistent", "local", "stdio", "multi", catalog: false, registry: "memory://mem",          token: false, violates: ["R2", "R5", "R6"]),
        Combo("platform", "session", "persistent", "local", "http", "single", catalog: false, registry: "s3://bucket",           token: true, violates: ["R2"]),
        Combo("platform", "session", "persistent", "local", "http", "multi", catalog: false, registry: "file:///data/registry", token: false, violates: ["R2", "R5"]),
        Combo("platform", "session", "persistent", "remote", "stdio", "single", catalog: false, registry: "memory://mem",          token: true, violates: ["R2", "R7", "R15"]),
        Combo("platform", "session", "persistent", "remote", "stdio", "multi", catalog: true, registry: "s3://bucket",           token: false, violates: ["R5", "R6", "R7", "R15"]),
        Combo("platform", "session", "persistent", "remote", "http", "single", catalog: true, registry: "",                      token: false, violates: ["R15"]),
        Combo("platform", "session", "persistent", "remote", "http", "multi", catalog: true, registry: "file:///data/registry", token: false, violates: ["R5", "R15"]),
        Combo("platform", "session", "stateless", "local", "stdio", "single", catalog: true, registry: "s3://bucket",           token: false, violates: ["R1"]),
        Combo("platform", "session", "stateless", "local", "stdio", "multi", catalog: false, registry: "memory://mem",          token: false, violates: ["R1", "R2", "R5", "R6"]),
        Combo("platform", "session", "stateless", "local", "http", "single", catalog: true, registry: "memory://mem",          token: false, violates: ["R1"]),
        Combo("platform", "session", "stateless", "local", "http", "multi", catalog: true, registry: "file:///data/registry", token: true, violates: ["R1", "R5", "R8"]),
        Combo("platform", "session", "stateless", "remote", "stdio", "single", catalog: false, registry: "file:///data/registry", token: false, violates: ["R1", "R2", "R7", "R8"]),
        Combo("platform", "session", "stateless", "remote", "stdio", "multi", catalog: false, registry: "file:///data/registry", token: false, violates: ["R1", "R2", "R5", "R6", "R7", "R8"]),
        Combo("platform", "session", "stateless", "remote", "http", "single", catalog: true, registry: "s3://bucket",           token: false, violates: ["R1"]),
        Combo("platform", "session", "stateless", "remote", "http", "multi", catalog: true, registry: "",                      token: true, violates: ["R1", "R5"]),
        Combo("platform", "iam",    "persistent", "local", "stdio", "single", catalog: false, registry: "memory://mem",          token: true, violates: ["R2", "R3"]),
        Combo("platform", "iam",    "persistent", "local", "stdio", "multi", catalog: true, registry: "memory://mem",          token: false, violates: ["R3", "R5", "R6"]),
        Combo("platform", "iam",    "persistent", "local", "http", "single", catalog: false, registry: "file:///data/registry", token: false, violates: ["R2", "R3"]),
        Combo("platform", "iam",    "persistent", "local", "http", "multi", catalog: false, registry: "s3://bucket",           token: false, violates: ["R2", "R3", "R5"]),
        Combo("platform", "iam",    "persistent", "remote", "stdio", "single", catalog: true, registry: "",                      token: true, violates: ["R3", "R7", "R15"]),
        Combo("platform", "iam",    "persistent", "remote", "stdio", "multi", catalog: true, registry: "memory://mem",          token: true, violates: ["R3", "R5", "R6", "R7", "R15"]),
        Combo("platform", "iam",    "persistent", "remote", "http", "single", catalog: false, registry: "memory://mem",          token: false, violates: ["R2", "R3", "R15"]),
        Combo("platform", "iam",    "persistent", "remote", "http", "multi", catalog: false, registry: "s3://bucket",           token: true, violates: ["R2", "R3", "R5", "R15"]),
        Combo("platform", "iam",    "stateless", "local", "stdio", "single", catalog: false, registry: "s3://bucket",           token: false, violates: ["R2", "R3"]),
        Combo("platform", "iam",    "stateless", "local", "stdio", "multi", catalog: false, registry: "",                      token: false, violates: ["R2", "R3", "R5", "R6"]),
        Combo("platform", "iam",    "stateless", "local", "http", "single", catalog: true, registry: "s3://bucket",           token: false, violates: ["R3"]),
        Combo("platform", "iam",    "stateless", "local", "http", "multi", catalog: true, registry: "file:///data/registry", token: false, violates: ["R3", "R5", "R8"]),
        Combo("platform", "iam",    "stateless", "remote", "stdio", "single", catalog: true, registry: "s3://bucket",           token: false, violates: ["R3", "R7"]),
        Combo("platform", "iam",    "stateless", "remote", "stdio", "multi", catalog: false, registry: "",                      token: true, violates: ["R2", "R3", "R5", "R6", "R7"]),
        Combo("platform", "iam",    "stateless", "remote", "http", "single", catalog: true, registry: "memory://mem",          token: true, violates: ["R3"]),
        Combo("platform", "iam",    "stateless", "remote", "http", "multi", catalog: true, registry: "s3://bucket",           token: true, violates: ["R3", "R5"]),
        Combo("platform", "jwt",    "persistent", "local", "stdio", "single", catalog: true, registry: "memory://mem",          token: false, violates: ["R4"]),
        Combo("platform", "jwt",    "persistent", "local", "stdio", "multi", catalog: true, registry: "memory://mem",          token: true, violates: ["R6"]),
        Combo("platform", "jwt",    "persistent", "local", "http", "single", catalog: true, registry: "",                      token: false, violates: []),
        Combo("platform", "jwt",    "persistent", "local", "http", "multi", catalog: true, registry: "",                      token: true, violates: []),
        Combo("platform", "jwt",    "persistent", "remote", "stdio", "single", catalog: true, registry: "memory://mem",          token: true, violates: ["R7", "R15"]),
        Combo("platform", "jwt",    "persistent", "remote", "stdio", "multi", catalog: false, registry: "file:///data/registry", token: false, violates: ["R2", "R4", "R6", "R7", "R15"]),
        Combo("platform", "jwt",    "persistent", "remote", "http", "single", catalog: false, registry: "file:///data/registry", token: true, violates: ["R2", "R15"]),
        Combo("platform", "jwt",    "persistent", "remote", "http", "multi", catalog: false, registry: "memory://mem",          token: false, violates: ["R2", "R15"]),
        Combo("platform", "jwt",    "stateless", "local", "stdio", "single", catalog: true, registry: "memory://mem",          token: true, violates: []),
        Combo("platform", "jwt",    "stateless", "local", "stdio", "multi", catalog: true, registry: "s3://bucket",           token: true, violates: ["R6"]),
        Combo("platform", "jwt",    "stateless", "local", "http", "single", catalog: true, registry: "file:///data/registry", token: false, violates: ["R8"]),
        Combo("platform", "jwt",    "stateless", "local", "http", "multi", catalog: true, registry: "file:///data/registry", token: false, violates: ["R8"]),
        Combo("platform", "jwt",    "stateless", "remote", "stdio", "single", catalog: true, registry: "memory://mem",          token: true, violates: ["R7"]),
        Combo("platform", "jwt",    "stateless", "remote", "stdio", "multi", catalog: false, registry: "memory://mem",          token: true, violates: ["R2", "R6", "R7"]),
        Combo("platform", "jwt",    "stateless", "remote", "http", "single", catalog: false, registry: "s3://bucket",           token: true, violates: ["R2"]),
        Combo("platform", "jwt",    "stateless", "remote", "http", "multi", catalog: true, registry: "memory://mem",          token: true, violates: []),
]

@Suite("Every api × auth × state × locale × transport × tenancy combination")
struct CombinationTests {
    @Test("The table covers all 96 combinations exactly once")
    func tableIsComplete() {
        let keys = Set(combos.map { "\($0.api)/\($0.auth)/\($0.state)/\($0.locale)/\($0.transport)/\($0.tenancy)" })
        #expect(combos.count == 96)
        #expect(keys.count == 96)
    }

    @Test(arguments: combos)
    func combination(_ row: Combo) throws {
        let env = row.environment
        let rules = violatedRules { () throws(ModeError) -> Mode in try ModeResolver.resolve(flags: ModeFlags(), environment: env) }
        #expect(Set(rules) == Set(row.violates))
        #expect(rules.count == row.violates.count, "each rule reported once")
        guard row.violates.isEmpty else { return }
        let mode = try ModeResolver.resolve(flags: ModeFlags(), environment: env)
        #expect(mode.api.rawValue == row.api)
        #expect(mode.auth.rawValue == row.auth)
        #expect(mode.state.rawValue == row.state)
        #expect(mode.locale.rawValue == row.locale)
        #expect(mode.transport.rawValue == row.transport)
        #expect(mode.tenancy.rawValue == row.tenancy)
        if !row.registry.isEmpty { #expect(mode.registry?.url == row.registry) }
        for name in [SettingName.api, .auth, .state, .locale, .transport, .tenancy] {
            #expect(mode.source(of: name) == .environment("QUILT_MCP_" + name.rawValue.uppercased()))
        }
    }
}
