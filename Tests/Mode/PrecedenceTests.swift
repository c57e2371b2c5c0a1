import QuiltMode
import Testing

/// Flags beat QUILT_MCP_* variables, which beat the Python server's variables, which beat defaults; within a
/// tier a per-dimension setting beats the preset.
struct PrecedenceRow: Sendable, CustomTestStringConvertible {
    var title: String
    var arguments: [String]
    var environment: [String: String]
    var expect: [Expect]
    var testDescription: String { title }
}

let catalogEnv = ["QUILT_MCP_CATALOG_URL": "https://catalog.example.com"]

let precedenceRows: [PrecedenceRow] = [
    PrecedenceRow(
        title: "flag beats QUILT_MCP_ and legacy", arguments: ["--api", "platform"],
        environment: ["QUILT_MCP_API": "registry", "QUILT_DEPLOYMENT": "legacy", "QUILT_MCP_CATALOG_URL": "https://c.example.com"],
        expect: [Expect(.api, "platform", "--api"), Expect(.mode, "local", "QUILT_DEPLOYMENT (deprecated)"),
                 Expect(.auth, "session", "preset local (QUILT_DEPLOYMENT)")]),
    PrecedenceRow(
        title: "QUILT_MCP_ beats legacy", arguments: [],
        environment: ["QUILT_MCP_API": "platform", "QUILT_DEPLOYMENT": "legacy", "QUILT_MCP_CATALOG_URL": "https://c.example.com"],
        expect: [Expect(.api, "platform", "QUILT_MCP_API"), Expect(.state, "persistent", "preset local (QUILT_DEPLOYMENT)"),
                 Expect(.catalogURL, "https://c.example.com", "QUILT_MCP_CATALOG_URL")]),
    PrecedenceRow(
        title: "strict tiers: --mode beats a per-dimension variable", arguments: ["--mode", "remote"],
        environment: ["QUILT_MCP_API": "registry", "QUILT_MCP_CATALOG_URL": "https://c.example.com"],
        expect: [Expect(.mode, "remote", "--mode"), Expect(.api, "platform", "preset remote (--mode)"),
                 Expect(.host, "0.0.0.0", "preset remote (--mode)"),
                 Expect(.catalogURL, "https://c.example.com", "QUILT_MCP_CATALOG_URL")]),
    PrecedenceRow(
        title: "within the flag tier a per-dimension flag beats --mode",
        arguments: ["--mode=remote", "--api", "registry", "--registry", "s3://bucket"],
        environment: catalogEnv,
        expect: [Expect(.api, "registry", "--api"), Expect(.auth, "jwt", "preset remote (--mode)"),
                 Expect(.registry, "s3://bucket", "--registry"), Expect(.tenancy, "multi", "preset remote (--mode)")]),
    PrecedenceRow(
        title: "within the variable tier QUILT_MCP_STATE beats QUILT_MCP_MODE", arguments: [],
        environment: ["QUILT_MCP_MODE": "remote", "QUILT_MCP_STATE": "persistent", "QUILT_MCP_LOCALE": "local",
                      "QUILT_MCP_CATALOG_URL": "https://c.example.com"],
        expect: [Expect(.state, "persistent", "QUILT_MCP_STATE"), Expect(.tenancy, "multi", "preset remote (QUILT_MCP_MODE)"),
                 Expect(.mode, "remote", "QUILT_MCP_MODE")]),
    PrecedenceRow(
        title: "a legacy per-dimension variable does not beat a QUILT_MCP_MODE preset", arguments: [],
        environment: ["QUILT_MCP_MODE": "remote", "QUILT_MCP_STATELESS_MODE": "false", "QUILT_MCP_CATALOG_URL": "https://c.example.com"],
        expect: [Expect(.state, "stateless", "preset remote (QUILT_MCP_MODE)")]),
    PrecedenceRow(
        title: "port: flag", arguments: ["--port", "9000"],
        environment: ["QUILT_MCP_PORT": "9001", "FASTMCP_PORT": "9002"],
        expect: [Expect(.port, "9000", "--port")]),
    PrecedenceRow(
        title: "port: QUILT_MCP_PORT", arguments: [],
        environment: ["QUILT_MCP_PORT": "9001", "FASTMCP_PORT": "9002"],
        expect: [Expect(.port, "9001", "QUILT_MCP_PORT")]),
    PrecedenceRow(
        title: "port: FASTMCP_PORT", arguments: [], environment: ["FASTMCP_PORT": "9002"],
        expect: [Expect(.port, "9002", "FASTMCP_PORT (deprecated)")]),
    PrecedenceRow(
        title: "plain defaults", arguments: [], environment: [:],
        expect: [Expect(.port, "8000", "default"), Expect(.host, "127.0.0.1", "default"),
                 Expect(.logLevel, "warning", "default"), Expect(.readOnly, "false", "default"),
                 Expect(.catalogURL, "nil", "default"), Expect(.registryAPIURL, "nil", "default"),
                 Expect(.jwtToken, "nil", "default")]),
    PrecedenceRow(
        title: "catalog URL: flag, trailing slash trimmed", arguments: ["--catalog-url=https://a.example.com/"],
        environment: ["QUILT_MCP_CATALOG_URL": "https://b.example.com", "QUILT_CATALOG_URL": "https://c.example.com"],
        expect: [Expect(.catalogURL, "https://a.example.com", "--catalog-url")]),
    PrecedenceRow(
        title: "catalog URL: legacy", arguments: [], environment: ["QUILT_CATALOG_URL": "https://c.example.com/"],
        expect: [Expect(.catalogURL, "https://c.example.com", "QUILT_CATALOG_URL (deprecated)")]),
    PrecedenceRow(
        title: "within the legacy tier FASTMCP_HOST beats QUILT_DEPLOYMENT's preset", arguments: [],
        environment: ["QUILT_DEPLOYMENT": "remote", "QUILT_CATALOG_URL": "https://c.example.com", "FASTMCP_HOST": "10.0.0.5"],
        expect: [Expect(.host, "10.0.0.5", "FASTMCP_HOST (deprecated)"), Expect(.transport, "http", "preset remote (QUILT_DEPLOYMENT)")]),
    PrecedenceRow(
        title: "a QUILT_MCP_MODE preset beats legacy FASTMCP_HOST", arguments: [],
        environment: ["QUILT_MCP_MODE": "remote", "FASTMCP_HOST": "10.0.0.5", "QUILT_MCP_CATALOG_URL": "https://c.example.com"],
        expect: [Expect(.host, "0.0.0.0", "preset remote (QUILT_MCP_MODE)")]),
    PrecedenceRow(
        title: "--read-only alone beats QUILT_MCP_READ_ONLY", arguments: ["--read-only"],
        environment: ["QUILT_MCP_READ_ONLY": "false"], expect: [Expect(.readOnly, "true", "--read-only")]),
    PrecedenceRow(
        title: "QUILT_MCP_READ_ONLY=yes", arguments: [], environment: ["QUILT_MCP_READ_ONLY": "yes"],
        expect: [Expect(.readOnly, "true", "QUILT_MCP_READ_ONLY")]),
    PrecedenceRow(
        title: "log level flag beats variable", arguments: ["--log-level", "error"],
        environment: ["QUILT_MCP_LOG_LEVEL": "debug"], expect: [Expect(.logLevel, "error", "--log-level")]),
    PrecedenceRow(
        title: "--mode local beats QUILT_MCP_MODE=remote", arguments: ["--mode", "local"],
        environment: ["QUILT_MCP_MODE": "remote"],
        expect: [Expect(.mode, "local", "--mode"), Expect(.transport, "stdio", "preset local (--mode)"),
                 Expect(.host, "127.0.0.1", "preset local (--mode)"), Expect(.registry, testLocalRegistry,
                 "derived (quilt3's local registry for api=registry, state=persistent)")]),
    PrecedenceRow(
        title: "empty variables count as unset", arguments: [],
        environment: ["QUILT_MCP_API": "", "QUILT_MCP_REGISTRY": "", "QUILT_MCP_PORT": " ", "QUILT_DEPLOYMENT": ""],
        expect: [Expect(.api, "registry", "default"), Expect(.port, "8000", "default"), Expect(.mode, "local", "default"),
                 Expect(.registry, testLocalRegistry, "derived (quilt3's local registry for api=registry, state=persistent)")]),
    PrecedenceRow(
        title: "QUILT_MCP_REGISTRY replaces the local default", arguments: [],
        environment: ["QUILT_MCP_REGISTRY": "memory://scratch"],
        expect: [Expect(.registry, "memory://scratch", "QUILT_MCP_REGISTRY")]),
    PrecedenceRow(
        title: "registry API URL: flag beats QUILT_REGISTRY_URL", arguments: ["--registry-api-url", "https://api.example.com/"],
        environment: ["QUILT_REGISTRY_URL": "https://legacy-api.example.com"],
        expect: [Expect(.registryAPIURL, "https://api.example.com", "--registry-api-url")]),
    PrecedenceRow(
        title: "values are case-insensitive and trimmed", arguments: [],
        environment: ["QUILT_MCP_TRANSPORT": " HTTP ", "QUILT_MCP_LOG_LEVEL": "Debug"],
        expect: [Expect(.transport, "http", "QUILT_MCP_TRANSPORT"), Expect(.logLevel, "debug", "QUILT_MCP_LOG_LEVEL")]),
]

@Suite("Precedence: flags over QUILT_MCP_* over legacy over defaults")
struct PrecedenceTests {
    @Test(arguments: precedenceRows)
    func precedence(_ row: PrecedenceRow) throws {
        let mode = try resolve(row.arguments, row.environment)
        check(mode, row.expect)
    }

    @Test("resolve(arguments:) returns the non-mode arguments in order")
    func remainingArguments() throws {
        let (mode, remaining) = try ModeResolver.resolve(
            arguments: ["--transport", "http", "serve", "--verbose", "--port=9001", "extra"],
            environment: ["HOME": testHome])
        #expect(remaining == ["serve", "--verbose", "extra"])
        #expect(mode.transport == .http)
        #expect(mode.port == 9001)
    }
}
