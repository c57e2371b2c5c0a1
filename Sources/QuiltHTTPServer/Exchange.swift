import QuiltJSON
import QuiltProtocol
import Synchronization

/// One HTTP request's run through the protocol core: what it sends before its answer, then the answer, in order,
/// for one reader. The request runs in a task of its own from the start, so the endpoint can decide between a JSON
/// answer and an event stream by what comes first; ``cancel()`` stops it (the client went away).
actor Exchange {
    /// What the request produces.
    enum Event: Sendable {
        /// A notification on the request's stream (progress).
        case notification(JSONValue)
        /// The response; nil when the request was cancelled and must not be answered.
        case answer(JSONValue?)
    }

    private var buffer: [Event] = []
    private var waiter: CheckedContinuation<Event?, Never>?
    private var answered = false
    private nonisolated let runner = Mutex<Task<Void, Never>?>(nil)

    private init() {}

    /// Starts `request` on `core` in `era`.
    static func start(
        core: MCPServerCore, request: Request, era: Era, capabilities: JSONObject, clientInfo: JSONValue?, logLevel: String?
    ) -> Exchange {
        let exchange = Exchange()
        let task = PreferredExecutor.task {
            let answer = await core.answer(
                request, era: era, clientCapabilities: capabilities, clientInfo: clientInfo, logLevel: logLevel,
                sink: { await exchange.deliver(.notification($0)) }, closing: .httpServer)
            await exchange.deliver(.answer(answer))
        }
        exchange.runner.withLock { $0 = task }
        return exchange
    }

    /// The next event; nil once the answer has been read.
    func next() async -> Event? {
        if !buffer.isEmpty { return buffer.removeFirst() }
        if answered { return nil }
        return await withCheckedContinuation { waiter = $0 }
    }

    /// Skips the notifications and returns the answer.
    func answer() async -> JSONValue? {
        while let event = await next() {
            if case .answer(let answer) = event { return answer }
        }
        return nil
    }

    /// Cancels the request; it then answers nothing (or, past its commit point, answers as usual).
    nonisolated func cancel() { runner.withLock { $0 }?.cancel() }

    private func deliver(_ event: Event) {
        if case .answer = event { answered = true }
        if let waiter {
            self.waiter = nil
            waiter.resume(returning: event)
        } else {
            buffer.append(event)
        }
    }
}
