import HummingbirdCore
import Logging
package import NIOCore
import QuiltProtocol

/// Runs a connection's requests on the event loop that reads and writes its socket.
///
/// Hummingbird hands each connection to a task on Swift's global executor: every request then crosses threads
/// twice (the loop wakes a pool thread with the request; the pool thread wakes the loop with the response), and an
/// outbound call to the catalog crosses twice more. With the connection's loop as the task's preferred executor the
/// request, its tool call and AsyncHTTPClient's request to the catalog stay on one thread: AsyncHTTPClient asks
/// `EventLoopGroup.any()`, which answers the calling loop, so the pool leases (or opens) a connection there.
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

/// A task executor that runs jobs on one NIO event loop.
package final class EventLoopExecutor: TaskExecutor {
    package let loop: any EventLoop

    package init(_ loop: any EventLoop) { self.loop = loop }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
