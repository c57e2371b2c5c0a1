import Foundation
import MCP
import QuiltJSON
import QuiltServer
import Synchronization

/// The Server-Sent-Events answer streams of one session's in-flight requests, by JSON-RPC id. Two things the SDK's
/// stateful transport does not do go through here:
///
/// - **Progress on the call's own stream.** The SDK sends every notification on the session's GET stream, which a
///   client may open only after its first call has started (the official Python client opens it asynchronously
///   after `initialize`): progress sent before it opens was stored for replay and never seen. MCP prefers a
///   request's notifications on that request's stream, so a `notifications/progress` whose token a request in
///   flight named is written onto that request's stream instead — buffered until the stream is wrapped, always
///   before the result (the tool layer sends its last notification before it answers).
/// - **Ending a cancelled call's stream.** The SDK sends no response for a cancelled request (as MCP asks) and
///   would otherwise keep its stream open until the client gives up; ``close(_:)`` ends it.
final class RequestStreams: Sendable {
    private struct State {
        /// The wrapped streams' ends, by request key, each with the number of the wrap that made it.
        var live: [String: (wrap: Int, continuation: AsyncThrowingStream<Data, any Error>.Continuation)] = [:]
        var wraps = 0
        /// Progress for requests whose stream is not wrapped yet, by request key (present = expected).
        var buffered: [String: [Data]] = [:]
        /// Request key by progress-token key, and the reverse.
        var requestOfToken: [String: String] = [:]
        var tokenOfRequest: [String: String] = [:]
        /// Closes asked for before the stream opened (a call that gave up before its answer stream was wrapped).
        var early: [String: ContinuousClock.Instant] = [:]

        mutating func forget(_ key: String) {
            live.removeValue(forKey: key)
            buffered.removeValue(forKey: key)
            if let token = tokenOfRequest.removeValue(forKey: key) { requestOfToken.removeValue(forKey: token) }
        }
    }

    private let state = Mutex(State())

    /// Records that request `key` is about to reach the server with progress token `token` (its compact JSON), so
    /// that its progress goes to its own stream. Call before the request is handed to the transport.
    func expect(_ key: String, progressToken token: String) {
        state.withLock { s in
            s.forget(key)
            s.buffered[key] = []
            s.requestOfToken[token] = key
            s.tokenOfRequest[key] = token
        }
    }

    /// Forgets request `key` (its request was refused before it reached the server: no stream will be wrapped).
    func forget(_ key: String) {
        state.withLock { $0.forget(key) }
    }

    /// `stream`, forwarded through a stream that ``close(_:)`` can end and ``deliver(_:)`` can add progress to.
    /// Ending either side ends the other.
    func wrap(_ stream: AsyncThrowingStream<Data, any Error>, key: String) -> AsyncThrowingStream<Data, any Error> {
        let (out, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        let (wrap, closeEarly) = state.withLock { s -> (Int, Bool) in
            for message in s.buffered.removeValue(forKey: key) ?? [] { continuation.yield(Self.event(message)) }
            s.wraps += 1
            s.live[key] = (s.wraps, continuation)
            guard let at = s.early.removeValue(forKey: key) else { return (s.wraps, false) }
            return (s.wraps, ContinuousClock.now - at < .seconds(5))
        }
        let task = Task { [self] in
            do {
                for try await chunk in stream { continuation.yield(chunk) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
            // Forget the request only if its key was not taken by a later request meanwhile.
            self.state.withLock { s in if s.live[key]?.wrap == wrap { s.forget(key) } }
        }
        continuation.onTermination = { _ in task.cancel() }
        if closeEarly { close(key) }
        return out
    }

    /// Writes `notification` onto the stream of the request its progress token belongs to; false when it is not a
    /// progress notification of a request in flight here (the caller then sends it the SDK's way).
    func deliver(_ notification: Data) -> Bool {
        guard case .object(let message)? = try? JSONParser.parse(notification),
            message["method"]?.stringValue == ProgressNotification.name, message["id"] == nil,
            let token = message["params"]?["progressToken"]
        else { return false }
        let tokenKey = JSONWriter.compact(token)
        return state.withLock { s in
            guard let key = s.requestOfToken[tokenKey] else { return false }
            if let continuation = s.live[key]?.continuation {
                continuation.yield(Self.event(notification))
            } else {
                s.buffered[key, default: []].append(notification)
            }
            return true
        }
    }

    /// Ends the stream of the request `key` (no-op when it already ended).
    func close(_ key: String) {
        let continuation = state.withLock { s -> AsyncThrowingStream<Data, any Error>.Continuation? in
            if let continuation = s.live[key]?.continuation {
                s.forget(key)
                return continuation
            }
            let now = ContinuousClock.now
            s.early = s.early.filter { now - $0.value < .seconds(5) }
            s.early[key] = now
            return nil
        }
        continuation?.finish()
    }

    /// How many request streams are open.
    var count: Int { state.withLock { $0.live.count } }

    /// One JSON-RPC message as a Server-Sent Event.
    private static func event(_ message: Data) -> Data {
        Data("event: message\ndata: ".utf8) + message + Data("\n\n".utf8)
    }

    // MARK: - What a POST asks for

    /// What a POST body asks of the stream table: a request opening a stream (with its progress token, when it
    /// names one), or a cancellation ending one.
    enum Intent {
        case request(key: String, progressToken: String?)
        case cancel(key: String)
        case other
    }

    static func intent(of body: Data?) -> Intent {
        guard let body, case .object(let message)? = try? JSONParser.parse(body), let method = message["method"]?.stringValue else {
            return .other
        }
        if method == "notifications/cancelled", let id = message["params"]?["requestId"] { return .cancel(key: CallRegistry.key(id)) }
        if let id = message["id"] {
            let token = message["params"]?["_meta"]?["progressToken"].map { JSONWriter.compact($0) }
            return .request(key: CallRegistry.key(id), progressToken: token)
        }
        return .other
    }
}
