import FoundationEssentials
package import Logging
import QuiltBackends
package import QuiltJSON
package import QuiltProtocol
package import QuiltContract
package import QuiltMode
import QuiltTools

/// The quilt-mcp MCP server: ``QuiltTools/ToolCatalog`` as tools, plus the `auth://` resources, on ``QuiltProtocol``.
package enum QuiltMCPServer {
    /// The name in `serverInfo`.
    package static let name = "quilt-mcp"
    /// The version in `serverInfo`.
    package static let version = "0.1.0"
    /// What `initialize` tells clients about this server.
    package static let instructions = """
        Quilt data packages: list, browse, inspect, diff, create, update and delete versioned packages in a registry. \
        Read auth://catalog/info for the backend, its capabilities and the deployment mode.
        """

    /// A context for `mode`: its backend made once through ``QuiltBackends/BackendFactory`` for the caller
    /// `credentials` (a failure is kept and returned by every tool call, so the server still starts).
    package static func context(mode: Mode, credentials: RequestCredentials? = nil, logger: Logger) -> ServerContext {
        let backend: Result<any QuiltOps, QuiltOpsError>
        do {
            backend = .success(try BackendFactory.make(mode: mode, credentials: credentials))
        } catch {
            logger.warning("no backend: every tool call will fail", metadata: ["kind": "\(error.kind)", "error": "\(error.message)"])
            backend = .failure(error)
        }
        var context = ServerContext(mode: mode, backend: backend, credentials: credentials, logger: logger)
        context.principal = credentials.map { credentials in
            guard credentials.verified, let subject = credentials.claims["sub"]?.stringValue else { return credentials.tokenDigest }
            return (credentials.claims["iss"]?.stringValue ?? "") + " " + subject
        }
        return context
    }

    /// Who the server is, for the protocol layer.
    package static let identity = ServerIdentity(name: name, version: version, title: "Quilt data packages", instructions: instructions)

    /// What the server offers: tools, resources (and entry templates), prompts and completions; no list changes while it runs.
    package static let capabilities: JSONObject = [
        "resources": ["subscribe": false, "listChanged": false], "tools": ["listChanged": false], "logging": [:],
        "prompts": ["listChanged": false], "completions": [:],
    ]

    /// The protocol layer's core for `context`: the tool and resource methods over ``QuiltProtocol``.
    package static func core(context: ServerContext) -> MCPServerCore {
        MCPServerCore(
            identity: identity, capabilities: capabilities, methods: ProtocolMethods.methods(context), logger: context.logger)
    }

    /// Serves MCP over standard input and output until standard input ends and every request read is answered,
    /// then returns the exit status (0). Both eras: the client's first request decides (``QuiltProtocol/StdioConnection``).
    ///
    /// `credentials` are the caller's (from the mode's configured token), handed to the backend as an HTTP
    /// request's would be. Logs go to standard error at the mode's level; standard output carries only JSON-RPC.
    /// A `refusal` (the configured token did not verify) becomes every tool call's error instead of a backend.
    package static func runStdio(
        mode: Mode, credentials: RequestCredentials? = nil, refusal: QuiltOpsError? = nil
    ) async -> Int32 {
        let logger = ServerLogging.logger("quilt-mcp", mode: mode)
        var context = context(mode: mode, credentials: credentials, logger: logger)
        if let refusal { context = ServerContext(mode: mode, backend: .failure(refusal), credentials: nil, logger: logger) }
        let connection = StdioConnection(core: core(context: context), logger: logger)
        let backendID = (try? await context.backend().get())?.backendID.rawValue ?? "none"
        logger.info(
            "serving MCP over stdio",
            metadata: [
                "backend": "\(backendID)",
                "registry": "\(mode.registry?.url ?? "none")",
            ])
        await connection.run()
        logger.info("standard input closed; exiting")
        return 0
    }
}
