import Foundation
import Logging
import MCP
import QuiltContract
import QuiltJSON
import QuiltMode
import QuiltTools

/// `tools/list` and `tools/call` over ``QuiltTools/ToolCatalog``: the same tool layer the command line uses.
enum ToolHandlers {
    /// What `tools/list` answers in `mode` (sessions): the served toolsets, and no tool that writes when read-only.
    static func tools(for mode: Mode) -> [MCP.Tool] {
        ToolCatalog.served(readOnly: mode.readOnly, toolsets: mode.toolsets).map { mcpTool($0.definition) }
    }

    /// `definition` with its schemas converted exactly and its annotations as MCP hints.
    static func mcpTool(_ definition: ToolDefinition) -> MCP.Tool {
        let hints = definition.annotations
        return MCP.Tool(
            name: definition.name, title: definition.title, description: definition.description,
            inputSchema: ValueConversion.value(definition.inputSchema),
            annotations: .init(
                title: definition.title, readOnlyHint: hints.readOnly, destructiveHint: hints.destructive,
                idempotentHint: hints.idempotent, openWorldHint: hints.openWorld),
            outputSchema: ValueConversion.value(definition.outputSchema))
    }

    /// Runs one call (``ToolInvocation``). A call that gives up because of `notifications/cancelled` throws
    /// `CancellationError`, so the SDK sends no response.
    static func call(_ params: CallTool.Parameters, context: ServerContext, server: MCP.Server?) async throws
        -> CallTool.Result
    {
        let arguments = exactArguments(params, context: context)
        var progress: ProgressForwarder.Send?
        if let token = params._meta?.progressToken, let server {
            progress = { [weak server] value, total, message in
                try? await server?.notify(
                    ProgressNotification.message(.init(progressToken: token, progress: value, total: total, message: message)))
            }
        }
        var switchboard = context.cancellation
        var callKey: String?
        if switchboard == nil, let calls = context.calls, let key = currentRequestKey(params, context: context) {
            callKey = key
            switchboard = calls.begin(key)
        }
        defer { if let callKey { context.calls?.end(callKey) } }
        switch await ToolInvocation.run(params.name, arguments: arguments, progress: progress, switchboard: switchboard, context: context) {
        case .stopped:
            throw CancellationError()
        case .answered(let outcome):
            let isError = if case .failure = outcome { true } else { false }
            return CallTool.Result(
                content: [.text(text: ToolInvocation.text(outcome), annotations: nil, _meta: nil)],
                structuredContent: structured(ToolInvocation.structured(outcome), context: context), isError: isError)
        }
    }

    /// The JSON-RPC id of the request being handled, as a key: from the ticket ``ExactJSONTransport`` put in `_meta`
    /// (it already parsed the request), else from the HTTP request the SDK exposes (sessions).
    static func currentRequestKey(_ params: CallTool.Parameters, context: ServerContext) -> String? {
        if let ticket = params._meta?[ExactJSONStore.argumentsKey]?.intValue, let key = context.exact?.requestKey(ticket: ticket) {
            return key
        }
        guard let body = MCP.Server.currentHandlerContext?.httpContext?.body,
            case .object(let message)? = try? JSONParser.parse(body), let id = message["id"]
        else { return nil }
        return CallRegistry.key(id)
    }

    /// The arguments exactly as the client wrote them when ``ExactJSONTransport`` parked them, else converted.
    static func exactArguments(_ params: CallTool.Parameters, context: ServerContext) -> JSONObject {
        if let ticket = params._meta?[ExactJSONStore.argumentsKey]?.intValue,
            let exact = context.exact?.takeArguments(ticket: ticket)
        {
            return exact
        }
        return ValueConversion.object(params.arguments ?? [:])
    }

    /// `structuredContent` for `value`: a marker the transport replaces with the exact JSON, or the converted value.
    static func structured(_ value: JSONValue, context: ServerContext) -> Value? {
        if let store = context.exact { return .string(store.parkResult(value)) }
        return ValueConversion.value(value)
    }
}
