import QuiltContract
package import QuiltJSON

/// The tools this server exposes. The command line (`quilt-mcp tools`, `quilt-mcp call`) and the MCP server use
/// exactly this list and `call`.
package enum ToolCatalog {
    /// Every tool, in the order `tools/list` shows them.
    package static let all: [Tool] = [
        PackageReadTools.packagesList, PackageReadTools.packageBrowse, PackageReadTools.packageInfo,
        PackageReadTools.packageVersions, PackageReadTools.packageDiff, PackageWriteTools.packageCreate,
        PackageWriteTools.packageUpdate, PackageWriteTools.packageDelete, BucketTools.bucketList, BucketTools.bucketObjectsList,
        BucketTools.bucketObjectInfo, BucketTools.bucketObjectText, BucketTools.bucketObjectFetch, BucketTools.bucketObjectLink,
        BucketTools.bucketObjectsPut, CatalogTools.searchCatalog, CatalogTools.catalogURL, CatalogTools.catalogURI,
    ]

    /// The tools a deployment offers: all of them, or in a read-only deployment only those that do not write.
    package static func served(readOnly: Bool) -> [Tool] {
        readOnly ? all.filter(\.definition.annotations.readOnly) : all
    }

    /// The tool named `name`.
    package static func tool(named name: String) -> Tool? { all.first { $0.definition.name == name } }

    /// Validates `arguments` against the tool's parameters and runs it.
    /// - Returns: the structured result.
    /// - Throws: `ToolError` for an unknown tool, bad arguments or a backend failure.
    package static func call(_ name: String, arguments: JSONObject, context: ToolContext) async throws(ToolError) -> JSONValue {
        guard let tool = tool(named: name) else {
            throw ToolError(
                .invalidInput(field: "tool", reason: "no tool named '\(name)'; available: \(all.map(\.definition.name).joined(separator: ", ")).")
            )
        }
        if let setting = context.readOnly, !tool.definition.annotations.readOnly {
            throw ToolError(.readOnly(operation: name, setting: setting))
        }
        do {
            let args = try Arguments(arguments, params: tool.definition.parameters)
            return try await tool.run(args, context)
        } catch {
            throw ToolError(error)
        }
    }
}
