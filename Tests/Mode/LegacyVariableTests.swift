import QuiltMode
import Testing

/// Each Python-server variable: what it maps to, its source, and its exact warning lines.
struct LegacyRow: Sendable, CustomTestStringConvertible {
    var environment: [String: String]
    var expect: [Expect]
    var warnings: [String]
    var testDescription: String { environment.keys.sorted().map { "\($0)=\(environment[$0]!)" }.joined(separator: " ") }
}

let legacyRows: [LegacyRow] = [
    LegacyRow(
        environment: ["QUILT_DEPLOYMENT": "remote", "QUILT_CATALOG_URL": "https://cat.example.com"],
        expect: [Expect(.mode, "remote", "QUILT_DEPLOYMENT (deprecated)"),
                 Expect(.api, "platform", "preset remote (QUILT_DEPLOYMENT)"),
                 Expect(.auth, "jwt", "preset remote (QUILT_DEPLOYMENT)"),
                 Expect(.state, "stateless", "preset remote (QUILT_DEPLOYMENT)"),
                 Expect(.locale, "remote", "preset remote (QUILT_DEPLOYMENT)"),
                 Expect(.transport, "http", "preset remote (QUILT_DEPLOYMENT)"),
                 Expect(.host, "0.0.0.0", "preset remote (QUILT_DEPLOYMENT)"),
                 Expect(.tenancy, "multi", "preset remote (QUILT_DEPLOYMENT)"),
                 Expect(.catalogURL, "https://cat.example.com", "QUILT_CATALOG_URL (deprecated)")],
        warnings: ["warning: QUILT_DEPLOYMENT=remote is deprecated; use QUILT_MCP_MODE=remote",
                   "warning: QUILT_CATALOG_URL=https://cat.example.com is deprecated; use QUILT_MCP_CATALOG_URL=https://cat.example.com"]),
    LegacyRow(
        environment: ["QUILT_DEPLOYMENT": "local", "QUILT_MCP_CATALOG_URL": "https://cat.example.com"],
        expect: [Expect(.mode, "local", "QUILT_DEPLOYMENT (deprecated)"),
                 Expect(.api, "platform", "QUILT_DEPLOYMENT (deprecated)"),
                 Expect(.auth, "session", "preset local (QUILT_DEPLOYMENT)"),
                 Expect(.state, "persistent", "preset local (QUILT_DEPLOYMENT)"),
                 Expect(.locale, "local", "preset local (QUILT_DEPLOYMENT)"),
                 Expect(.transport, "stdio", "preset local (QUILT_DEPLOYMENT)"),
                 Expect(.registry, "nil", "default")],
        warnings: ["warning: QUILT_DEPLOYMENT=local is deprecated; use QUILT_MCP_MODE=local QUILT_MCP_API=platform"]),
    LegacyRow(
        environment: ["QUILT_DEPLOYMENT": "legacy"],
        expect: [Expect(.mode, "local", "QUILT_DEPLOYMENT (deprecated)"),
                 Expect(.api, "registry", "preset local (QUILT_DEPLOYMENT)"),
                 Expect(.auth, "session", "preset local (QUILT_DEPLOYMENT)"),
                 Expect(.registry, testLocalRegistry, "derived (quilt3's local registry for api=registry, state=persistent)")],
        warnings: ["warning: QUILT_DEPLOYMENT=legacy is deprecated; use QUILT_MCP_MODE=local"]),
    LegacyRow(
        environment: ["QUILT_MULTIUSER_MODE": "true", "QUILT_MCP_CATALOG_URL": "https://cat.example.com"],
        expect: [Expect(.mode, "local", "QUILT_MULTIUSER_MODE (deprecated)"),
                 Expect(.api, "platform", "QUILT_MULTIUSER_MODE (deprecated)"),
                 Expect(.transport, "stdio", "preset local (QUILT_MULTIUSER_MODE)")],
        warnings: ["warning: QUILT_MULTIUSER_MODE=true is deprecated; use QUILT_MCP_MODE=local QUILT_MCP_API=platform"]),
    LegacyRow(
        environment: ["QUILT_MULTIUSER_MODE": "0"],
        expect: [Expect(.mode, "local", "QUILT_MULTIUSER_MODE (deprecated)"),
                 Expect(.api, "registry", "preset local (QUILT_MULTIUSER_MODE)")],
        warnings: ["warning: QUILT_MULTIUSER_MODE=0 is deprecated; use QUILT_MCP_MODE=local"]),
    LegacyRow(
        environment: ["QUILT_DEPLOYMENT": "legacy", "QUILT_MULTIUSER_MODE": "true"],
        expect: [Expect(.api, "registry", "preset local (QUILT_DEPLOYMENT)")],
        warnings: ["warning: QUILT_DEPLOYMENT=legacy is deprecated; use QUILT_MCP_MODE=local",
                   "warning: QUILT_MULTIUSER_MODE=true is deprecated and ignored because QUILT_DEPLOYMENT is set; use QUILT_MCP_MODE"]),
    LegacyRow(
        environment: ["QUILT_MCP_STATELESS_MODE": "true", "QUILT_MCP_AUTH": "iam", "QUILT_MCP_REGISTRY": "s3://bucket"],
        expect: [Expect(.state, "stateless", "QUILT_MCP_STATELESS_MODE (deprecated)")],
        warnings: ["warning: QUILT_MCP_STATELESS_MODE=true is deprecated; use QUILT_MCP_STATE=stateless"]),
    LegacyRow(
        environment: ["QUILT_MCP_STATELESS_MODE": "false"],
        expect: [Expect(.state, "persistent", "QUILT_MCP_STATELESS_MODE (deprecated)")],
        warnings: ["warning: QUILT_MCP_STATELESS_MODE=false is deprecated; use QUILT_MCP_STATE=persistent"]),
    LegacyRow(
        environment: ["QUILT_MCP_STATELESS_MODE": "true", "QUILT_MCP_STATE": "persistent"],
        expect: [Expect(.state, "persistent", "QUILT_MCP_STATE")],
        warnings: ["warning: QUILT_MCP_STATELESS_MODE=true is deprecated; use QUILT_MCP_STATE=stateless"]),
    LegacyRow(
        environment: ["MCP_REQUIRE_JWT": "true", "QUILT_MCP_TRANSPORT": "http", "QUILT_MCP_REGISTRY": "s3://bucket",
                      "QUILT_MCP_CATALOG_URL": "https://c.example.com"],
        expect: [Expect(.auth, "jwt", "MCP_REQUIRE_JWT (deprecated)")],
        warnings: ["warning: MCP_REQUIRE_JWT=true is deprecated; use QUILT_MCP_AUTH=jwt"]),
    LegacyRow(
        environment: ["MCP_REQUIRE_JWT": "false"],
        expect: [Expect(.auth, "session", "default")],
        warnings: ["warning: MCP_REQUIRE_JWT=false is deprecated and has no effect; use QUILT_MCP_AUTH to choose the auth"]),
    LegacyRow(
        environment: ["QUILT_MULTITENANT_MODE": "on", "QUILT_MCP_AUTH": "jwt", "QUILT_MCP_TRANSPORT": "http",
                      "QUILT_MCP_REGISTRY": "s3://bucket", "QUILT_MCP_CATALOG_URL": "https://c.example.com"],
        expect: [Expect(.tenancy, "multi", "QUILT_MULTITENANT_MODE (deprecated)")],
        warnings: ["warning: QUILT_MULTITENANT_MODE=on is deprecated; use QUILT_MCP_TENANCY=multi"]),
    LegacyRow(
        environment: ["QUILT_MULTITENANT_MODE": "no"],
        expect: [Expect(.tenancy, "single", "QUILT_MULTITENANT_MODE (deprecated)")],
        warnings: ["warning: QUILT_MULTITENANT_MODE=no is deprecated; use QUILT_MCP_TENANCY=single"]),
    LegacyRow(
        environment: ["QUILT_DISABLE_QUILT3_SESSION": "1"],
        expect: [Expect(.auth, "iam", "QUILT_DISABLE_QUILT3_SESSION (deprecated)")],
        warnings: ["warning: QUILT_DISABLE_QUILT3_SESSION=1 is deprecated; use QUILT_MCP_AUTH=iam"]),
    LegacyRow(
        environment: ["QUILT_DISABLE_QUILT3_SESSION": "0"],
        expect: [Expect(.auth, "session", "default")],
        warnings: ["warning: QUILT_DISABLE_QUILT3_SESSION=0 is deprecated and has no effect; use QUILT_MCP_AUTH to choose the auth"]),
    LegacyRow(
        environment: ["QUILT_DISABLE_QUILT3_SESSION": "1", "MCP_REQUIRE_JWT": "1", "FASTMCP_TRANSPORT": "http",
                      "QUILT_MCP_API": "platform", "QUILT_MCP_CATALOG_URL": "https://c.example.com"],
        expect: [Expect(.auth, "jwt", "MCP_REQUIRE_JWT (deprecated)"), Expect(.transport, "http", "FASTMCP_TRANSPORT (deprecated)")],
        warnings: ["warning: MCP_REQUIRE_JWT=1 is deprecated; use QUILT_MCP_AUTH=jwt",
                   "warning: QUILT_DISABLE_QUILT3_SESSION=1 is deprecated and ignored because MCP_REQUIRE_JWT=1 sets auth=jwt; use QUILT_MCP_AUTH",
                   "warning: FASTMCP_TRANSPORT=http is deprecated; use QUILT_MCP_TRANSPORT=http"]),
    LegacyRow(
        environment: ["QUILT_DEPLOYMENT": "remote", "QUILT_DISABLE_QUILT3_SESSION": "true", "QUILT_MCP_CATALOG_URL": "https://cat.example.com"],
        expect: [Expect(.auth, "jwt", "preset remote (QUILT_DEPLOYMENT)")],
        warnings: ["warning: QUILT_DEPLOYMENT=remote is deprecated; use QUILT_MCP_MODE=remote",
                   "warning: QUILT_DISABLE_QUILT3_SESSION=true is deprecated and ignored because QUILT_DEPLOYMENT=remote sets auth=jwt; use QUILT_MCP_AUTH"]),
    LegacyRow(
        environment: ["FASTMCP_TRANSPORT": "stdio"],
        expect: [Expect(.transport, "stdio", "FASTMCP_TRANSPORT (deprecated)")],
        warnings: ["warning: FASTMCP_TRANSPORT=stdio is deprecated; use QUILT_MCP_TRANSPORT=stdio"]),
    LegacyRow(
        environment: ["FASTMCP_TRANSPORT": "streamable-http"],
        expect: [Expect(.transport, "http", "FASTMCP_TRANSPORT (deprecated)")],
        warnings: ["warning: FASTMCP_TRANSPORT=streamable-http is deprecated; use QUILT_MCP_TRANSPORT=http"]),
    LegacyRow(
        environment: ["FASTMCP_TRANSPORT": "sse"],
        expect: [Expect(.transport, "http", "FASTMCP_TRANSPORT (deprecated)")],
        warnings: ["warning: FASTMCP_TRANSPORT=sse is deprecated; use QUILT_MCP_TRANSPORT=http (SSE is not served; clients must use streamable HTTP at /mcp)"]),
    LegacyRow(
        environment: ["FASTMCP_HOST": "0.0.0.0"],
        expect: [Expect(.host, "0.0.0.0", "FASTMCP_HOST (deprecated)")],
        warnings: ["warning: FASTMCP_HOST=0.0.0.0 is deprecated; use QUILT_MCP_HOST=0.0.0.0"]),
    LegacyRow(
        environment: ["FASTMCP_ADDR": "10.1.2.3"],
        expect: [Expect(.host, "10.1.2.3", "FASTMCP_ADDR (deprecated)")],
        warnings: ["warning: FASTMCP_ADDR=10.1.2.3 is deprecated; use QUILT_MCP_HOST=10.1.2.3"]),
    LegacyRow(
        environment: ["FASTMCP_HOST": "0.0.0.0", "FASTMCP_ADDR": "10.1.2.3"],
        expect: [Expect(.host, "10.1.2.3", "FASTMCP_ADDR (deprecated)")],
        warnings: ["warning: FASTMCP_HOST=0.0.0.0 is deprecated and ignored because FASTMCP_ADDR is set; use QUILT_MCP_HOST",
                   "warning: FASTMCP_ADDR=10.1.2.3 is deprecated; use QUILT_MCP_HOST=10.1.2.3"]),
    LegacyRow(
        environment: ["FASTMCP_PORT": "8080"],
        expect: [Expect(.port, "8080", "FASTMCP_PORT (deprecated)")],
        warnings: ["warning: FASTMCP_PORT=8080 is deprecated; use QUILT_MCP_PORT=8080"]),
    LegacyRow(
        environment: ["QUILT_REGISTRY_URL": "https://registry.example.com/"],
        expect: [Expect(.registryAPIURL, "https://registry.example.com", "QUILT_REGISTRY_URL (deprecated)"),
                 Expect(.api, "registry", "default")],
        warnings: ["warning: QUILT_REGISTRY_URL=https://registry.example.com/ is deprecated; use QUILT_MCP_REGISTRY_API_URL=https://registry.example.com/"]),
    // The Python server's Docker image configuration.
    LegacyRow(
        environment: ["QUILT_DEPLOYMENT": "remote", "FASTMCP_TRANSPORT": "http", "FASTMCP_HOST": "0.0.0.0",
                      "FASTMCP_PORT": "8000", "QUILT_CATALOG_URL": "https://cat.example.com"],
        expect: [Expect(.api, "platform", "preset remote (QUILT_DEPLOYMENT)"), Expect(.host, "0.0.0.0", "FASTMCP_HOST (deprecated)"),
                 Expect(.port, "8000", "FASTMCP_PORT (deprecated)"), Expect(.transport, "http", "FASTMCP_TRANSPORT (deprecated)")],
        warnings: ["warning: QUILT_DEPLOYMENT=remote is deprecated; use QUILT_MCP_MODE=remote",
                   "warning: FASTMCP_TRANSPORT=http is deprecated; use QUILT_MCP_TRANSPORT=http",
                   "warning: FASTMCP_HOST=0.0.0.0 is deprecated; use QUILT_MCP_HOST=0.0.0.0",
                   "warning: FASTMCP_PORT=8000 is deprecated; use QUILT_MCP_PORT=8000",
                   "warning: QUILT_CATALOG_URL=https://cat.example.com is deprecated; use QUILT_MCP_CATALOG_URL=https://cat.example.com"]),
]

@Suite("Legacy Python-server variables")
struct LegacyVariableTests {
    @Test(arguments: legacyRows)
    func mapping(_ row: LegacyRow) throws {
        let mode = try resolve([], row.environment)
        check(mode, row.expect)
        #expect(otherWarnings(mode) == row.warnings)
    }

    @Test("QUILT_DEPLOYMENT=local with QUILT_DISABLE_QUILT3_SESSION=1 maps to platform+iam, which R3 rejects by name")
    func disableSessionWithPlatform() throws {
        let error = try #require(modeError { () throws(ModeError) -> Mode in
            try resolve([], ["QUILT_DEPLOYMENT": "local", "QUILT_DISABLE_QUILT3_SESSION": "1",
                             "QUILT_CATALOG_URL": "https://cat.example.com"])
        })
        #expect(error.ruleIDs == ["R3"])
        #expect(error.violations[0].message ==
            "api=platform (from QUILT_DEPLOYMENT=local) cannot use auth=iam (from QUILT_DISABLE_QUILT3_SESSION=1): "
            + "the catalog API needs a bearer token, not AWS credentials; use QUILT_MCP_AUTH=jwt or QUILT_MCP_AUTH=session")
    }

    @Test("Unknown QUILT_MCP_ variables are warned about, sorted")
    func unknownVariables() throws {
        let mode = try resolve([], ["QUILT_MCP_TRANSPRT": "http", "QUILT_MCP_RESOURCES_ENABLED": "true", "QUILT_MCP_EMPTY": ""])
        #expect(mode.warnings == [
            "warning: QUILT_MCP_RESOURCES_ENABLED is not a quilt-mcp setting and is ignored",
            "warning: QUILT_MCP_TRANSPRT is not a quilt-mcp setting and is ignored",
        ])
    }
}
