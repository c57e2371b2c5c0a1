import AsyncHTTPClient
import FoundationEssentials
package import NIOCore
import NIOHTTP1
import NIOPosix
package import NIOSSL
package import QuiltContract
import Synchronization

/// The real network: pooled connections (reused per host), connect and read timeouts, no automatic redirects (S3
/// answers redirects that must be seen, not followed) and no decompression (objects are returned as stored).
///
/// Whole responses requested on one of the process group's event loops (an HTTP server's requests run there) go
/// over NIO's HTTP/1.1 directly, through ``LoopHTTP1Pool``; streams, and requests made anywhere else, go through
/// AsyncHTTPClient.
///
/// `shared` serves the whole process and is never shut down; a transport made with `init` must be shut down with
/// `shutdown()` before it is released.
package final class LiveHTTPTransport: HTTPTransport {
    /// Settings of a live transport.
    package struct Configuration: Sendable {
        /// Time to establish a connection (TCP + TLS).
        package var connectTimeout: Duration = .seconds(10)
        /// Longest silence while reading a response before the request fails.
        package var readTimeout: Duration = .seconds(60)
        /// Overall deadline for a request until its response head arrives, unless the request sets its own.
        package var requestTimeout: Duration = .seconds(120)
        /// How long an idle pooled connection is kept.
        package var idleTimeout: Duration = .seconds(60)
        /// Connections kept per host (per event loop for requests made on the process group's loops).
        package var connectionsPerHost: Int = 8
        /// The event loops the client runs on; nil for AsyncHTTPClient's process-wide group. NIO resolves host
        /// names with `getaddrinfo` on one serial queue per event loop, so a lookup that waits on a slow resolver
        /// delays every other lookup queued behind it on that loop: give a transport its own group to keep it apart.
        package var eventLoopGroup: (any EventLoopGroup)?
        /// TLS settings; nil for the system's trust roots with full verification.
        package var tlsConfiguration: TLSConfiguration?
        package init() {}
    }

    /// The process-wide transport.
    package static let shared = LiveHTTPTransport(configuration: Configuration())

    package let configuration: Configuration
    /// Made on the first request: a process that never goes to the network (a local registry over stdio) starts
    /// no event-loop threads and touches none of NIO's code. Nil with `isShutDown` after ``shutdown()``.
    private let made = Mutex<Made>(Made())
    /// Whole-response requests made on the process group's loops (see ``LoopHTTP1Pool``); it opens nothing until used.
    private let loopPool: LoopHTTP1Pool

    private struct Made {
        /// The client over the whole group.
        var client: HTTPClient?
        /// One client per event loop of the process-wide group, by loop, for requests made on that loop.
        var onLoop: [ObjectIdentifier: HTTPClient] = [:]
        var isShutDown = false
    }

    /// A transport with its own connection pool; call `shutdown()` when done.
    package init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        loopPool = LoopHTTP1Pool(
            LoopHTTP1Pool.Settings(
                connectTimeout: Self.amount(configuration.connectTimeout), readTimeout: Self.amount(configuration.readTimeout),
                idleTimeout: Self.amount(configuration.idleTimeout), keepPerOrigin: configuration.connectionsPerHost,
                tls: configuration.tlsConfiguration))
    }

    /// The client, made on first use.
    ///
    /// A request made on one of the process-wide group's event loops (an HTTP server's request runs on its
    /// connection's loop) goes through a client of that loop alone, so its connection, and the answer's wake-up,
    /// stay on the calling thread. A pool over the whole group hands out whichever idle connection it has, most often
    /// one on another loop, and every request then crosses threads twice; asking AsyncHTTPClient for a connection
    /// on a given loop instead opens one per request (it closes such connections when they fall idle).
    /// - Throws: `.remote` after ``shutdown()``.
    private func client(_ what: @autoclosure () -> String) throws(QuiltOpsError) -> HTTPClient {
        let loop = configuration.eventLoopGroup == nil ? Self.processLoop() : nil
        let client = made.withLock { made -> HTTPClient? in
            guard !made.isShutDown else { return nil }
            if let loop {
                if let client = made.onLoop[ObjectIdentifier(loop)] { return client }
                // Each loop's pool keeps `connectionsPerHost`: its requests cannot borrow another loop's idle
                // connections, and a share of the limit made requests queue (p99 at 16 clients up by a fifth).
                let client = HTTPClient(eventLoopGroup: loop, configuration: Self.clientConfiguration(configuration))
                made.onLoop[ObjectIdentifier(loop)] = client
                return client
            }
            if let client = made.client { return client }
            let client = HTTPClient(eventLoopGroup: configuration.eventLoopGroup ?? HTTPClient.defaultEventLoopGroup, configuration: Self.clientConfiguration(configuration))
            made.client = client
            return client
        }
        guard let client else { throw .remote("\(what()): the HTTP transport was shut down.", retryable: false) }
        return client
    }

    /// The process-wide group's event loop this thread runs, if it runs one.
    private static func processLoop() -> (any EventLoop)? {
        guard let loop = MultiThreadedEventLoopGroup.currentEventLoop else { return nil }
        return processLoops.contains(ObjectIdentifier(loop)) ? loop : nil
    }

    private static let processLoops = Set(HTTPClient.defaultEventLoopGroup.makeIterator().map { ObjectIdentifier($0) })

    private static func clientConfiguration(_ configuration: Configuration) -> HTTPClient.Configuration {
        var config = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: Self.amount(configuration.connectTimeout), read: Self.amount(configuration.readTimeout)),
            connectionPool: .init(
                idleTimeout: Self.amount(configuration.idleTimeout),
                concurrentHTTP1ConnectionsPerHostSoftLimit: configuration.connectionsPerHost),
            decompression: .disabled)
        config.httpVersion = .http1Only
        if let tls = configuration.tlsConfiguration { config.tlsConfiguration = tls }
        // A connection that cannot be made fails the request at once (our RetryPolicy decides what to retry), instead
        // of the pool retrying it until the connect timeout: a wrong endpoint took 10 s per attempt to say so.
        config.connectionPool.retryConnectionEstablishment = false
        // No spans: nothing here bootstraps a tracer, and the default no-op one still cost every request a second
        // parse of its URL and a set of span attributes (a few percent of a remote call's CPU).
        config.tracing.tracer = nil
        return config
    }

    /// Closes the pool's connections (if any were made). Requests made afterwards fail.
    package func shutdown() async {
        loopPool.shutdown()
        let clients = made.withLock { made -> [HTTPClient] in
            defer { made = Made(isShutDown: true) }
            return (made.client.map { [$0] } ?? []) + made.onLoop.values
        }
        for client in clients { try? await client.shutdown() }
    }

    // MARK: - Sending

    package func send(_ request: QuiltHTTPRequest) async throws(QuiltOpsError) -> QuiltHTTPResponse {
        do {
            guard let url = HTTPURL(request.url) else { throw Self.notAbsolute(request) }
            if configuration.eventLoopGroup == nil, let loop = Self.processLoop() {
                return try await loopPool.send(request, url: url, on: loop, deadline: .now() + timeout(request))
            }
            return try await Self.collect(request, client: client(Self.describe(request)), deadline: .now() + timeout(request))
        } catch {
            throw Self.mapError(error, Self.describe(request))  // described only when it failed
        }
    }

    package func stream(_ request: QuiltHTTPRequest) async throws(QuiltOpsError) -> QuiltHTTPStreamingResponse {
        let what = Self.describe(request)
        do {
            let response = try await client(what).execute(try Self.clientRequest(request), timeout: timeout(request))
            return QuiltHTTPStreamingResponse(
                status: Int(response.status.code), headers: Self.fields(response.headers),
                body: LiveBodyStream(response.body.makeAsyncIterator(), what: what))
        } catch {
            throw Self.mapError(error, what)
        }
    }

    // MARK: - Conversions

    private func timeout(_ request: QuiltHTTPRequest) -> TimeAmount {
        Self.amount(request.timeout ?? configuration.requestTimeout)
    }

    static func clientRequest(_ request: QuiltHTTPRequest) throws(QuiltOpsError) -> HTTPClientRequest {
        guard HTTPURL(request.url) != nil else { throw notAbsolute(request) }
        var r = HTTPClientRequest(url: request.url)
        r.method = HTTPMethod(rawValue: request.method)
        for field in request.headers { r.headers.add(name: field.name, value: field.value) }
        if sendsBody(request) {
            r.body = .bytes(ByteBuffer(bytes: request.body))
        }
        return r
    }

    /// Whether `request` is sent with a body (an empty PUT or POST still says `Content-Length: 0`).
    static func sendsBody(_ request: QuiltHTTPRequest) -> Bool {
        !request.body.isEmpty || request.method == "PUT" || request.method == "POST"
    }

    static func notAbsolute(_ request: QuiltHTTPRequest) -> QuiltOpsError {
        .invalidInput(field: "url", reason: "'\(request.url.prefix(200))' is not an absolute http(s) URL.")
    }

    static func fields(_ headers: HTTPHeaders) -> [HTTPField] {
        headers.map { HTTPField($0.name, $0.value) }
    }

    static func amount(_ d: Duration) -> TimeAmount {
        let (seconds, attoseconds) = d.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// `METHOD scheme://host/path` — never the query, which may carry a presigned signature.
    static func describe(_ request: QuiltHTTPRequest) -> String {
        guard let url = HTTPURL(request.url) else { return request.method }
        return "\(request.method) \(url.origin)\(url.path)"
    }

    static func mapError(_ error: any Error, _ what: String) -> QuiltOpsError {
        if let e = error as? QuiltOpsError { return e }
        if error is CancellationError { return .cancelled("\(what) was cancelled.") }
        if let e = error as? HTTPClientError, e == .cancelled { return .cancelled("\(what) was cancelled.") }
        if let problem = ConnectionProblem(error) {
            return .remote(
                "\(what) failed: \(problem.description). This is a configuration problem, not a passing one: check the "
                    + "endpoint's URL (AWS_ENDPOINT_URL…, the catalog URL or registry_api_url) and that the service is up.",
                retryable: false)
        }
        return .remote("\(what) failed: \(String(describing: error))", retryable: true)
    }
}

/// The failures to reach a service at all that retrying cannot mend: nothing listens there, the name does not
/// resolve, or TLS cannot be agreed (e.g. `https://` to a plain-HTTP port). Recognised from NIO's errors by their
/// types and errno, without importing NIOPosix or NIOSSL.
struct ConnectionProblem: CustomStringConvertible {
    let description: String

    init?(_ error: any Error) {
        let text = String(describing: error)
        let type = String(reflecting: Swift.type(of: error))
        if text.contains("Connection refused") || text.contains("connectionRefused") {
            description = "the connection was refused (nothing is listening there)"
        } else if type.contains("SocketAddressError") || text.contains("UnknownHost") || text.contains("unknownHost")
            || text.contains("DNS error") || (type.contains("NIOConnectionError") && text.contains("dnsAError")) {
            description = "the host name does not resolve"
        } else if text.contains("WRONG_VERSION_NUMBER") {
            description = "the server there does not speak TLS (it answered in plain text: is the URL http://, not https://?)"
        } else if text.contains("EOF during handshake") {
            description = "the server closed the connection during the TLS handshake (does it speak TLS there? is the URL http://?)"
        } else if text.contains("failedToValidateHostname") {
            description = "the server's TLS certificate is for another host name than the URL's"
        } else if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificateVerify") {
            description = "the server's TLS certificate is not trusted here (self-signed, expired or for another name)"
        } else if type.contains("NIOSSL") || type.contains("BoringSSL") || text.contains("handshake") {
            description = "a TLS connection could not be made (\(Self.short(text)))"
        } else {
            return nil
        }
    }

    /// The first line of an error's text, up to where BoringSSL names its source file (a build path).
    private static func short(_ text: String) -> String {
        var line = text.split(separator: "\n").first.map(String.init) ?? text
        if let at = line.firstRange(of: " at /") { line = String(line[..<at.lowerBound]) }
        return String(line.prefix(160))
    }
}

/// A response body read from the network as it arrives.
final class LiveBodyStream: HTTPBodyStream, @unchecked Sendable {
    private var iterator: HTTPClientResponse.Body.AsyncIterator
    private let what: String
    init(_ iterator: HTTPClientResponse.Body.AsyncIterator, what: String) {
        self.iterator = iterator
        self.what = what
    }
    func next() async throws(QuiltOpsError) -> [UInt8]? {
        do {
            guard let buffer = try await iterator.next() else { return nil }
            return buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? []
        } catch {
            throw LiveHTTPTransport.mapError(error, what)
        }
    }
}
