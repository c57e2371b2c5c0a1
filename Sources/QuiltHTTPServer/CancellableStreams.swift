import Foundation
import MCP
import QuiltJSON
import QuiltServer
import Synchronization

/// The Server-Sent-Events answer streams of one session's in-flight requests, by JSON-RPC id, so that a call that
/// gives up because of `notifications/cancelled` can end its stream. The SDK sends no response for a cancelled
/// request (as MCP asks) and its stateful transport would otherwise keep that stream open until the client gives up.
final class CancellableStreams: Sendable {
    private let closers = Mutex<[String: @Sendable () -> Void]>([:])
    /// Closes asked for before the stream opened (a call that gave up before its answer stream was wrapped), briefly.
    private let early = Mutex<[String: ContinuousClock.Instant]>([:])

    /// `stream`, forwarded through a stream that ``close(_:)`` can end. Ending either side ends the other.
    func wrap(_ stream: AsyncThrowingStream<Data, any Error>, key: String) -> AsyncThrowingStream<Data, any Error> {
        let (out, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        let forwarder = Mutex<Task<Void, Never>?>(nil)
        closers.withLock { closers in
            closers[key] = {
                forwarder.withLock { $0?.cancel() }
                continuation.finish()
            }
        }
        let task = Task { [self] in
            do {
                for try await chunk in stream { continuation.yield(chunk) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
            _ = self.closers.withLock { $0.removeValue(forKey: key) }
        }
        forwarder.withLock { $0 = task }
        continuation.onTermination = { _ in task.cancel() }
        if let at = early.withLock({ $0.removeValue(forKey: key) }), ContinuousClock.now - at < .seconds(5) { close(key) }
        return out
    }

    /// Ends the stream of the request `key` (no-op when it already ended).
    func close(_ key: String) {
        if let closer = closers.withLock({ $0.removeValue(forKey: key) }) {
            closer()
            return
        }
        let now = ContinuousClock.now
        early.withLock { e in
            e = e.filter { now - $0.value < .seconds(5) }
            e[key] = now
        }
    }

    /// How many request streams are open.
    var count: Int { closers.withLock { $0.count } }

    /// What a POST body asks of the stream table: a request opening a stream, or a cancellation ending one.
    enum Intent {
        case request(key: String)
        case cancel(key: String)
        case other
    }

    static func intent(of body: Data?) -> Intent {
        guard let body, case .object(let message)? = try? JSONParser.parse(body), let method = message["method"]?.stringValue else {
            return .other
        }
        if method == "notifications/cancelled", let id = message["params"]?["requestId"] { return .cancel(key: CallRegistry.key(id)) }
        if let id = message["id"] { return .request(key: CallRegistry.key(id)) }
        return .other
    }
}
