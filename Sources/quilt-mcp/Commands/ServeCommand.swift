#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import FoundationEssentials
import QuiltContract
import QuiltHTTPServer
import QuiltMode
import QuiltServer

/// `quilt-mcp serve` (the default): MCP over the mode's transport, stdio or streamable HTTP.
enum ServeCommand {
    static func run(mode: Mode, arguments: [String]) async -> Int32 {
        guard arguments.isEmpty else {
            CLI.usageError("quilt-mcp serve: unexpected arguments \(arguments.joined(separator: " ")).")
        }
        ServerLogging.bootstrap()
        switch mode.transport {
        case .stdio: return await stdio(mode)
        case .http: return await HTTPDeployment.run(mode: mode)
        }
    }

    static func stdio(_ mode: Mode) async -> Int32 {
        if isatty(STDIN_FILENO) != 0 {
            // Started by hand: an MCP client normally starts this and speaks JSON-RPC on stdin; say so, on stderr.
            CLI.stderr(
                "quilt-mcp: serving MCP over stdio, waiting for an MCP client's JSON-RPC on standard input "
                    + "(Ctrl-D ends). An MCP client such as Claude Desktop starts this command itself; to try the tools "
                    + "by hand use `quilt-mcp call packages_list`, and `quilt-mcp help` for more.")
        }
        // The configured token goes to the backend as an HTTP request's would (verified when a key is configured).
        guard let token = mode.jwtToken, mode.auth == .jwt || mode.api == .platform else {
            return await QuiltMCPServer.runStdio(mode: mode)
        }
        do {
            let credentials = try await Authenticator(mode: mode).credentials(forToken: token)
            return await QuiltMCPServer.runStdio(mode: mode, credentials: credentials)
        } catch {
            CLI.stderr(
                "quilt-mcp: warning: the configured token (\(mode.jwtTokenSource.map { "\($0)" } ?? "token")) is "
                    + "refused: \(error.message); every tool call will fail")
            return await QuiltMCPServer.runStdio(mode: mode, refusal: .unauthenticated("the configured token is refused: \(error.message)"))
        }
    }
}
