#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import FoundationEssentials
import QuiltMode
import QuiltProtocol

/// What every command shares: the usage text, output on stdout (results) and stderr (everything else), and the
/// usage errors that exit 2.
enum CLI {
    static let usage = """
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

    static func stderr(_ text: String) {
        var line = text
        if !line.hasSuffix("\n") { line += "\n" }
        _ = LineOutput.writeAll(fd: 2, Array(line.utf8))  // a reader that went away cannot be told
    }

    static func stdout(_ text: String) {
        _ = LineOutput.writeAll(fd: 1, Array((text + "\n").utf8))
    }

    /// Exits 2 with `message` (and the usage when asked).
    static func usageError(_ message: String, withUsage: Bool = true) -> Never {
        stderr(withUsage ? message + "\n\n" + usage : message)
        exit(2)
    }

    /// Exits 2 naming the first argument of `arguments` not in `accepted` (a mistyped option is not silently ignored).
    static func requireOnly(_ accepted: [String], in arguments: [String], command: String) {
        guard let unknown = arguments.first(where: { !accepted.contains($0) }) else { return }
        let hint = FlagSuggestion.hint(for: unknown, among: accepted + FlagSuggestion.modeFlags)
        usageError("quilt-mcp \(command): unknown option '\(unknown)'\(hint); accepted: \(accepted.joined(separator: ", ")).")
    }
}
