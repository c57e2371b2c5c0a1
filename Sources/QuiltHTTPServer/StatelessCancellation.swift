import Foundation
import MCP
import Synchronization

/// Cancellation without sessions: the stateless requests in flight on this replica, by caller and JSON-RPC id, so a
/// `notifications/cancelled` POSTed by the same caller reaches the server answering the request it names.
///
/// Best effort by design: a cancellation that lands on another replica (or after the answer) finds nothing and is
/// accepted with no effect, as MCP allows. Callers are told apart by their credentials' cache key (tenant or token
/// digest); without auth every caller is one caller.
final class StatelessCancellation: Sendable {
    struct Running: Sendable {
        let transport: StatelessHTTPServerTransport
        let server: MCP.Server
    }

    private struct Entry {
        let running: Running
        var cancelled = false
    }

    private let entries = Mutex<[String: Entry]>([:])

    static func key(caller: String?, request: String) -> String { (caller ?? "anonymous") + "\u{0}" + request }

    /// Records a request about to run.
    func begin(_ key: String, _ running: Running) { entries.withLock { $0[key] = Entry(running: running) } }

    /// Forgets a request that finished; true when it was cancelled.
    func end(_ key: String) -> Bool { entries.withLock { $0.removeValue(forKey: key)?.cancelled ?? false } }

    /// Delivers `notification` to the running request `key`, then stops its server so the request's wait ends.
    /// - Returns: false when no such request runs here.
    func cancel(_ key: String, notification: MCP.HTTPRequest) async -> Bool {
        let running = entries.withLock { entries -> Running? in
            guard var entry = entries[key], !entry.cancelled else { return nil }
            entry.cancelled = true
            entries[key] = entry
            return entry.running
        }
        guard let running else { return false }
        _ = await running.transport.handleRequest(notification)
        // The handler sees the cancellation and sends no response; give it a moment to unwind, then stop the server,
        // which ends the transport's wait for that response.
        try? await Task.sleep(for: .milliseconds(50))
        await running.server.stop()
        return true
    }
}
