// quilt-mcp: command line entry point. Resolves the mode once (the only environment read), then dispatches.
import Foundation
import QuiltBackends
import QuiltHTTPServer
import QuiltJSON
import QuiltMode
import QuiltOps
import QuiltServer
import QuiltTools

let usage = """
    Usage: quilt-mcp [mode flags] <command> [arguments]

    Commands:
      serve                        Serve MCP over the mode's transport (stdio, or streamable HTTP at /mcp); the default.
      mode [--json | --table]      Show the resolved deployment mode and where each setting came from.
      tools [--json | --markdown]  List the tools this server exposes.
      call <tool> ['<json>']       Run one tool (same code path as the MCP server) and print its JSON result.
      help                         Show this help.

    Mode flags (see `quilt-mcp mode --table` for every setting and its variables):
      --mode local|remote  --api registry|platform  --auth session|iam|jwt  --state persistent|stateless
      --locale local|remote  --transport stdio|http  --registry URL  --catalog-url URL  --read-only ...

    Exit status: 0 success, 1 the tool or command failed, 2 invalid configuration or usage.
    """

func stderr(_ text: String) {
    var line = text
    if !line.hasSuffix("\n") { line += "\n" }
    FileHandle.standardError.write(Data(line.utf8))
}

func stdout(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

let environment = ProcessEnvironment.current()
let mode: Mode
let remaining: [String]
do {
    (mode, remaining) = try ModeResolver.resolve(arguments: Array(CommandLine.arguments.dropFirst()), environment: environment)
} catch {
    stderr(error.description)
    exit(ModeError.exitStatus)
}
for warning in mode.warnings { stderr(warning) }

let command = remaining.first ?? "serve"
let rest = Array(remaining.dropFirst())

/// Exits 2 naming the first argument of `arguments` not in `accepted` (a mistyped option is not silently ignored).
func requireOnly(_ accepted: [String], in arguments: [String], command: String) {
    guard let unknown = arguments.first(where: { !accepted.contains($0) }) else { return }
    let hint = FlagSuggestion.hint(for: unknown, among: accepted + FlagSuggestion.modeFlags)
    stderr("quilt-mcp \(command): unknown option '\(unknown)'\(hint); accepted: \(accepted.joined(separator: ", ")).\n\n" + usage)
    exit(2)
}

if command.hasPrefix("-"), !["-h", "--help"].contains(command) {
    let hint = FlagSuggestion.hint(for: command, among: FlagSuggestion.modeFlags)
    stderr("quilt-mcp: unknown option '\(command)'\(hint). Mode flags are listed by `quilt-mcp mode --table`.\n\n" + usage)
    exit(2)
}

switch command {
case "help", "-h", "--help":
    stdout(usage)

case "mode":
    requireOnly(["--json", "--table"], in: rest, command: "mode")
    if rest.contains("--json") {
        stdout(JSONWriter.pretty(mode.jsonDescription()))
    } else if rest.contains("--table") {
        stdout(ModeDocumentation.markdownTable())
    } else {
        stdout(mode.explanation())
    }

case "tools":
    requireOnly(["--json", "--markdown"], in: rest, command: "tools")
    if rest.contains("--json") {
        stdout(JSONWriter.pretty(.array(ToolCatalog.all.map(\.definition.json))))
    } else if rest.contains("--markdown") {
        stdout(ToolDocumentation.markdownTable())
    } else {
        ToolDocumentation.plainList().forEach(stdout)
    }

case "call":
    guard let name = rest.first else {
        stderr("quilt-mcp call: name a tool, e.g. quilt-mcp call packages_list '{}'\n\n" + usage)
        exit(2)
    }
    if let option = rest.dropFirst().first(where: { $0.hasPrefix("--") }) {
        let hint = FlagSuggestion.hint(for: option, among: FlagSuggestion.modeFlags)
        stderr("quilt-mcp call: unknown option '\(option)'\(hint); the tool's arguments go in one JSON object, "
            + "e.g. quilt-mcp call packages_list '{\"prefix\": \"me/\"}'")
        exit(2)
    }
    let text = rest.count > 1 ? rest[1] : "{}"
    let arguments: JSONObject
    do {
        guard case .object(let o) = try JSONParser.parse(text) else {
            stderr("quilt-mcp call: arguments must be a JSON object, e.g. '{\"registry\": \"s3://bucket\"}'")
            exit(2)
        }
        arguments = o
    } catch {
        stderr("quilt-mcp call: arguments are not valid JSON: \(error.description)")
        exit(2)
    }
    do {
        var credentials: RequestCredentials?
        if let token = mode.jwtToken, mode.auth == .jwt || mode.api == .platform {
            do {
                credentials = try await Authenticator(mode: mode).credentials(forToken: token)
            } catch {
                throw QuiltOpsError.unauthenticated("the configured token is refused: \(error.message)")
            }
        }
        let ops = try BackendFactory.make(mode: mode, credentials: credentials)
        let context = ToolContext(ops: ops, defaultRegistry: mode.registry, catalogURL: mode.catalogURL)
        let result = try await ToolCatalog.call(name, arguments: arguments, context: context)
        stdout(JSONWriter.pretty(result))
    } catch let error as ToolError {
        stdout(JSONWriter.pretty(error.json))
        stderr("quilt-mcp: \(error.error.kind): \(error.error.message)")
        exit(1)
    } catch let error as QuiltOpsError {
        stdout(JSONWriter.pretty(ToolError(error).json))
        stderr("quilt-mcp: \(error.kind): \(error.message)")
        exit(1)
    }

case "serve":
    guard rest.isEmpty else {
        stderr("quilt-mcp serve: unexpected arguments \(rest.joined(separator: " ")).\n\n" + usage)
        exit(2)
    }
    ServerLogging.bootstrap()
    switch mode.transport {
    case .stdio:
        if isatty(STDIN_FILENO) != 0 {
            // Started by hand: an MCP client normally starts this and speaks JSON-RPC on stdin; say so, on stderr.
            stderr("quilt-mcp: serving MCP over stdio, waiting for an MCP client's JSON-RPC on standard input "
                + "(Ctrl-D ends). An MCP client such as Claude Desktop starts this command itself; to try the tools "
                + "by hand use `quilt-mcp call packages_list`, and `quilt-mcp help` for more.")
        }
        // The configured token goes to the backend as an HTTP request's would (verified when a key is configured).
        guard let token = mode.jwtToken, mode.auth == .jwt || mode.api == .platform else {
            exit(await QuiltMCPServer.runStdio(mode: mode))
        }
        do {
            let credentials = try await Authenticator(mode: mode).credentials(forToken: token)
            exit(await QuiltMCPServer.runStdio(mode: mode, credentials: credentials))
        } catch {
            stderr("quilt-mcp: warning: the configured token (\(mode.jwtTokenSource.map { "\($0)" } ?? "token")) is "
                + "refused: \(error.message); every tool call will fail")
            exit(await QuiltMCPServer.runStdio(mode: mode, refusal: .unauthenticated("the configured token is refused: \(error.message)")))
        }
    case .http:
        exit(await QuiltHTTPServer.run(mode: mode))
    }

default:
    stderr("quilt-mcp: unknown command '\(command)'.\n\n" + usage)
    exit(2)
}
