import Synchronization

/// A one-shot signal that the transport is closing (standard input ended, or the HTTP server is shutting down):
/// requests that would otherwise wait forever, such as `subscriptions/listen`, end gracefully on it.
package final class Closing: Sendable {
    private struct State {
        var fired = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var next = 0
    }

    private let state = Mutex(State())

    /// A signal not yet fired.
    package init() {}

    /// The signal for the whole process's HTTP server.
    package static let httpServer = Closing()

    /// Whether the signal has fired.
    package var isClosing: Bool { state.withLock { $0.fired } }

    /// Fires the signal: every waiter returns, and later waits return at once.
    package func fire() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.fired else { return [] }
            state.fired = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns when the signal fires, or when the calling task is cancelled (check `Task.isCancelled` after).
    package func wait() async {
        let id = state.withLock { state -> Int in
            state.next += 1
            return state.next
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.fired || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
