import QuiltJSON
import QuiltMode
import QuiltTools

/// `quilt-mcp tools [--json | --markdown]`: the tools this server exposes in `mode` (a read-only deployment offers
/// none that write, as its `tools/list` does).
enum ToolsCommand {
    static func run(mode: Mode, arguments: [String]) {
        CLI.requireOnly(["--json", "--markdown"], in: arguments, command: "tools")
        let tools = ToolCatalog.served(readOnly: mode.readOnly, toolsets: mode.toolsets)
        if arguments.contains("--json") {
            CLI.stdout(JSONWriter.pretty(.array(tools.map(\.definition.json))))
        } else if arguments.contains("--markdown") {
            CLI.stdout(ToolDocumentation.markdownTable(tools))
        } else {
            ToolDocumentation.plainList(tools).forEach(CLI.stdout)
        }
    }
}
