import QuiltContract
package import QuiltJSON

/// The tools this server exposes. The command line (`quilt-mcp tools`, `quilt-mcp call`) and the MCP server use
/// exactly this list and `call`.
package enum ToolCatalog {
    /// Every tool, in the order `tools/list` shows them.
    /// The toolsets, in order: a deployment serves the tools of the sets it names (`toolsets`; every set by default).
    package static let toolsets: [(name: String, tools: [Tool])] = [
        ("packages", [
            PackageReadTools.packagesList, PackageReadTools.packageBrowse, PackageReadTools.packageInfo,
            PackageReadTools.packageVersions, PackageReadTools.packageDiff, PackageWriteTools.packageCreate,
            PackageWriteTools.packageUpdate, PackageWriteTools.packageDelete,
        ]),
        ("objects", [
            BucketTools.bucketList, BucketTools.bucketObjectsList, BucketTools.bucketObjectInfo, BucketTools.bucketObjectText,
            BucketTools.bucketObjectFetch, BucketTools.bucketObjectsPut,
        ]),
        ("search", [SearchTools.searchCatalog]),
        ("links", [CatalogTools.catalogURL, CatalogTools.catalogURI, BucketTools.bucketObjectLink]),
        ("query", [QueryTools.packageQuery] + AthenaTools.all),
        ("tabulator", TabulatorTools.all),
        ("assist", [SearchTools.searchExplain, SearchTools.searchSuggest, ResourceTools.getResource]),
        ("permissions", AccessTools.all),
        ("curate", [PackageFromS3Tool.tool] + SummaryTools.all),
        ("admin", AdminTools.all + AdminGovernanceTools.all),
    ]

    /// Every tool, in toolset order.
    package static let all: [Tool] = toolsets.flatMap(\.tools)

    /// Each tool and its toolset, by name (looked up on every call).
    private static let byName: [String: (tool: Tool, toolset: String)] = Dictionary(
        toolsets.flatMap { set in set.tools.map { ($0.definition.name, (tool: $0, toolset: set.name)) } },
        uniquingKeysWith: { first, _ in first })

    /// The toolset of the tool named `name`.
    package static func toolset(of name: String) -> String? { byName[name]?.toolset }

    /// Whether a call of `name` may compute for long: it writes (hashing what it uploads, building manifests), loads
    /// tables (SQL over package files, Tabulator), reads whole files to chart or organize them (curate), or compares
    /// two whole manifests (`package_diff`). An HTTP server runs such calls off the event loop that serves the
    /// caller's connection; every other call is a few requests and a page of JSON, and stays on it.
    package static func mayComputeLong(_ name: String) -> Bool {
        guard let (tool, set) = byName[name] else { return false }
        return !tool.definition.annotations.readOnly || ["query", "tabulator", "curate"].contains(set) || name == "package_diff"
    }

    /// The tools a deployment offers: those of `toolsets` (nil: every set), and in a read-only deployment only those
    /// that do not write.
    package static func served(readOnly: Bool, toolsets: Set<String>? = nil) -> [Tool] {
        let chosen = toolsets.map { names in Self.toolsets.filter { names.contains($0.name) }.flatMap(\.tools) } ?? all
        return readOnly ? chosen.filter(\.definition.annotations.readOnly) : chosen
    }

    /// The tool named `name`.
    package static func tool(named name: String) -> Tool? { byName[name]?.tool }

    /// The question to put to the user before `name` runs with `arguments`: nil when the call destroys nothing, the
    /// caller passed `confirm: true`, or the arguments do not validate (the call then fails on its own).
    package static func consentQuestion(_ name: String, arguments: JSONObject, context: ToolContext) async -> String? {
        guard let tool = tool(named: name), let consent = tool.consent,
            let args = try? tool.arguments(arguments), args.bool("confirm") != true
        else { return nil }
        do {
            return try await consent(args, context)
        } catch {
            // Not knowing what a call destroys is no reason to skip asking.
            return "'\(name)' may overwrite or delete data; what it would touch could not be checked (\(error.message)). Go ahead?"
        }
    }

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
        if let served = context.toolsets, let set = toolset(of: name), !served.names.contains(set) {
            throw ToolError(.invalidInput(
                field: "tool",
                reason: "'\(name)' belongs to the toolset '\(set)', which this server does not serve (\(served.setting) is "
                    + "\(served.names.sorted().joined(separator: ",")); add \(set) to serve it."))
        }
        do {
            return try await tool.run(try tool.arguments(arguments), context)
        } catch {
            throw ToolError(error)
        }
    }
}
