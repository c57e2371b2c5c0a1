package import Foundation
package import Logging
package import MCP
import QuiltJSON

/// Wraps the wire transport between it and the SDK's `Server`, doing two things the SDK does not:
///
/// - **Exact JSON for tools.** Each incoming `tools/call` has its `arguments` parsed exactly and parked in an
///   ``ExactJSONStore`` (its ticket added to the request's `_meta`), and each outgoing response whose
///   `structuredContent` is a parked-result marker gets the exact value back. Everything else passes unchanged.
/// - **A repeated `initialize` is answered** with the first one's result (some clients and test harnesses send it
///   twice on one stdio connection; the SDK would answer -32600), without reaching the SDK.
/// - **Answers before shutdown.** It counts requests in and responses out; when the inner stream ends (end of
///   standard input) it ends its own stream only once every request has been answered or cancelled, so a client
///   that writes its requests and closes its end still receives every answer, and the server then exits.
package actor ExactJSONTransport: MCP.Transport {
    /// The inner transport's logger.
    package nonisolated let logger: Logger
    /// Where exact values are parked; the server's tool handler reads the same store.
    package nonisolated let store: ExactJSONStore

    private let inner: any MCP.Transport
    private let stream: AsyncThrowingStream<Data, Error>
    private let continuation: AsyncThrowingStream<Data, Error>.Continuation
    /// Compact JSON of the ids of requests read and not yet answered.
    private var pending: Set<String> = []
    private var inputEnded = false
    /// Keys of `initialize` requests the SDK has not answered yet, the first successful answer's result, and repeats
    /// that arrived before it (answered once it is known).
    private var initializing: Set<String> = []
    private var initialized: JSONValue?
    private var repeatedInitialize: [(id: JSONValue, data: Data)] = []
    private var pump: Task<Void, Never>?

    /// Wraps `inner`; `store` is shared with the tool handler.
    package init(wrapping inner: any MCP.Transport, store: ExactJSONStore, logger: Logger) {
        self.inner = inner
        self.store = store
        self.logger = logger
        (stream, continuation) = AsyncThrowingStream.makeStream(of: Data.self)
    }

    /// Connects the inner transport and starts forwarding what it reads.
    package func connect() async throws {
        try await inner.connect()
        let source = await inner.receive()
        pump = Task { [weak self] in
            do {
                for try await data in source {
                    guard let self else { return }
                    await self.forward(data)
                }
            } catch {
                self?.logger.error("reading the transport failed", metadata: ["error": "\(error)"])
            }
            await self?.endOfInput()
        }
    }

    /// Disconnects the inner transport and ends the stream.
    package func disconnect() async {
        pump?.cancel()
        continuation.finish()
        await inner.disconnect()
    }

    /// Puts exact results in place of markers, records answered requests, and sends through the inner transport.
    /// A request counts as answered even when the write fails (the client is gone), so shutdown never waits on it.
    package func send(_ data: Data) async throws {
        let message = outgoing(data)
        defer {
            for key in message.answered {
                pending.remove(key)
                store.finish(requestKey: key)
            }
            finishIfDrained()
        }
        try await inner.send(message.data)
        if !repeatedInitialize.isEmpty, initializing.isEmpty { await answerRepeatedInitialize() }
    }

    /// The messages for the SDK.
    package nonisolated func receive() -> AsyncThrowingStream<Data, Error> { stream }

    /// Requests read and not yet answered (for tests and diagnostics).
    package var inFlight: Int { pending.count }

    // MARK: - Incoming

    /// Hands a message to the SDK; a line that is not JSON is answered here with a parse error and `"id": null`,
    /// as JSON-RPC requires (the SDK would answer with a random id).
    private func forward(_ data: Data) async {
        guard let parsed = try? JSONParser.parse(data) else {
            let error: JSONValue = [
                "jsonrpc": "2.0", "id": .null, "error": ["code": -32700, "message": "Parse error: the line is not JSON"],
            ]
            logger.warning("a line on standard input is not JSON", metadata: ["bytes": "\(data.count)"])
            try? await inner.send(Data(JSONWriter.compact(error).utf8))
            return
        }
        if parsed["method"]?.stringValue == Initialize.name, let id = parsed["id"], !id.isNull,
            initialized != nil || !initializing.isEmpty
        {
            // The session stays as the first handshake made it; the client hears that again.
            pending.insert(JSONWriter.compact(id))
            repeatedInitialize.append((id, data))
            if initialized != nil { await answerRepeatedInitialize() }
            return
        }
        continuation.yield(incoming(parsed, data))
    }

    /// Answers the repeated `initialize` requests with the first one's result, or, when the first failed, hands them
    /// to the SDK as they came.
    private func answerRepeatedInitialize() async {
        let waiting = repeatedInitialize
        repeatedInitialize = []
        for (id, data) in waiting {
            guard let result = initialized else {
                continuation.yield(data)  // already counted as pending; the SDK answers it
                continue
            }
            let answer: JSONValue = ["jsonrpc": "2.0", "id": id, "result": result]
            try? await inner.send(Data(JSONWriter.compact(answer).utf8))
            pending.remove(JSONWriter.compact(id))
        }
        finishIfDrained()
    }

    private func endOfInput() {
        inputEnded = true
        if !pending.isEmpty {
            logger.debug("end of input; waiting for in-flight requests", metadata: ["count": "\(pending.count)"])
        }
        finishIfDrained()
    }

    private func finishIfDrained() {
        if inputEnded && pending.isEmpty { continuation.finish() }
    }

    /// Records requests and cancellations; parks `tools/call` arguments. Returns the bytes to hand the SDK.
    private func incoming(_ parsed: JSONValue, _ data: Data) -> Data {
        switch parsed {
        case .object(let object):
            guard let rewritten = note(object) else { return data }
            return Data(JSONWriter.compact(.object(rewritten)).utf8)
        case .array(let items):
            var changed = false
            let out: [JSONValue] = items.map { item in
                guard case .object(let object) = item else { return item }
                guard let rewritten = note(object) else { return item }
                changed = true
                return .object(rewritten)
            }
            return changed ? Data(JSONWriter.compact(.array(out)).utf8) : data
        default:
            return data
        }
    }

    /// Accounts for one message; returns it rewritten when its arguments were parked, else nil.
    private func note(_ message: JSONObject) -> JSONObject? {
        guard let method = message["method"]?.stringValue else { return nil }
        if method == CancelledNotification.name, let id = message["params"]?["requestId"] {
            let key = JSONWriter.compact(id)
            pending.remove(key)
            store.finish(requestKey: key)
            finishIfDrained()
            return nil
        }
        guard let id = message["id"], id.stringValue != nil || id.numberValue != nil else { return nil }
        let key = JSONWriter.compact(id)
        pending.insert(key)
        if method == Initialize.name { initializing.insert(key) }
        guard method == CallTool.name, var params = message["params"]?.objectValue else { return nil }
        // Only this transport names a ticket: one a client wrote itself is removed.
        var meta = params["_meta"]?.objectValue ?? JSONObject()
        let forged = meta.removeValue(forKey: ExactJSONStore.argumentsKey) != nil
        if let arguments = params["arguments"]?.objectValue {
            meta[ExactJSONStore.argumentsKey] = .number(JSONNumber(store.parkArguments(arguments, requestKey: key)))
            // The handler reads the parked copy; the SDK gets none to decode (its `Value` decoding is the costliest
            // part of a small call: it matches every string against a data-URL regex).
            params["arguments"] = .object([:])
        } else if !forged {
            return nil
        }
        params["_meta"] = .object(meta)
        var rewritten = message
        rewritten["params"] = .object(params)
        return rewritten
    }

    // MARK: - Outgoing

    private static let markerBytes = Data(ExactJSONStore.resultPrefix.utf8)

    /// The bytes to write for `data` and the keys of the requests it answers.
    private func outgoing(_ data: Data) -> (data: Data, answered: [String]) {
        guard let parsed = try? JSONParser.parse(data) else { return (data, []) }
        let hasMarker = data.range(of: Self.markerBytes) != nil
        switch parsed {
        case .object(var object):
            let key = Self.answeredKey(object)
            if let key, initializing.remove(key) != nil, initialized == nil, let result = object["result"] { initialized = result }
            if hasMarker, restore(&object) {
                return (Data(JSONWriter.compact(.object(object)).utf8), key.map { [$0] } ?? [])
            }
            return (data, key.map { [$0] } ?? [])
        case .array(var items):
            var keys: [String] = []
            var changed = false
            for i in items.indices {
                guard case .object(var object) = items[i] else { continue }
                if let key = Self.answeredKey(object) { keys.append(key) }
                if hasMarker, restore(&object) {
                    items[i] = .object(object)
                    changed = true
                }
            }
            return (changed ? Data(JSONWriter.compact(.array(items)).utf8) : data, keys)
        default:
            return (data, [])
        }
    }

    /// The id key of a response (a message with an id and a result or error, and no method).
    private static func answeredKey(_ message: JSONObject) -> String? {
        guard message["method"] == nil, let id = message["id"], message["result"] != nil || message["error"] != nil
        else { return nil }
        return JSONWriter.compact(id)
    }

    /// Replaces a parked-result marker at `result.structuredContent`; true when it did.
    private func restore(_ message: inout JSONObject) -> Bool {
        guard var result = message["result"]?.objectValue,
            let marker = result["structuredContent"]?.stringValue, marker.hasPrefix(ExactJSONStore.resultPrefix),
            let exact = store.takeResult(marker: marker)
        else { return false }
        result["structuredContent"] = exact
        message["result"] = .object(result)
        return true
    }
}

extension ExactJSONTransport: HTTPContextProviding {
    /// The originating HTTP request of request `id`, when the wrapped transport carries HTTP (the SDK's HTTP
    /// server transports); nil otherwise. Lets handlers see the request's headers through this wrapper.
    package func httpRequestContext(for id: ID) async -> MCP.HTTPRequest? {
        await (inner as? any HTTPContextProviding)?.httpRequestContext(for: id)
    }
}
