import NIOCore
import NIOHTTP1
import QuiltContract

/// One HTTP/1.1 connection of a ``LoopHTTP1Pool``, as the last handler of its channel's pipeline: it writes a
/// request's head, body and end in one flush and gathers the whole response. Every method runs on the channel's
/// event loop; one request at a time.
final class LoopHTTP1Connection: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    /// A whole response, and whether the connection can carry another request.
    struct Collected {
        var head: HTTPResponseHead
        var body: ByteBuffer
        var reusable: Bool
    }

    /// Why a request on this connection failed (besides the TLS and socket errors passed on as they are).
    enum Failure: Error, CustomStringConvertible {
        /// The connection closed before any of the response arrived: on a pooled connection, most often the server
        /// closing it as idle just as the request went out.
        case closedBeforeResponse
        /// The connection closed with the response incomplete.
        case closedMidResponse
        /// The head did not arrive before the request's deadline.
        case deadlineExceeded
        /// Nothing arrived for the read timeout.
        case readTimeout
        /// The body is over the limit; the declared length when the head gave one.
        case tooLarge(Int?)

        var description: String {
            switch self {
            case .closedBeforeResponse: "the connection was closed before a response arrived"
            case .closedMidResponse: "the connection was closed before the whole response arrived"
            case .deadlineExceeded: "deadline exceeded before the response head arrived"
            case .readTimeout: "read timeout: nothing arrived for too long"
            case .tooLarge: "the response is too large"
            }
        }
    }

    private struct Exchange {
        var promise: EventLoopPromise<Collected>
        var limit: Int
        var isHead: Bool
        var keepAlive: Bool
        var deadline: Scheduled<Void>?
        var head: HTTPResponseHead?
        var body: ByteBuffer?
    }

    let loop: any EventLoop
    private var context: ChannelHandlerContext?
    private var exchange: Exchange?
    /// Why the connection closed (a TLS failure during the handshake), for a request made on it afterwards.
    private var closedBy: (any Error)?
    private(set) var isOpen = true

    init(loop: any EventLoop) { self.loop = loop }

    // MARK: - Requests

    /// Sends a request and collects its response; the head must arrive by `deadline`, and a body over `limit` bytes
    /// is refused (by its declared length, or as it arrives).
    func execute(_ head: HTTPRequestHead, body: ByteBuffer?, limit: Int, deadline: NIODeadline) -> EventLoopFuture<Collected> {
        guard let context, isOpen, exchange == nil else {
            return loop.makeFailedFuture(closedBy ?? Failure.closedBeforeResponse)
        }
        let promise = context.eventLoop.makePromise(of: Collected.self)
        let keepAlive = head.headers[canonicalForm: "connection"].allSatisfy { $0.lowercased() != "close" }
        exchange = Exchange(promise: promise, limit: limit, isHead: head.method == .HEAD, keepAlive: keepAlive)
        let bound = NIOLoopBound(self, eventLoop: loop)  // the task runs on this loop; it is cancelled with the exchange
        exchange?.deadline = loop.scheduleTask(deadline: deadline) {
            guard bound.value.exchange?.head == nil else { return }
            bound.value.fail(Failure.deadlineExceeded)
        }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        return promise.futureResult
    }

    /// Ends the request in flight (its caller was cancelled) and the connection with it.
    func cancel(_ error: any Error) { fail(error) }

    /// Closes an idle connection.
    func close() {
        isOpen = false
        context?.close(promise: nil)
    }

    // MARK: - Pipeline events

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard var current = exchange else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):  // informational (1xx) heads are dropped by NIO's decoder
            current.deadline?.cancel()
            if !current.isHead, let declared = head.headers.first(name: "content-length").flatMap(Int.init), declared > current.limit {
                fail(Failure.tooLarge(declared))
                return
            }
            exchange?.deadline = nil
            exchange?.head = head
        case .body(var part):
            exchange = nil  // keeps the body buffer uniquely referenced, so appending does not copy it
            if current.body == nil {
                current.body = part
            } else {
                current.body?.writeBuffer(&part)
            }
            exchange = current
            if (current.body?.readableBytes ?? 0) > current.limit { fail(Failure.tooLarge(nil)) }
        case .end:
            exchange = nil
            guard let head = current.head else {
                current.promise.fail(Failure.closedMidResponse)
                close()
                return
            }
            let reusable = current.keepAlive && head.isKeepAlive && isOpen
            current.promise.succeed(Collected(head: head, body: current.body ?? ByteBuffer(), reusable: reusable))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        isOpen = false
        fail(exchange?.head == nil ? Failure.closedBeforeResponse : Failure.closedMidResponse)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        closedBy = closedBy ?? error
        fail(error)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The idle handler's timer: silence for the read timeout, during a request or while pooled.
        if event is IdleStateHandler.IdleStateEvent {
            if exchange != nil { fail(Failure.readTimeout) } else { close() }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Fails the request in flight, if any, and closes the connection: after a failure its state is unknown.
    private func fail(_ error: any Error) {
        let failed = exchange
        exchange = nil
        failed?.deadline?.cancel()
        close()
        failed?.promise.fail(error)
    }
}
