import QuiltMode
import Testing

@Suite("Generated configuration documentation")
struct DocumentationTests {
    @Test("The markdown table has a row for every setting")
    func everySetting() {
        let table = ModeDocumentation.markdownTable()
        for name in SettingName.allCases {
            #expect(table.contains("| `\(name.rawValue)` |"), "\(name.rawValue)")
        }
        #expect(table.split(separator: "\n").count == SettingName.allCases.count + 2)
    }

    @Test("The markdown table names every legacy variable", arguments: [
        "QUILT_DEPLOYMENT", "QUILT_MULTIUSER_MODE", "QUILT_MCP_STATELESS_MODE", "MCP_REQUIRE_JWT", "QUILT_MULTITENANT_MODE",
        "QUILT_DISABLE_QUILT3_SESSION", "FASTMCP_TRANSPORT", "FASTMCP_HOST", "FASTMCP_ADDR", "FASTMCP_PORT",
        "QUILT_CATALOG_URL", "QUILT_REGISTRY_URL",
    ])
    func everyLegacyVariable(_ variable: String) {
        #expect(ModeDocumentation.markdownTable().contains("`\(variable)`"))
        #expect(ModeDocumentation.legacyTable().contains("| `\(variable)` |"))
    }

    @Test("The markdown table names every flag and QUILT_MCP_ variable", arguments: [
        "--mode", "--api", "--auth", "--state", "--locale", "--transport", "--registry", "--catalog-url", "--registry-api-url",
        "--host", "--port", "--tenancy", "--log-level", "--read-only", "--jwt-token-file", "--jwt-secret-file",
        "--jwt-jwks-url", "--jwt-issuer", "--jwt-audience", "QUILT_MCP_JWT_SECRET", "QUILT_MCP_JWT_SECRET_FILE",
        "QUILT_MCP_JWT_JWKS_URL", "QUILT_MCP_JWT_ISSUER", "QUILT_MCP_JWT_AUDIENCE",
        "QUILT_MCP_MODE", "QUILT_MCP_API", "QUILT_MCP_AUTH", "QUILT_MCP_STATE", "QUILT_MCP_LOCALE", "QUILT_MCP_TRANSPORT",
        "QUILT_MCP_REGISTRY", "QUILT_MCP_CATALOG_URL", "QUILT_MCP_REGISTRY_API_URL", "QUILT_MCP_HOST", "QUILT_MCP_PORT",
        "QUILT_MCP_TENANCY", "QUILT_MCP_LOG_LEVEL", "QUILT_MCP_READ_ONLY", "QUILT_MCP_JWT_TOKEN", "QUILT_MCP_JWT_TOKEN_FILE",
    ])
    func everyFlagAndVariable(_ name: String) {
        #expect(ModeDocumentation.markdownTable().contains("`\(name)`"))
    }

    @Test("The api row, exactly")
    func apiRow() {
        #expect(ModeDocumentation.markdownTable().contains(
            "| `api` | `--api` | `QUILT_MCP_API` | `registry` \\| `platform` | `registry` / `platform` | `QUILT_DEPLOYMENT`, `QUILT_MULTIUSER_MODE` |"))
    }
}
