// mcp-floor: the smallest MCP server on modelcontextprotocol/swift-sdk — the SDK's own stdio transport and one
// tool — so `quilt-bench startup --server .build/release/mcp-floor --skip-peer` shows the start-up time and idle
// memory any server built on the SDK starts from on this machine (the floor under quilt-mcp's figures).
import MCP

let server = Server(name: "mcp-floor", version: "1", capabilities: .init(tools: .init(listChanged: false)))
await server.withMethodHandler(ListTools.self) { _ in
    ListTools.Result(tools: [Tool(name: "echo", description: "Echoes its input.", inputSchema: ["type": "object"])])
}
await server.withMethodHandler(CallTool.self) { params in
    CallTool.Result(content: [.text(params.arguments?.description ?? "{}")])
}
try await server.start(transport: StdioTransport())
await server.waitUntilCompleted()
