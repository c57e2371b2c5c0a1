package import QuiltContract
import Synchronization

/// Sends requests through another transport (normally the live one) and keeps every exchange, in completion
/// order, for `FixtureStore.write`. Streamed responses are read whole before they are handed on, so the recording
/// has complete bodies. Transport failures are passed on and not recorded (replay cannot reproduce them).
package final class RecordingTransport: HTTPTransport {
    private let inner: any HTTPTransport
    private let recorded = Mutex<[FixtureExchange]>([])

    package init(_ inner: any HTTPTransport) { self.inner = inner }

    /// What was recorded so far (not scrubbed).
    package var exchanges: [FixtureExchange] { recorded.withLock { $0 } }

    package func send(_ request: QuiltHTTPRequest) async throws(QuiltOpsError) -> QuiltHTTPResponse {
        let response = try await inner.send(request)
        recorded.withLock {
            $0.append(
                FixtureExchange(
                    seq: $0.count, operation: request.operation, request: FixtureRequest(request),
                    response: FixtureResponse(response)))
        }
        return response
    }

    package func stream(_ request: QuiltHTTPRequest) async throws(QuiltOpsError) -> QuiltHTTPStreamingResponse {
        let response = try await send(request)
        return QuiltHTTPStreamingResponse(status: response.status, headers: response.headers, body: BufferedBodyStream(response.body))
    }
}
