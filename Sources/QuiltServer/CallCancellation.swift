import Synchronization

/// A switch that cancels the one tool call a stateless HTTP request runs — whether it is flipped before the call
/// starts or while it runs — so an endpoint can honour `notifications/cancelled` that arrives on another request.
///
/// The tool layer checks cancellation cooperatively: a call past its commit point (a push that moved `latest`)
/// finishes its write, and the cancelled call still sends no answer.
public final class CallCancellation: Sendable {
    private struct State {
        var cancelled = false
        var cancelRunning: (@Sendable () -> Void)?
        var finished = false
    }
    private let state = Mutex(State())

    public init() {}

    /// Cancels the call now, or as soon as it starts.
    public func cancel() {
        let running = state.withLock { s -> (@Sendable () -> Void)? in
            s.cancelled = true
            return s.cancelRunning
        }
        running?()
    }

    /// Whether ``cancel()`` was called.
    public var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Whether a call ran under this switch and has returned.
    public var isFinished: Bool { state.withLock { $0.finished } }

    /// Waits until the call has returned, or `timeout` passes (checked every 10 ms).
    public func waitUntilFinished(timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while !isFinished, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Runs `body` in a task this switch (and the caller's own cancellation) can cancel.
    func run<T: Sendable>(_ body: @escaping @Sendable () async -> T) async -> T {
        let task = Task { await body() }
        let already = state.withLock { s -> Bool in
            s.cancelRunning = { task.cancel() }
            return s.cancelled
        }
        if already { task.cancel() }
        let value = await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
        state.withLock { $0.finished = true }
        return value
    }
}
