package import Logging
import QuiltJSON

/// MCP over a pair of file descriptors (standard input and output): each line parsed once, classified, and served
/// in the era the client's first request opens.
///
/// - **Eras.** A first request carrying the 2026-07-28 envelope (and not `initialize`) makes the connection modern:
///   every later request is checked on its own (``Request/envelope()``), `initialize` gets -32022. Anything
///   else makes it a handshake connection: `initialize` negotiates once, a repeated `initialize` is answered with the
///   first one's result, and a request carrying the 2026 envelope gets -32600.
/// - **Concurrency.** Each request runs in its own task; `notifications/cancelled` cancels it, and a request that
///   gives up is not answered. Progress goes out before the request's answer.
/// - **Shutdown.** End of input stops reading; ``run()`` returns once every request read has been answered or
///   cancelled, so a client that writes its requests and closes its end still gets every answer.
/// - **Requests to the client.** A handshake-era request may ask the client something (elicitation) through its
///   context's ``RequestContext/requester``; the answer is routed back by id. End of input fails every question
///   still open, and a cancelled request withdraws its own.
/// - **Hostile input.** A line that is not JSON gets -32700 with a null id; a message that is not a request gets
///   -32600; an id already in flight gets -32600. None of them ends the connection.
package actor StdioConnection {
    private enum State {
        case undecided
        case handshake(MCPServerCore.Handshake?, logLevel: String? = nil)
        case modern
    }

    private let core: MCPServerCore
    private let input: Int32
    private let output: LineOutput
    private let logger: Logger
    private var state = State.undecided
    private var inFlight: [String: Task<Void, Never>] = [:]
    private var batches: [Int: Task<Void, Never>] = [:]
    private var nextBatch = 0
    private var questions: [String: CheckedContinuation<Result<JSONObject, RPCError>, Never>] = [:]
    private var nextQuestion = 0
    private var inputEnded = false
    private let closing = Closing()

    /// A connection reading `input` and writing `output` (standard input and output by default).
    package init(core: MCPServerCore, input: Int32 = 0, output: Int32 = 1, logger: Logger) {
        self.core = core
        self.input = input
        self.output = LineOutput(fd: output, logger: logger)
        self.logger = logger
    }

    /// Serves until the input ends and every request read has been answered or cancelled.
    package func run() async {
        for await line in LineInput.lines(fd: input, logger: logger) {
            receive(line)
        }
        inputEnded = true
        closing.fire()
        for (_, question) in questions { question.resume(returning: .failure(Self.closedBeforeAnswer)) }
        questions = [:]
        while let task = inFlight.values.first ?? batches.values.first {
            await task.value
        }
    }

    /// Requests read and not yet answered (for tests and diagnostics).
    package var pending: Int { inFlight.count + batches.count }

    // MARK: - Reading

    private func receive(_ line: [UInt8]) {
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(line)
        } catch {
            logger.warning("a line on standard input is not JSON", metadata: ["bytes": "\(line.count)"])
            output.write(Outgoing.error(id: .null, .parseError("the line is not JSON (\(error))")))
            return
        }
        if case .array(let items) = parsed {
            receiveBatch(items)
            return
        }
        switch Incoming.classify(parsed) {
        case .request(let request):
            receive(request)
        case .notification(let notification):
            receive(notification)
        case .response(let id, let message):
            answered(JSONWriter.compact(id), message)
        case .invalid(let id, let error):
            output.write(Outgoing.error(id: id, error))
        }
    }

    private func receive(_ notification: Notification) {
        switch notification.method {
        case "notifications/cancelled":
            guard let id = notification.params["requestId"] else { return }
            let key = JSONWriter.compact(id)
            guard let task = inFlight[key] else { return }
            logger.debug("cancelling a request", metadata: ["id": "\(key)"])
            task.cancel()
        default:
            break  // notifications/initialized and anything unknown: nothing to do
        }
    }

    private func receive(_ request: Request) {
        if case .undecided = state {
            state = request.method != "initialize" && request.hasModernEnvelope ? .modern : .handshake(nil, logLevel: nil)
        }
        guard inFlight[request.key] == nil else {
            output.write(Outgoing.error(id: request.id, .invalidRequest("request id \(request.key) is already in flight")))
            return
        }
        switch route(request) {
        case .answer(let message):
            output.write(message)
        case .serve(let era, let capabilities, let clientInfo, let logLevel):
            let key = request.key
            let (core, output) = (core, output)
            inFlight[key] = Task {
                let sink: NotificationSink = { output.write($0) }
                let requester: ClientRequester = { method, params in try await self.ask(method, params) }
                if let answer = await core.answer(
                    request, era: era, clientCapabilities: capabilities, clientInfo: clientInfo, logLevel: logLevel, sink: sink,
                    requester: requester, closing: self.closing)
                {
                    output.write(answer)
                }
                self.finished(key)
            }
        }
    }

    private func finished(_ key: String) { inFlight[key] = nil }

    // MARK: - Requests to the client

    private static let closedBeforeAnswer = RPCError.internalError("the client closed the connection before it answered")

    /// Sends the client `method` and waits for its answer; a cancelled caller stops waiting.
    private func ask(_ method: String, _ params: JSONObject) async throws -> JSONObject {
        guard !inputEnded else { throw Self.closedBeforeAnswer }
        nextQuestion += 1
        let id = JSONValue.string("quilt-mcp-\(nextQuestion)")
        let key = JSONWriter.compact(id)
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<JSONObject, RPCError>, Never>) in
                guard !Task.isCancelled else { return continuation.resume(returning: .failure(.internalError("cancelled"))) }
                questions[key] = continuation
                output.write(["jsonrpc": "2.0", "id": id, "method": .string(method), "params": .object(params)])
            }
        } onCancel: {
            Task { await self.withdraw(key) }
        }
        try Task.checkCancellation()
        return try outcome.get()
    }

    private func withdraw(_ key: String) {
        questions.removeValue(forKey: key)?.resume(returning: .failure(.internalError("cancelled")))
    }

    /// Routes the client's answer to the question it answers; an answer to nothing asked is logged and dropped.
    private func answered(_ key: String, _ message: JSONObject) {
        guard let question = questions.removeValue(forKey: key) else {
            logger.debug("ignored a response to no open request", metadata: ["id": "\(key)"])
            return
        }
        question.resume(returning: Incoming.outcome(ofResponse: message))
    }

    // MARK: - Eras

    private enum Route {
        case answer(JSONValue)
        case serve(Era, JSONObject, JSONValue?, String?)
    }

    /// What the connection's era makes of `request`: an immediate answer, or the era to serve it in.
    private func route(_ request: Request) -> Route {
        switch state {
        case .undecided, .handshake(nil, _):
            if request.method == "initialize" {
                let handshake = core.initialize(request.params)
                state = .handshake(handshake, logLevel: nil)
                return .answer(Outgoing.result(id: request.id, handshake.result))
            }
            if request.hasModernEnvelope { return .answer(Outgoing.error(id: request.id, Self.modernOnHandshake)) }
            // Before `initialize`: served in the newest handshake version, as lenient servers do.
            return .serve(.handshake(ProtocolVersion.latestHandshake), [:], nil, nil)
        case .handshake(let handshake?, let logLevel):
            if request.method == "initialize" {
                // The connection stays as the first handshake made it; the client hears that again.
                return .answer(Outgoing.result(id: request.id, handshake.result))
            }
            if request.hasModernEnvelope { return .answer(Outgoing.error(id: request.id, Self.modernOnHandshake)) }
            if request.method == "logging/setLevel" {
                guard let level = ClientLogLevel(name: request.params["level"]?.stringValue) else {
                    return .answer(Outgoing.error(id: request.id, .invalidParams("logging/setLevel needs \"level\": one of \(ClientLogLevel.names)")))
                }
                state = .handshake(handshake, logLevel: level.rawValue)
                return .answer(Outgoing.result(id: request.id, [:]))
            }
            return .serve(.handshake(handshake.version), handshake.clientCapabilities, handshake.clientInfo, logLevel)
        case .modern:
            if request.method == "initialize" {
                return .serve(.modern(ProtocolVersion.modern[0]), [:], nil, nil)  // the core answers -32022
            }
            switch request.envelope() {
            case .failure(let error):
                return .answer(Outgoing.error(id: request.id, error))
            case .success(let envelope):
                return .serve(.modern(envelope.version), envelope.clientCapabilities, envelope.clientInfo, envelope.logLevel)
            }
        }
    }

    private static let modernOnHandshake = RPCError.invalidRequest(
        "this connection began with the initialize handshake; a request with the 2026-07-28 _meta envelope needs a new connection")

    // MARK: - Batches

    /// A JSON-RPC batch (handshake era only; 2026-07-28 has none): its requests run concurrently and their answers go
    /// out together as one array, in the batch's order.
    private func receiveBatch(_ items: [JSONValue]) {
        if case .modern = state {
            output.write(Outgoing.error(id: .null, .invalidRequest("2026-07-28 has no batches; send one request per line")))
            return
        }
        guard !items.isEmpty else {
            output.write(Outgoing.error(id: .null, .invalidRequest("an empty batch")))
            return
        }
        var answers: [Int: JSONValue] = [:]
        var work: [(Int, Request, Route)] = []
        for (index, item) in items.enumerated() {
            switch Incoming.classify(item) {
            case .request(let request):
                if case .undecided = state { state = .handshake(nil, logLevel: nil) }
                work.append((index, request, route(request)))
            case .notification(let notification):
                receive(notification)
            case .response:
                break
            case .invalid(let id, let error):
                answers[index] = Outgoing.error(id: id, error)
            }
        }
        let batch = nextBatch
        nextBatch += 1
        let (core, output) = (core, output)
        batches[batch] = Task {
            var answers = answers
            await withTaskGroup(of: (Int, JSONValue?).self) { group in
                for (index, request, route) in work {
                    group.addTask {
                        switch route {
                        case .answer(let message): return (index, message)
                        case .serve(let era, let capabilities, let clientInfo, let logLevel):
                            let answer = await core.answer(
                                request, era: era, clientCapabilities: capabilities, clientInfo: clientInfo, logLevel: logLevel,
                                sink: { output.write($0) })
                            return (index, answer)
                        }
                    }
                }
                for await (index, answer) in group { answers[index] = answer }
            }
            let ordered = answers.sorted { $0.key < $1.key }.compactMap(\.value)
            if !ordered.isEmpty { output.write(.array(ordered)) }
            self.batchFinished(batch)
        }
    }

    private func batchFinished(_ batch: Int) { batches[batch] = nil }
}
