package import QuiltContract

/// One header field; order and repeated names are kept.
package struct HTTPField: Sendable, Hashable {
    package var name: String
    package var value: String
    package init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A request as every remote client builds it (named `Quilt…` because MCP and Hummingbird both define `HTTPRequest`).
package struct QuiltHTTPRequest: Sendable, Hashable {
    package var method: String
    /// Absolute URL, already percent-encoded.
    package var url: String
    package var headers: [HTTPField]
    package var body: [UInt8]
    /// What the request does, for fixtures and error messages (`PutObject`, `GetCredentials`); not sent.
    package var operation: String?
    /// How long the response's head may take to arrive before the request fails as retryable (the body is then
    /// bounded by the transport's read timeout); nil uses the transport's default.
    package var timeout: Duration?
    /// The largest response body `send` (or a streamed response's `collect`) holds in memory; a larger one is
    /// `tooLarge`, refused from its `Content-Length` before any of it is read when the server sends one.
    package var maxResponseBytes: Int
    package init(
        method: String, url: String, headers: [HTTPField] = [], body: [UInt8] = [], operation: String? = nil,
        timeout: Duration? = nil, maxResponseBytes: Int = QuiltHTTPRequest.defaultMaxResponseBytes
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.operation = operation
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }

    /// The default bound on a response held whole: 64 MiB, the default of `max_object_bytes`.
    package static let defaultMaxResponseBytes = 64 << 20
    /// The setting that bounds responses held whole, named in `tooLarge` errors.
    package static let maxResponseBytesSetting = "max_object_bytes (QUILT_MCP_MAX_OBJECT_BYTES)"

    /// The error for a response body larger than ``maxResponseBytes``.
    package func responseTooLarge(_ size: Int?) -> QuiltOpsError {
        let subject = operation.map { "the response to \($0)" } ?? "the response from \(url.prefix(120))"
        return .tooLarge(
            what: subject + (size.map { " (\($0) bytes)" } ?? ""), limit: Int64(maxResponseBytes), unit: "bytes",
            setting: Self.maxResponseBytesSetting)
    }
    /// The first value of a header, compared case-insensitively.
    package func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// A complete response.
package struct QuiltHTTPResponse: Sendable, Hashable {
    package var status: Int
    package var headers: [HTTPField]
    package var body: [UInt8]
    package init(status: Int, headers: [HTTPField] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
    /// The first value of a header, compared case-insensitively.
    package func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// The body of a streamed response, read chunk by chunk by one task at a time.
package protocol HTTPBodyStream: AnyObject, Sendable {
    /// The next chunk, or nil at the end.
    /// - Throws: `QuiltOpsError.remote(_, retryable: true)` when the connection fails part-way.
    func next() async throws(QuiltOpsError) -> [UInt8]?
}

/// A response whose body arrives in chunks (large objects, manifests), so it is never held whole.
package struct QuiltHTTPStreamingResponse: Sendable {
    package var status: Int
    package var headers: [HTTPField]
    package var body: any HTTPBodyStream
    package init(status: Int, headers: [HTTPField], body: any HTTPBodyStream) {
        self.status = status
        self.headers = headers
        self.body = body
    }
    /// The first value of a header, compared case-insensitively.
    package func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
    /// Reads the rest of the body (for error responses and small objects), at most `limit` bytes.
    /// - Throws: `.tooLarge` (from `tooLarge`) when the body is longer than `limit`; nothing past it is kept.
    package func collect(
        upTo limit: Int = QuiltHTTPRequest.defaultMaxResponseBytes,
        tooLarge: (Int?) -> QuiltOpsError = { size in
            .tooLarge(what: "a response body" + (size.map { " (\($0) bytes)" } ?? ""),
                      limit: Int64(QuiltHTTPRequest.defaultMaxResponseBytes), unit: "bytes",
                      setting: QuiltHTTPRequest.maxResponseBytesSetting)
        }
    ) async throws(QuiltOpsError) -> QuiltHTTPResponse {
        if let declared = header("content-length").flatMap(Int.init), declared > limit { throw tooLarge(declared) }
        var bytes: [UInt8] = []
        while let chunk = try await body.next() {
            guard bytes.count + chunk.count <= limit else { throw tooLarge(nil) }
            bytes += chunk
        }
        return QuiltHTTPResponse(status: status, headers: headers, body: bytes)
    }
}

/// The seam every remote client (S3, STS, the catalog) goes through, so tests can record, replay or fake the
/// network at its edge and never our own logic.
///
/// Errors: connection failures and timeouts are `QuiltOpsError.remote(_, retryable: true)`; any HTTP status is a
/// normal response (mapping statuses to errors is the client's job).
package protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the whole response.
    func send(_ request: QuiltHTTPRequest) async throws(QuiltOpsError) -> QuiltHTTPResponse

    /// Sends `request` and returns the response as soon as its head arrives; the body streams.
    /// The default implementation reads the whole response with `send` and hands it out in chunks.
    func stream(_ request: QuiltHTTPRequest) async throws(QuiltOpsError) -> QuiltHTTPStreamingResponse
}

extension HTTPTransport {
    package func stream(_ request: QuiltHTTPRequest) async throws(QuiltOpsError) -> QuiltHTTPStreamingResponse {
        let response = try await send(request)
        return QuiltHTTPStreamingResponse(
            status: response.status, headers: response.headers, body: BufferedBodyStream(response.body))
    }
}

/// A body already in memory, handed out in chunks.
package final class BufferedBodyStream: HTTPBodyStream, @unchecked Sendable {
    private let bytes: [UInt8]
    private let chunkSize: Int
    private var offset = 0
    package init(_ bytes: [UInt8], chunkSize: Int = 1 << 20) {
        self.bytes = bytes
        self.chunkSize = max(1, chunkSize)
    }
    package func next() async throws(QuiltOpsError) -> [UInt8]? {
        guard offset < bytes.count else { return nil }
        let end = min(offset + chunkSize, bytes.count)
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}
