import QuiltJSON
import QuiltMode

/// `quilt-mcp mode [--json | --table]`: the resolved mode and where each setting came from, or every setting.
enum ModeCommand {
    static func run(mode: Mode, arguments: [String]) {
        CLI.requireOnly(["--json", "--table"], in: arguments, command: "mode")
        if arguments.contains("--json") {
            CLI.stdout(JSONWriter.pretty(mode.jsonDescription()))
        } else if arguments.contains("--table") {
            CLI.stdout(ModeDocumentation.markdownTable())
        } else {
            CLI.stdout(mode.explanation())
        }
    }
}
