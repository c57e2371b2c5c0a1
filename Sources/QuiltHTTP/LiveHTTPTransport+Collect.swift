import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import QuiltContract
import Synchronization

// MARK: - Whole responses

extension LiveHTTPTransport {
    /// Sends `request` and reads its whole response, with AsyncHTTPClient's delegate API: its async API costs each
    /// request a task of its own on the global executor (a wake-up of another thread) and an async body stream.
    ///
    /// As with the async API the deadline bounds the wait for the response head; the body is bounded by the read
    /// timeout and `maxResponseBytes`.
    static func collect(
        _ request: QuiltHTTPRequest, client: HTTPClient, deadline: NIODeadline
    ) async throws -> QuiltHTTPResponse {
        let clientRequest = try HTTPClient.Request(
            url: request.url, method: HTTPMethod(rawValue: request.method), headers: HTTPHeaders(request.headers.map { ($0.name, $0.value) }),
            body: sendsBody(request) ? .bytes(request.body) : nil)
        let delegate = CollectingDelegate(limit: request.maxResponseBytes, isHead: request.method == "HEAD")
        let task = client.execute(request: clientRequest, delegate: delegate)
        let headDeadline = task.eventLoop.scheduleTask(deadline: deadline) {
            if delegate.passDeadline() { task.cancel() }
        }
        defer { headDeadline.cancel() }
        do {
            let collected = try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
            return QuiltHTTPResponse(
                status: Int(collected.head.status.code), headers: fields(collected.head.headers),
                body: collected.body.getBytes(at: collected.body.readerIndex, length: collected.body.readableBytes) ?? [])
        } catch CollectingDelegate.Failure.tooLarge(let declared) {
            throw request.responseTooLarge(declared)
        } catch where delegate.deadlinePassed {
            throw HTTPClientError.deadlineExceeded
        }
    }
}

/// Gathers a response's head and body, refusing a body over `limit` bytes (by its declared length, before reading it,
/// or as it arrives).
final class CollectingDelegate: HTTPClientResponseDelegate {
    struct Collected: Sendable {
        var head: HTTPResponseHead
        var body: ByteBuffer
    }

    enum Failure: Error {
        /// The body is over the limit; the declared length when the head gave one.
        case tooLarge(Int?)
        /// The request ended without a head.
        case noHead
    }

    private struct State {
        var head: HTTPResponseHead?
        var body: ByteBuffer?
        var deadlinePassed = false
    }

    private let state = Mutex(State())
    private let limit: Int
    private let isHead: Bool

    init(limit: Int, isHead: Bool) {
        self.limit = limit
        self.isHead = isHead
    }

    /// Marks the head deadline passed unless the head came first; true when it did not (the request is then cancelled).
    func passDeadline() -> Bool {
        state.withLock { s in
            guard s.head == nil else { return false }
            s.deadlinePassed = true
            return true
        }
    }

    /// Whether the deadline passed before the head arrived.
    var deadlinePassed: Bool { state.withLock { $0.deadlinePassed } }

    func didReceiveHead(task: HTTPClient.Task<Collected>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        if !isHead, let declared = head.headers.first(name: "content-length").flatMap(Int.init), declared > limit {
            return task.eventLoop.makeFailedFuture(Failure.tooLarge(declared))
        }
        state.withLock { $0.head = head }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Collected>, _ part: ByteBuffer) -> EventLoopFuture<Void> {
        let fits = state.withLock { s -> Bool in
            guard var body = s.body else {
                s.body = part
                return part.readableBytes <= limit
            }
            s.body = nil  // keeps the buffer uniquely referenced, so appending does not copy it
            guard body.readableBytes + part.readableBytes <= limit else { return false }
            var part = part
            body.writeBuffer(&part)
            s.body = body
            return true
        }
        return fits ? task.eventLoop.makeSucceededVoidFuture() : task.eventLoop.makeFailedFuture(Failure.tooLarge(nil))
    }

    func didFinishRequest(task: HTTPClient.Task<Collected>) throws -> Collected {
        let (head, body) = state.withLock { ($0.head, $0.body) }
        guard let head else { throw Failure.noHead }
        return Collected(head: head, body: body ?? ByteBuffer())
    }
}
