import QuiltContract
import QuiltJSON
import QuiltMode
import QuiltProtocol
import QuiltTools
import Synchronization

/// The server's MCP methods on ``QuiltProtocol``: tools and resources as exact JSON, no conversion on the way.
enum ProtocolMethods {
    /// `tools/list` and `resources/list` are the same for every caller of a deployment; resource bodies are the
    /// caller's own (their identity, their backend).
    static let listCache = CacheHint(ttlMs: 300_000, scope: .public)
    static let readCache = CacheHint(ttlMs: 0, scope: .private)

    /// The methods for `context`.
    static func methods(_ context: ServerContext) -> [MCPMethod] {
        let readOnly = context.mode.readOnly, toolsets = context.toolsets?.names
        // Only the prompt methods need the served tools' names: not worked out for every other request.
        let servedTools: @Sendable () -> Set<String> = { Set(ToolCatalog.served(readOnly: readOnly, toolsets: toolsets).map(\.definition.name)) }
        // One box for the closures to share: each capturing the context itself copied all of it (a stateless server
        // makes its methods for every request, whatever the method).
        let shared = Shared(context)
        return [
            MCPMethod("tools/list", cache: listCache) { request in
                ["tools": .array(toolsJSON(readOnly: readOnly, toolsets: toolsets, version: request.era.version))]
            },
            MCPMethod("tools/call") { request in try await call(request, context: shared.context) },
            MCPMethod("resources/list", cache: listCache) { _ in ["resources": .array(ResourceHandlers.listed(shared.context.mode))] },
            MCPMethod("resources/read", cache: readCache) { request in try await EntryResources.read(request, context: shared.context) },
            MCPMethod("resources/templates/list", cache: listCache) { _ in
                ["resourceTemplates": .array(EntryResources.templates(shared.context.mode))]
            },
            MCPMethod("completion/complete") { request in try await Completions.complete(request, context: shared.context) },
            MCPMethod("prompts/list", cache: listCache) { _ in Prompts.listed(servedTools()) },
            MCPMethod("prompts/get") { request in try Prompts.get(request, tools: servedTools()) },
            MCPMethod("subscriptions/listen") { request in try await Subscriptions.listen(request) },
        ]
    }

    private final class Shared: Sendable {
        let context: ServerContext
        init(_ context: ServerContext) { self.context = context }
    }

    // MARK: - Tools

    private static let listed = Mutex<[String: [JSONValue]]>([:])

    /// What `tools/list` lists: the tools of the served toolsets (nil: all), and in a read-only deployment none that
    /// writes. Built once per combination (a stateless server makes its methods for every request).
    static func toolsJSON(readOnly: Bool, toolsets: Set<String>?, version: String) -> [JSONValue] {
        let titleInAnnotations = version < "2025-06-18"
        let key = "\(readOnly)|\(titleInAnnotations)|" + (toolsets.map { $0.sorted().joined(separator: ",") } ?? "*")
        if let cached = listed.withLock({ $0[key] }) { return cached }
        let tools = ToolCatalog.served(readOnly: readOnly, toolsets: toolsets).map {
            toolJSON($0.definition, titleInAnnotations: titleInAnnotations)
        }
        listed.withLock { $0[key] = tools }
        return tools
    }

    /// One tool as MCP describes it: the tool layer's definition, exactly. Revisions before 2025-06-18 have no
    /// top-level `title`; their clients read it from the annotations, so it moves there.
    static func toolJSON(_ definition: ToolDefinition, titleInAnnotations: Bool) -> JSONValue {
        guard titleInAnnotations, case .object(var tool) = definition.json else { return definition.json }
        var hints = tool["annotations"]?.objectValue ?? [:]
        hints["title"] = .string(definition.title)
        tool["annotations"] = .object(hints)
        tool["title"] = Optional<JSONValue>.none
        return .object(tool)
    }

    /// `tools/call`: a tool's failure is a result with `isError: true`; only a request that is not a call at all
    /// (no tool name) is a protocol error.
    static func call(_ request: RequestContext, context: ServerContext) async throws -> JSONObject {
        guard let name = request.params["name"]?.stringValue else {
            throw RPCError.invalidParams("tools/call needs \"name\", the tool to call (tools/list names them)")
        }
        let arguments: JSONObject
        switch request.params["arguments"] {
        case nil, .null?: arguments = [:]
        case .object(let object)?: arguments = object
        case .some: throw RPCError.invalidParams("tools/call \"arguments\" must be an object of the tool's parameters")
        }
        var progress: ProgressForwarder.Send?
        if case .some = request.progressToken {
            progress = { value, total, message in await request.progress(value, total: total, message: message) }
        }
        let consent: ToolInvocation.AskConsent = { question in
            await ConsentFlow.decide(question: question, tool: name, arguments: arguments, request: request, context: context)
        }
        let started = ContinuousClock.now
        switch await ToolInvocation.run(
            name, arguments: arguments, progress: progress, switchboard: context.cancellation, context: context, consent: consent)
        {
        case .stopped:
            throw CancellationError()
        case .inputRequired(let result):
            await request.log(.info, "\(name) waits for the user's consent")
            return result
        case .answered(let outcome):
            let elapsed = ContinuousClock.now - started
            let isError = if case .failure = outcome { true } else { false }
            switch outcome {
            case .success: await request.log(.info, "\(name) done in \(elapsed.milliseconds) ms")
            case .failure(let failure):
                await request.log(.warning, "\(name) failed after \(elapsed.milliseconds) ms: \(failure.error.kind): \(failure.error.message)")
            }
            return [
                "content": [["type": "text", "text": .string(ToolInvocation.text(outcome))]],
                "structuredContent": ToolInvocation.structured(outcome), "isError": .bool(isError),
            ]
        }
    }

    // MARK: - Resources

    /// `resources/read`: the resource's JSON text.
    static func read(_ request: RequestContext, context: ServerContext) async throws -> JSONObject {
        guard let uri = request.params["uri"]?.stringValue else {
            throw RPCError.invalidParams("resources/read needs \"uri\" (resources/list names them)")
        }
        guard let body = await ResourceHandlers.body(uri, context: context) else {
            throw RPCError.resourceNotFound(
                uri, era: request.era, available: ResourceHandlers.listed(context.mode).compactMap { $0["uri"]?.stringValue })
        }
        return ["contents": [["uri": .string(uri), "mimeType": "application/json", "text": .string(JSONWriter.pretty(body))]]]
    }
}

extension Duration {
    /// Whole milliseconds, for messages.
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
