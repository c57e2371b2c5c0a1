import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization
import SwiftASN1
import X509

/// A raw HTTP/1.1 server on 127.0.0.1 (plain, or TLS with a self-signed certificate for `localhost`) whose routes
/// misbehave on purpose in ways a framework server will not: it drops a connection's second request unanswered,
/// answers HEAD with a length and no body, chunks a body, closes after answering or once idle. It counts the connections it
/// accepted.
final class ScriptedHTTPServer: Sendable {
    let port: Int
    let certificate: NIOSSLCertificate?
    private let channel: any Channel
    private let accepted = Counter()

    /// Connections accepted so far.
    var connections: Int { accepted.value }

    func url(_ path: String, host: String = "127.0.0.1") -> String {
        "\(certificate == nil ? "http" : "https")://\(host):\(port)\(path)"
    }

    /// Runs `body` with a started server, then stops it.
    static func with(tls: Bool = false, _ body: (ScriptedHTTPServer) async throws -> Void) async throws {
        let server = try await ScriptedHTTPServer(tls: tls)
        do {
            try await body(server)
        } catch {
            try? await server.channel.close()
            throw error
        }
        try? await server.channel.close()
    }

    private init(tls: Bool) async throws {
        let sslContext: NIOSSLContext?
        if tls {
            let (certificate, key) = try Self.selfSigned()
            self.certificate = certificate
            sslContext = try NIOSSLContext(
                configuration: .makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(key)))
        } else {
            certificate = nil
            sslContext = nil
        }
        let accepted = self.accepted
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                accepted.add()
                return channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let sslContext { try pipeline.addHandler(NIOSSLServerHandler(context: sslContext)) }
                    try pipeline.configureHTTPServerPipeline()
                    try pipeline.addHandler(Script())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
    }

    /// A certificate for `localhost`, signed by its own key.
    private static func selfSigned() throws -> (NIOSSLCertificate, NIOSSLPrivateKey) {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("localhost") }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: now - 3600, notValidAfter: now + 3600, issuer: name, subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                SubjectAlternativeNames([.dnsName("localhost")])
            },
            issuerPrivateKey: .init(key))
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return (
            try NIOSSLCertificate(bytes: serializer.serializedBytes, format: .der),
            try NIOSSLPrivateKey(bytes: Array(key.derRepresentation), format: .der)
        )
    }
}

private final class Counter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func add() { count.withLock { $0 += 1 } }
}

/// The routes, per connection.
private final class Script: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private var head: HTTPRequestHead?
    private var served = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end:
            guard let head else { return }
            served += 1
            respond(head, context: context)
        }
    }

    private func respond(_ request: HTTPRequestHead, context: ChannelHandlerContext) {
        switch request.uri {
        case "/once" where served > 1:
            // As a server closing an idle connection just as the next request arrives.
            context.close(promise: nil)
        case "/head":
            send(context, headers: [("Content-Length", "1000")], body: [])
        case "/chunked":
            var headers = HTTPHeaders([("Transfer-Encoding", "chunked")])
            headers.add(name: "X-Probe", value: "chunked")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            for part in ["abc", "def"] { context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: part)))), promise: nil) }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case "/idle-close":
            // Keep-alive by its head, then closed by the server while idle (its idle timeout, shorter than ours).
            send(context, headers: [("Content-Length", "2")], body: Array("ok".utf8))
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: .milliseconds(50)) { bound.value.close(promise: nil) }
        case "/close":
            send(context, headers: [("Content-Length", "2"), ("Connection", "close")], body: Array("ok".utf8))
            context.close(promise: nil)  // the flush above has written the answer on the loopback
        default:
            send(context, headers: [("Content-Length", "2")], body: Array("ok".utf8))
        }
    }

    private func send(_ context: ChannelHandlerContext, headers: [(String, String)], body: [UInt8]) {
        let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: HTTPHeaders(headers))
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if !body.isEmpty { context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
