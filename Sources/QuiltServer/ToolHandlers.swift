import Foundation
import Logging
import MCP
import QuiltContract
import QuiltJSON
import QuiltMode
import QuiltTools

/// `tools/list` and `tools/call` over ``QuiltTools/ToolCatalog``: the same tool layer the command line uses.
enum ToolHandlers {
    /// Every catalog tool as the SDK's `Tool`, built once; and those a read-only deployment serves.
    static let tools: [MCP.Tool] = ToolCatalog.all.map { mcpTool($0.definition) }
    static let readingTools: [MCP.Tool] = ToolCatalog.served(readOnly: true).map { mcpTool($0.definition) }

    /// What `tools/list` answers in `mode`: a read-only deployment does not offer tools that write.
    static func tools(for mode: Mode) -> [MCP.Tool] { mode.readOnly ? readingTools : tools }

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

    /// Runs one call. A tool failure is a result with `isError: true`, never a protocol error; a call that gives up
    /// because of `notifications/cancelled` throws `CancellationError`, so the SDK sends no response. A call the
    /// cancellation reached only after it completed (past its commit point) is answered: its write stands, and an
    /// answer the client ignores is better than no answer for a change that happened.
    static func call(_ params: CallTool.Parameters, context: ServerContext, server: MCP.Server?) async throws
        -> CallTool.Result
    {
        let started = ContinuousClock.now
        let arguments = exactArguments(params, context: context)
        let work: @Sendable () async -> Result<JSONValue, ToolError> = {
            switch await context.backend() {
            case .failure(let error):
                return .failure(ToolError(error))
            case .success(let ops):
                var forwarder: ProgressForwarder?
                if let token = params._meta?.progressToken, let server {
                    forwarder = ProgressForwarder(server: server, token: token)
                }
                let toolContext = ToolContext(
                    ops: ops, defaultRegistry: context.mode.registry, progress: forwarder?.handler, catalogURL: context.mode.catalogURL,
                    readOnly: context.mode.readOnlySetting)
                let outcome: Result<JSONValue, ToolError>
                do throws(ToolError) {
                    outcome = .success(try await ToolCatalog.call(params.name, arguments: arguments, context: toolContext))
                } catch {
                    outcome = .failure(error)
                }
                await forwarder?.finish()
                return outcome
            }
        }
        var switchboard = context.cancellation
        var callKey: String?
        if switchboard == nil, let calls = context.calls, let key = currentRequestKey(params, context: context) {
            callKey = key
            switchboard = calls.begin(key)
        }
        defer { if let callKey { context.calls?.end(callKey) } }
        let outcome = if let switchboard { await switchboard.run(work) } else { await work() }
        let elapsed = ContinuousClock.now - started
        if Task.isCancelled || switchboard?.isCancelled == true {
            if case .success = outcome {
                context.logger.info(
                    "tools/call completed before its cancellation took effect",
                    metadata: ["tool": "\(params.name)", "elapsed": "\(elapsed)"])
            } else {
                context.logger.info("tools/call cancelled", metadata: ["tool": "\(params.name)", "elapsed": "\(elapsed)"])
                ToolMetrics.record(tool: params.name, outcome: "cancelled", elapsed: elapsed)
                switchboard?.markStopped()
                throw CancellationError()
            }
        }
        switch outcome {
        case .success(let result):
            context.logger.info("tools/call ok", metadata: ["tool": "\(params.name)", "elapsed": "\(elapsed)"])
            ToolMetrics.record(tool: params.name, outcome: "ok", elapsed: elapsed)
            return CallTool.Result(
                content: [.text(text: JSONWriter.compact(result), annotations: nil, _meta: nil)],
                structuredContent: structured(result, context: context), isError: false)
        case .failure(let failure):
            let error = failure.error
            ToolMetrics.record(tool: params.name, outcome: error.kind, elapsed: elapsed)
            context.logger.info(
                "tools/call failed",
                metadata: ["tool": "\(params.name)", "kind": "\(error.kind)", "elapsed": "\(elapsed)"])
            return CallTool.Result(
                content: [.text(text: "\(error.kind): \(error.message)\nHint: \(failure.hint)", annotations: nil, _meta: nil)],
                structuredContent: structured(failure.json, context: context), isError: true)
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
