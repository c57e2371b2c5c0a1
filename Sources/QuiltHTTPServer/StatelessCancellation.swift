import QuiltServer
import Synchronization

/// Cancellation without sessions: the stateless requests in flight on this replica, by caller and JSON-RPC id, so a
/// `notifications/cancelled` POSTed by the same caller cancels the tool call of the request it names.
///
/// Each request's server context carries its ``QuiltServer/CallCancellation`` switch from a
/// ``QuiltServer/CallRegistry``, taken before the request reaches its server, so a cancellation that arrives before
/// the call starts still stops it. A call that gives up sends no answer (the endpoint answers -32800 or ends
/// its event stream); a call the cancellation reached too late is answered.
///
/// A cancellation can also overtake its request while that request's body is still arriving (a large
/// `package_create`); it is then kept — but only while the same caller has requests here whose id is not known yet,
/// and dropped once they all are. A cancellation with nothing of the caller's arriving is not kept: stateless
/// clients start new sessions whose ids restart, and clients also cancel after the answer (the Python SDK's courtesy
/// cancel), so keeping it could cancel an unrelated later request that reuses the id. Best effort by design: on
/// another replica a cancellation has no effect, as MCP allows. Callers are told apart by their credentials' cache
/// key (tenant or token digest); without auth every caller is one caller.
final class StatelessCancellation: Sendable {
    private let calls = CallRegistry(pendingTTL: .seconds(60))
    /// Requests per caller whose body has not been read yet.
    private let arriving = Mutex<[String: Int]>([:])

    static func key(caller: String?, request: String) -> String { prefix(caller) + request }
    static func prefix(_ caller: String?) -> String { (caller ?? "anonymous") + "\u{0}" }

    /// A request of `caller` started arriving; balance with ``identified(caller:)``.
    func arriving(caller: String?) { arriving.withLock { $0[Self.prefix(caller), default: 0] += 1 } }

    /// The request's id is known (and, for a call, registered with ``begin(_:)``) or it has none.
    func identified(caller: String?) {
        let prefix = Self.prefix(caller)
        let none = arriving.withLock { a -> Bool in
            let left = (a[prefix] ?? 1) - 1
            a[prefix] = left > 0 ? left : nil
            return left <= 0
        }
        if none { calls.forgetPending(prefix: prefix) }
    }

    /// The switch for the request `key`, before its server exists (already flipped if its cancellation came first).
    func begin(_ key: String) -> CallCancellation { calls.begin(key) }

    /// Forgets a request that was answered; true when its call gave up because of a cancellation (no answer).
    func end(_ key: String) -> Bool { calls.end(key) }

    /// Cancels the request `key` of `caller` if it runs here; keeps the cancellation while requests of the caller
    /// are still arriving; otherwise nothing.
    func cancel(_ key: String, caller: String?) {
        let waiting = arriving.withLock { ($0[Self.prefix(caller)] ?? 0) > 0 }
        if !waiting, calls.running(key) == nil { return }
        calls.cancel(key)
    }
}
