// quilt-mcp: command line entry point. Resolves the mode once (the only environment read), then hands the rest of
// the command line to one command type (Commands/).
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import FoundationEssentials
import QuiltMode

let mode: Mode
let remaining: [String]
do {
    (mode, remaining) = try ModeResolver.resolve(arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessEnvironment.current())
} catch {
    CLI.stderr(error.description)
    exit(ModeError.exitStatus)
}
for warning in mode.warnings { CLI.stderr(warning) }

let command = remaining.first ?? "serve"
let rest = Array(remaining.dropFirst())
if command.hasPrefix("-"), !["-h", "--help"].contains(command) {
    let hint = FlagSuggestion.hint(for: command, among: FlagSuggestion.modeFlags)
    CLI.usageError("quilt-mcp: unknown option '\(command)'\(hint). Mode flags are listed by `quilt-mcp mode --table`.")
}

switch command {
case "help", "-h", "--help": CLI.stdout(CLI.usage)
case "mode": ModeCommand.run(mode: mode, arguments: rest)
case "tools": ToolsCommand.run(mode: mode, arguments: rest)
case "call": exit(await CallCommand.run(mode: mode, arguments: rest))
case "serve": exit(await ServeCommand.run(mode: mode, arguments: rest))
default: CLI.usageError("quilt-mcp: unknown command '\(command)'.")
}
