package import QuiltContract
package import QuiltJSON

/// The server's resources as the tool layer reaches them: what `resources/list` and `resources/templates/list`
/// answer, and one resource read. The MCP server and the command line supply it (``ToolContext/resources``).
package struct ResourceAccess: Sendable {
    /// `{"resources": […], "resource_templates": […]}`.
    package var list: @Sendable () async -> JSONValue
    /// One resource: `{"uri", "mime_type", "data"}` for the JSON resources, `{"uri", "mime_type", "text"|"blob"}` for
    /// a package entry. - Throws: `invalidInput(field: "uri")` for a URI that names no resource; the backend's errors.
    package var read: @Sendable (String) async throws(QuiltOpsError) -> JSONValue
    package init(
        list: @escaping @Sendable () async -> JSONValue, read: @escaping @Sendable (String) async throws(QuiltOpsError) -> JSONValue
    ) {
        self.list = list
        self.read = read
    }
}

/// Resources through a tool, for clients that cannot read resources.
enum ResourceTools {
    static let getResource = Tool(
        ToolDefinition(
            name: "get_resource", title: "Read a resource",
            description: "Any resource through a tool: auth://status, auth://catalog/info, or a quilt+ package entry URI. Without uri: the resources and URI templates.",
            parameters: [Param("uri", .string(pattern: nil, minLength: nil), "Resource URI; omit to list them.")],
            annotations: ToolAnnotations(readOnly: true, idempotent: true))
    ) { (args, ctx) throws(QuiltOpsError) in
        guard let resources = ctx.resources else {
            throw .unsupported(operation: "get_resource outside the MCP server and the command line", backend: ctx.ops.backendID.rawValue)
        }
        guard let uri = args.string("uri") else { return await resources.list() }
        return try await resources.read(uri)
    }
}
