import HummingbirdCore
import Logging
import NIOCore
import QuiltHTTP
import QuiltProtocol

/// Runs a connection's requests on the event loop that reads and writes its socket.
///
/// Hummingbird hands each connection to a task on Swift's global executor: every request then crosses threads
/// twice (the loop wakes a pool thread with the request; the pool thread wakes the loop with the response), and an
/// outbound call to the catalog crosses twice more. With the connection's loop as the task's preferred executor
/// (``QuiltHTTP/EventLoopExecutor``) the request, its tool call and the live transport's request to the catalog stay
/// on one thread: the transport keeps idle connections per loop and uses the calling loop's.
///
/// Work that computes for long must not hold the loop (every connection on it waits): tool calls that may
/// (`ToolCatalog.mayComputeLong`) run on the global executor.
struct EventLoopBoundHTTP1: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let inner: HTTP1Channel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await PreferredExecutor.run(on: EventLoopExecutor(value.channel.eventLoop)) {
            await inner.handle(value: value, logger: logger)
        }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with each connection's requests run on its own event loop (``EventLoopBoundHTTP1``).
    static func http1OnEventLoop(configuration: HTTP1Channel.Configuration) -> HTTPServerBuilder {
        .init { responder in EventLoopBoundHTTP1(inner: HTTP1Channel(responder: responder, configuration: configuration)) }
    }
}
