import Foundation
import NIOCore
import NIOPosix
import QuiltContract
import QuiltHTTP
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A service that cannot be reached at all is a configuration error, said at once: no retries that cannot succeed.
@Suite("Unreachable endpoints fail fast with what is wrong")
struct ConnectionProblemTests {
    /// A TCP socket bound to a free loopback port, and the port.
    static func boundSocket() -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// How a GET of `url` fails. (How long it takes is measured end to end by hand — 0.06 s for a refused
    /// connection, against 40.5 s before — since under the whole suite's load the shared event loops make any time
    /// bound here a flaky one.)
    static func failure(_ url: String, on group: (any EventLoopGroup)? = nil) async -> QuiltOpsError? {
        var configuration = LiveHTTPTransport.Configuration()
        configuration.eventLoopGroup = group
        let transport = LiveHTTPTransport(configuration: configuration)
        var failure: QuiltOpsError?
        do {
            _ = try await transport.send(QuiltHTTPRequest(method: "GET", url: url))
        } catch {
            failure = error
        }
        await transport.shutdown()
        return failure
    }

    @Test("Nothing listening: 'remote', not transient, naming the URL and the refusal")
    func refused() async throws {
        let (fd, port) = Self.boundSocket()
        close(fd)  // free a moment ago: nothing listens there
        let url = "http://127.0.0.1:\(port)/bucket"
        let error = await Self.failure(url)
        let e = try #require(error)
        #expect(e.kind == "remote", "\(e)")
        #expect(e.message.contains("GET http://127.0.0.1:") && e.message.contains("refused"), "\(e.message)")
    }

    /// `.invalid` never resolves (RFC 6761). The lookup runs on an event loop of its own: NIO queues `getaddrinfo`
    /// calls per event loop, so on a machine whose resolver times out, a lookup on the shared group would hold up
    /// every other test's connections behind it.
    @Test("A host name that does not resolve: 'remote', not transient, naming the URL and the setting to check")
    func unresolvable() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let error = await Self.failure("http://quilt-mcp-test.invalid:9000/bucket", on: group)
        try await group.shutdownGracefully()
        let e = try #require(error)
        #expect(e.kind == "remote", "\(e)")
        #expect(e.message.contains("GET http://quilt-mcp-test.invalid:9000/bucket"), "\(e.message)")
        #expect(e.message.contains("does not resolve") && e.message.contains("AWS_ENDPOINT_URL"), "\(e.message)")
    }

    @Test("https:// to a plain-TCP port: 'remote', a TLS failure without build paths")
    func tlsToPlainPort() async throws {
        // A listener that accepts and answers TLS's hello with plain text, as an HTTP server does.
        let (fd, port) = Self.boundSocket()
        defer { close(fd) }
        listen(fd, 4)
        let server = Thread {
            let client = accept(fd, nil, nil)
            guard client >= 0 else { return }
            var buffer = [UInt8](repeating: 0, count: 1024)
            _ = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            let reply = Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8)
            _ = reply.withUnsafeBytes { send(client, $0.baseAddress, $0.count, 0) }
            close(client)
        }
        server.start()
        let error = await Self.failure("https://127.0.0.1:\(port)/bucket")
        let e = try #require(error)
        #expect(e.kind == "remote" && e.message.contains("TLS") && e.message.contains("is the URL http://"), "\(e)")
        #expect(!e.message.contains("/work/") && !e.message.contains(".build/"), "\(e.message)")
    }
}
