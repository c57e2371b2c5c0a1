import Foundation
import MCP
import QuiltServer
import Synchronization

/// Cancellation without sessions: the stateless requests in flight on this replica, by caller and JSON-RPC id, so a
/// `notifications/cancelled` POSTed by the same caller cancels the tool call of the request it names.
///
/// Each request's server context carries its ``QuiltServer/CallCancellation`` switch from a
/// ``QuiltServer/CallRegistry``, taken before the request reaches its server, so a cancellation that overtakes the
/// call — or the request itself — still stops it. Once the cancelled call has unwound, the request's server is
/// stopped, which ends the transport's wait for the answer a cancelled call never sends. Best effort by design: a
/// cancellation that lands on another replica has no effect, as MCP allows. Callers are told apart by their
/// credentials' cache key (tenant or token digest); without auth every caller is one caller.
final class StatelessCancellation: Sendable {
    private let calls = CallRegistry()
    private let servers = Mutex<[String: MCP.Server]>([:])

    static func key(caller: String?, request: String) -> String { (caller ?? "anonymous") + "\u{0}" + request }

    /// The switch for the request `key`, before its server exists (already flipped if its cancellation came first).
    func begin(_ key: String) -> CallCancellation { calls.begin(key) }

    /// Records the server answering `key`; stops it at once when the request was cancelled before it arrived.
    func attach(_ key: String, server: MCP.Server, call: CallCancellation) {
        servers.withLock { $0[key] = server }
        if call.isCancelled { Task { await Self.stop(call, server) } }
    }

    /// Forgets a request that was answered; true when it was cancelled.
    func end(_ key: String) -> Bool {
        servers.withLock { _ = $0.removeValue(forKey: key) }
        return calls.end(key)
    }

    /// Cancels the request `key` if it runs here, else remembers the cancellation for a request still to come.
    func cancel(_ key: String) async {
        guard let call = calls.cancel(key), let server = servers.withLock({ $0[key] }) else { return }
        await Self.stop(call, server)
    }

    private static func stop(_ call: CallCancellation, _ server: MCP.Server) async {
        await call.waitUntilFinished(timeout: .seconds(10))
        await server.stop()
    }
}
