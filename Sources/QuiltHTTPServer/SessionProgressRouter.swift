import Foundation
import Logging
import MCP

/// Sits between ``QuiltServer/ExactJSONTransport`` and a session's `StatefulHTTPServerTransport`: a progress
/// notification for a request in flight goes onto that request's own event stream (``RequestStreams/deliver(_:)``)
/// rather than the session's GET stream, where the SDK would put it. Everything else passes through.
actor SessionProgressRouter: MCP.Transport {
    /// The inner transport's logger.
    nonisolated let logger: Logger
    private let inner: StatefulHTTPServerTransport
    private let streams: RequestStreams
    private var stream: AsyncThrowingStream<Data, any Error>?

    init(wrapping inner: StatefulHTTPServerTransport, streams: RequestStreams, logger: Logger) {
        self.inner = inner
        self.streams = streams
        self.logger = logger
    }

    /// Connects the inner transport and takes its message stream.
    func connect() async throws {
        try await inner.connect()
        stream = await inner.receive()
    }

    func disconnect() async { await inner.disconnect() }

    func send(_ data: Data) async throws {
        if streams.deliver(data) { return }
        try await inner.send(data)
    }

    /// The inner transport's messages (empty before ``connect()``).
    func receive() -> AsyncThrowingStream<Data, any Error> {
        stream ?? AsyncThrowingStream { $0.finish() }
    }
}

extension SessionProgressRouter: HTTPContextProviding {
    /// The originating HTTP request of request `id`, from the session's transport.
    func httpRequestContext(for id: ID) async -> MCP.HTTPRequest? {
        await inner.httpRequestContext(for: id)
    }
}
