import QuiltJSON
import QuiltTools

/// `quilt-mcp tools [--json | --markdown]`: the tools this server exposes.
enum ToolsCommand {
    static func run(arguments: [String]) {
        CLI.requireOnly(["--json", "--markdown"], in: arguments, command: "tools")
        if arguments.contains("--json") {
            CLI.stdout(JSONWriter.pretty(.array(ToolCatalog.all.map(\.definition.json))))
        } else if arguments.contains("--markdown") {
            CLI.stdout(ToolDocumentation.markdownTable())
        } else {
            ToolDocumentation.plainList().forEach(CLI.stdout)
        }
    }
}
