import FoundationEssentials

/// The tool list as people read it: the README's table and `quilt-mcp tools`, both generated from the definitions
/// the server sends to clients, so neither can drift from them.
package enum ToolDocumentation {
    /// `read-only`, `writes` or `destructive`, from the annotations.
    package static func effect(_ d: ToolDefinition) -> String {
        d.annotations.readOnly ? "read-only" : (d.annotations.destructive ? "destructive" : "writes")
    }

    /// One line per tool: the name padded to the longest name, the effect, the description.
    package static func plainList(_ tools: [Tool] = ToolCatalog.all) -> [String] {
        let width = tools.map(\.definition.name.count).max() ?? 0
        return tools.map { tool in
            let d = tool.definition
            return d.name + String(repeating: " ", count: width - d.name.count) + "  [\(effect(d))] \(d.description)"
        }
    }

    /// A Markdown table: tool, its toolset, what it does, its parameters (required ones in bold), its effect.
    package static func markdownTable(_ tools: [Tool] = ToolCatalog.all) -> String {
        var lines = ["| Tool | Toolset | Does | Parameters | Effect |", "|---|---|---|---|---|"]
        for tool in tools {
            let d = tool.definition
            let parameters = d.parameters.filter { !$0.hidden }.map { $0.required ? "**`\($0.name)`**" : "`\($0.name)`" }.joined(separator: ", ")
            let set = ToolCatalog.toolset(of: d.name) ?? "–"
            lines.append("| `\(d.name)` | \(set) | \(cell(d.description)) | \(parameters.isEmpty ? "–" : parameters) | \(effect(d)) |")
        }
        return lines.joined(separator: "\n")
    }

    private static func cell(_ text: String) -> String {
        text.replacing("|", with: "\\|").replacing("\n", with: " ")
    }
}
