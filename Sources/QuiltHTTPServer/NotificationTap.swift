import Foundation
import Logging
import MCP
import QuiltJSON

/// Sits between ``QuiltServer/ExactJSONTransport`` and the SDK's stateless HTTP transport of one request and hands
/// the server's notifications (progress) to a sink instead of the SDK transport, which would drop them: the
/// request's Server-Sent-Events response then carries them before the result. Everything else passes through.
actor NotificationTap: MCP.Transport {
    /// The inner transport's logger.
    nonisolated let logger: Logger
    private let inner: any MCP.Transport
    private var sink: (@Sendable (Data) -> Void)?
    private var stream: AsyncThrowingStream<Data, any Error>?

    init(wrapping inner: any MCP.Transport, logger: Logger) {
        self.inner = inner
        self.logger = logger
    }

    /// Where notifications go from now on (nil: to the inner transport).
    func setSink(_ sink: (@Sendable (Data) -> Void)?) {
        self.sink = sink
    }

    /// Connects the inner transport and takes its message stream.
    func connect() async throws {
        try await inner.connect()
        stream = await inner.receive()
    }

    func disconnect() async { await inner.disconnect() }

    func send(_ data: Data) async throws {
        if let sink, Self.isNotification(data) {
            sink(data)
            return
        }
        try await inner.send(data)
    }

    /// The inner transport's messages (empty before ``connect()``).
    func receive() -> AsyncThrowingStream<Data, any Error> {
        stream ?? AsyncThrowingStream { $0.finish() }
    }

    /// A JSON-RPC message with a method and no id.
    static func isNotification(_ data: Data) -> Bool {
        guard case .object(let message)? = try? JSONParser.parse(data) else { return false }
        return message["method"] != nil && message["id"] == nil
    }
}
