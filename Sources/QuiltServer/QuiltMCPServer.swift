import Foundation
package import Logging
package import MCP
import QuiltBackends
package import QuiltContract
package import QuiltMode
import QuiltTools

/// The quilt-mcp MCP server: ``QuiltTools/ToolCatalog`` as tools, plus the `auth://` resources, on the swift-sdk.
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
    package static func context(
        mode: Mode, credentials: RequestCredentials? = nil, exact: ExactJSONStore?, logger: Logger
    ) -> ServerContext {
        let backend: Result<any QuiltOps, QuiltOpsError>
        do {
            backend = .success(try BackendFactory.make(mode: mode, credentials: credentials))
        } catch {
            logger.warning("no backend: every tool call will fail", metadata: ["kind": "\(error.kind)", "error": "\(error.message)"])
            backend = .failure(error)
        }
        return ServerContext(mode: mode, backend: backend, exact: exact, logger: logger)
    }

    /// An SDK server with the tool and resource handlers registered, not yet started.
    package static func make(context: ServerContext) async -> MCP.Server {
        let server = MCP.Server(
            name: name, version: version, title: "Quilt data packages", instructions: instructions,
            capabilities: .init(resources: .init(subscribe: false, listChanged: false), tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: ToolHandlers.tools(for: context.mode)) }
        await server.withMethodHandler(CallTool.self) { [weak server] params in
            try await ToolHandlers.call(params, context: context, server: server)
        }
        await server.withMethodHandler(ListResources.self) { _ in ListResources.Result(resources: ResourceHandlers.resources) }
        await server.withMethodHandler(ReadResource.self) { params in
            try await ResourceHandlers.read(params.uri, context: context)
        }
        return server
    }

    /// Serves MCP over standard input and output until standard input ends, then returns the exit status (0).
    ///
    /// `credentials` are the caller's (from the mode's configured token), handed to the backend as an HTTP
    /// request's would be. Logs go to standard error at the mode's level; standard output carries only JSON-RPC.
    /// A `refusal` (the configured token did not verify) becomes every tool call's error instead of a backend.
    package static func runStdio(
        mode: Mode, credentials: RequestCredentials? = nil, refusal: QuiltOpsError? = nil
    ) async -> Int32 {
        let logger = ServerLogging.logger("quilt-mcp", mode: mode)
        let store = ExactJSONStore()
        var context = context(mode: mode, credentials: credentials, exact: store, logger: logger)
        if let refusal { context = ServerContext(mode: mode, backend: .failure(refusal), exact: store, logger: logger) }
        let server = await make(context: context)
        let wire = BlockingStdioTransport(logger: logger)
        let transport = ExactJSONTransport(wrapping: wire, store: store, logger: logger)
        do {
            try await server.start(transport: transport) { client, _ in
                logger.info("client connected", metadata: ["client": "\(client.name) \(client.version)"])
            }
        } catch {
            logger.error("could not start the server", metadata: ["error": "\(error)"])
            return 1
        }
        let backendID = (try? await context.backend().get())?.backendID.rawValue ?? "none"
        logger.info(
            "serving MCP over stdio",
            metadata: [
                "backend": "\(backendID)",
                "registry": "\(mode.registry?.url ?? "none")",
            ])
        await server.waitUntilCompleted()
        await server.stop()
        logger.info("standard input closed; exiting")
        return 0
    }
}
