import QuiltOps

/// One header field; order and repeated names are kept.
public struct HTTPField: Sendable, Hashable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A request as every remote client builds it (named `Quilt…` because MCP and Hummingbird both define `HTTPRequest`).
public struct QuiltHTTPRequest: Sendable, Hashable {
    public var method: String
    /// Absolute URL, already percent-encoded.
    public var url: String
    public var headers: [HTTPField]
    public var body: [UInt8]
    public init(method: String, url: String, headers: [HTTPField] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
    /// The first value of a header, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// A complete response.
public struct QuiltHTTPResponse: Sendable, Hashable {
    public var status: Int
    public var headers: [HTTPField]
    public var body: [UInt8]
    public init(status: Int, headers: [HTTPField] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
    /// The first value of a header, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// The seam every remote client (S3, STS, the catalog) goes through, so tests can record, replay or fake the
/// network at its edge and never our own logic.
///
/// Errors: connection failures and timeouts are `QuiltOpsError.remote(_, retryable: true)`; any HTTP status is a
/// normal response (mapping statuses to errors is the client's job).
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the whole response.
    func send(_ request: QuiltHTTPRequest) async throws(QuiltOpsError) -> QuiltHTTPResponse
}
