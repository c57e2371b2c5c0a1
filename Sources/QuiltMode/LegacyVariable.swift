/// A variable of the Python quilt-mcp server that is still honoured (at the lowest precedence) with one
/// deprecation warning naming its replacement.
package struct LegacyVariable: Sendable, Hashable {
    /// The variable name, e.g. `QUILT_DEPLOYMENT`.
    package let name: String
    /// The settings it maps onto.
    package let settings: [SettingName]
    /// The replacement to use instead, as docs text.
    package let replacement: String
    /// How its values map, as docs text.
    package let mapping: String

    static let deployment = LegacyVariable(
        name: "QUILT_DEPLOYMENT", settings: [.mode, .api],
        replacement: "`QUILT_MCP_MODE` (`local` also needs `QUILT_MCP_API=platform`)",
        mapping: "`remote` → remote preset; `local` → local preset with api=platform; `legacy` → local preset")
    static let multiuser = LegacyVariable(
        name: "QUILT_MULTIUSER_MODE", settings: [.mode, .api],
        replacement: "`QUILT_MCP_MODE`",
        mapping: "only when QUILT_DEPLOYMENT is unset: true → as QUILT_DEPLOYMENT=local; false → as legacy")
    static let statelessMode = LegacyVariable(
        name: "QUILT_MCP_STATELESS_MODE", settings: [.state], replacement: "`QUILT_MCP_STATE`",
        mapping: "true → stateless; false → persistent")
    static let requireJWT = LegacyVariable(
        name: "MCP_REQUIRE_JWT", settings: [.auth], replacement: "`QUILT_MCP_AUTH=jwt`",
        mapping: "true → auth=jwt; false → ignored")
    static let multitenant = LegacyVariable(
        name: "QUILT_MULTITENANT_MODE", settings: [.tenancy], replacement: "`QUILT_MCP_TENANCY`",
        mapping: "true → multi; false → single")
    static let disableSession = LegacyVariable(
        name: "QUILT_DISABLE_QUILT3_SESSION", settings: [.auth], replacement: "`QUILT_MCP_AUTH=iam`",
        mapping: "true → auth=iam unless this tier sets auth=jwt; false → ignored")
    static let fastmcpTransport = LegacyVariable(
        name: "FASTMCP_TRANSPORT", settings: [.transport], replacement: "`QUILT_MCP_TRANSPORT`",
        mapping: "`stdio` → stdio; `http`, `streamable-http`, `sse` → http (SSE is not served; streamable HTTP at /mcp is)")
    static let fastmcpHost = LegacyVariable(
        name: "FASTMCP_HOST", settings: [.host], replacement: "`QUILT_MCP_HOST`", mapping: "same value")
    static let fastmcpAddr = LegacyVariable(
        name: "FASTMCP_ADDR", settings: [.host], replacement: "`QUILT_MCP_HOST`",
        mapping: "same value; beats FASTMCP_HOST")
    static let fastmcpPort = LegacyVariable(
        name: "FASTMCP_PORT", settings: [.port], replacement: "`QUILT_MCP_PORT`", mapping: "same value")
    static let catalogURL = LegacyVariable(
        name: "QUILT_CATALOG_URL", settings: [.catalogURL], replacement: "`QUILT_MCP_CATALOG_URL`",
        mapping: "same value")
    static let registryURL = LegacyVariable(
        name: "QUILT_REGISTRY_URL", settings: [.registryAPIURL], replacement: "`QUILT_MCP_REGISTRY_API_URL`",
        mapping: "same value (the catalog API URL, not a package registry)")
    static let athenaWorkgroup = LegacyVariable(
        name: "ATHENA_WORKGROUP", settings: [.athenaWorkgroup], replacement: "`QUILT_MCP_ATHENA_WORKGROUP`",
        mapping: "same value")
    static let athenaResultLocation = LegacyVariable(
        name: "ATHENA_QUERY_RESULT_LOCATION", settings: [.athenaOutputLocation],
        replacement: "`QUILT_MCP_ATHENA_OUTPUT_LOCATION`", mapping: "same value")

    /// Every honoured legacy variable, in the order they are applied and warned about.
    package static let all: [LegacyVariable] = [
        deployment, multiuser, statelessMode, requireJWT, multitenant, disableSession,
        fastmcpTransport, fastmcpHost, fastmcpAddr, fastmcpPort, catalogURL, registryURL,
        athenaWorkgroup, athenaResultLocation,
    ]
}
