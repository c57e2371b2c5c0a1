// mcp-floor: the smallest MCP server on quilt-mcp's own protocol layer (QuiltProtocol over QuiltJSON) — its stdio
// connection and one tool — so `quilt-bench startup --server .build/release/mcp-floor --skip-peer` shows the start-up
// time and idle memory any server built on the layer starts from on this machine (the floor under quilt-mcp's
// figures; until 2026-12 the floor was swift-sdk's, see Benchmarks/README.md).
import Logging
import QuiltJSON
import QuiltProtocol

let echo: JSONValue = ["name": "echo", "description": "Echoes its input.", "inputSchema": ["type": "object"]]
let core = MCPServerCore(
    identity: ServerIdentity(name: "mcp-floor", version: "1", title: nil, instructions: nil),
    capabilities: ["tools": ["listChanged": false]],
    methods: [
        MCPMethod("tools/list") { _ in ["tools": [echo]] },
        MCPMethod("tools/call") { request in
            ["content": [["type": "text", "text": .string(JSONWriter.compact(request.params["arguments"] ?? [:]))]]]
        },
    ],
    logger: Logger(label: "mcp-floor"))
await StdioConnection(core: core, logger: Logger(label: "mcp-floor")).run()
