package import QuiltJSON
import Synchronization

/// The tool calls in flight on one server (a session) or one replica (stateless HTTP), by key, each with its
/// ``CallCancellation`` switch. A cancellation that arrives before its call — requests and notifications travel on
/// separate HTTP requests and may overtake each other — is remembered for ``pendingTTL`` and flips the call's switch
/// when it starts. Only where ids cannot recur (one session) should that be on: a late cancellation (clients send
/// them after the answer too) would otherwise cancel the next request that happens to reuse the id.
package final class CallRegistry: Sendable {
    private struct State {
        var running: [String: CallCancellation] = [:]
        var pending: [String: ContinuousClock.Instant] = [:]
    }
    private let state = Mutex(State())
    private let onCancelledEnd: (@Sendable (String) -> Void)?
    /// How long a cancellation for a call not (yet) seen is kept; zero keeps none.
    package let pendingTTL: Duration
    /// Most such cancellations kept (the oldest go first).
    package static let pendingCapacity = 10_000

    /// - Parameters:
    ///   - pendingTTL: how long to remember a cancellation that came before its call (zero: not at all).
    ///   - onCancelledEnd: called with the key when a call that gave up because of its cancellation returns (e.g. to
    ///     end its answer stream); not for a call the cancellation reached too late to stop.
    package init(pendingTTL: Duration = .seconds(30), onCancelledEnd: (@Sendable (String) -> Void)? = nil) {
        self.pendingTTL = pendingTTL
        self.onCancelledEnd = onCancelledEnd
    }

    /// The switch for the call `key`, already flipped when its cancellation came first.
    package func begin(_ key: String) -> CallCancellation {
        let call = CallCancellation()
        let overtaken = state.withLock { s -> Bool in
            s.running[key] = call
            guard let at = s.pending.removeValue(forKey: key) else { return false }
            return ContinuousClock.now - at < pendingTTL
        }
        if overtaken { call.cancel() }
        return call
    }

    /// Forgets the call `key`; true when it gave up because of its cancellation (so it sends no answer).
    @discardableResult
    package func end(_ key: String) -> Bool {
        guard let call = state.withLock({ $0.running.removeValue(forKey: key) }) else { return false }
        let stopped = call.isStopped
        call.release()
        if stopped { onCancelledEnd?(key) }
        return stopped
    }

    /// Flips the switch of the running call `key` and returns it; when none runs, remembers the cancellation.
    @discardableResult
    package func cancel(_ key: String) -> CallCancellation? {
        let running = state.withLock { s -> CallCancellation? in
            if let r = s.running[key] { return r }
            guard pendingTTL > .zero else { return nil }
            let now = ContinuousClock.now
            s.pending = s.pending.filter { now - $0.value < pendingTTL }
            while s.pending.count >= Self.pendingCapacity, let oldest = s.pending.min(by: { $0.value < $1.value })?.key {
                s.pending.removeValue(forKey: oldest)
            }
            s.pending[key] = now
            return nil
        }
        running?.cancel()
        return running
    }

    /// The switch of the running call `key`, if any.
    package func running(_ key: String) -> CallCancellation? { state.withLock { $0.running[key] } }

    /// Forgets remembered cancellations whose key starts with `prefix` (their calls can no longer be the ones meant).
    package func forgetPending(prefix: String) {
        state.withLock { s in s.pending = s.pending.filter { !$0.key.hasPrefix(prefix) } }
    }

    /// The key of a JSON-RPC id (numbers and strings kept apart: `7` and `"7"` differ).
    package static func key(_ id: JSONValue) -> String { JSONWriter.compact(id) }
}
