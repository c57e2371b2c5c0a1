import QuiltProtocol
import Synchronization

/// A switch that cancels the one tool call a stateless HTTP request runs — whether it is flipped before the call
/// starts or while it runs — so an endpoint can honour `notifications/cancelled` that arrives on another request.
///
/// The tool layer checks cancellation cooperatively. A call that gives up marks the switch stopped
/// (``markStopped()``) and sends no answer; a call already past its commit point (a push that moved `latest`)
/// finishes its write and is answered as usual — the cancellation came too late, which MCP allows, and the client
/// ignores the answer. So "stopped" — not "cancelled" — is what tells an endpoint there will be no answer.
package final class CallCancellation: Sendable {
    private struct State {
        var cancelled = false
        var cancelRunning: (@Sendable () -> Void)?
        var finished = false
        var stopped = false
        var whenStopped: [@Sendable () -> Void] = []
    }
    private let state = Mutex(State())

    package init() {}

    /// Cancels the call now, or as soon as it starts.
    package func cancel() {
        let running = state.withLock { s -> (@Sendable () -> Void)? in
            s.cancelled = true
            return s.cancelRunning
        }
        running?()
    }

    /// Whether ``cancel()`` was called.
    package var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Whether a call ran under this switch and has returned.
    package var isFinished: Bool { state.withLock { $0.finished } }

    /// Whether the call gave up because of the cancellation, so it sends no answer.
    package var isStopped: Bool { state.withLock { $0.stopped } }

    /// Records that the call gave up because of the cancellation and runs the ``whenStopped(_:)`` actions, once.
    package func markStopped() {
        let actions = state.withLock { s -> [@Sendable () -> Void] in
            guard !s.stopped else { return [] }
            s.stopped = true
            defer { s.whenStopped = [] }
            return s.whenStopped
        }
        for action in actions { action() }
    }

    /// Drops the actions and the running task this switch holds, once its call has ended (``CallRegistry/end(_:)``):
    /// they capture the call's server, which holds this switch, so keeping them would keep every ended call's
    /// server alive (a stateless replica grew ~16 KB per request).
    func release() {
        state.withLock { s in
            s.whenStopped = []
            s.cancelRunning = nil
        }
    }

    /// Runs `action` when the call gives up because of the cancellation — at once if it already has.
    package func whenStopped(_ action: @escaping @Sendable () -> Void) {
        let now = state.withLock { s -> Bool in
            if s.stopped { return true }
            s.whenStopped.append(action)
            return false
        }
        if now { action() }
    }

    /// Runs `body` in a task this switch (and the caller's own cancellation) can cancel.
    func run<T: Sendable>(_ body: @escaping @Sendable () async -> T) async -> T {
        // A switch flipped before the call starts must reach the body before its first step: the task cancels
        // itself when it starts (on a loaded machine it can otherwise run a short write to the end before
        // `task.cancel()` below is reached).
        let task = PreferredExecutor.task { [self] in
            if isCancelled { withUnsafeCurrentTask { $0?.cancel() } }
            return await body()
        }
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
