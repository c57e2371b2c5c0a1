import Foundation
import Hummingbird
import QuiltJSON
import Synchronization

/// A JWKS served at `http://127.0.0.1:<port>/jwks.json` by an in-process Hummingbird app, with keys that can be
/// replaced (rotation) and a count of fetches.
final class JWKSServer: Sendable {
    private struct State {
        var keys: [JSONValue] = []
        var fetches = 0
    }

    private final class Shared: Sendable {
        let state = Mutex(State())
        let task = Mutex<Task<Void, any Error>?>(nil)
    }

    private let shared = Shared()
    let port: Int

    /// Starts serving `keys` (public JWKs).
    init(keys: [JSONValue]) async throws {
        let shared = self.shared
        shared.state.withLock { $0.keys = keys }
        let router = Router()
        router.get("jwks.json") { _, _ -> Response in
            let body = shared.state.withLock { s -> String in
                s.fetches += 1
                return JSONWriter.compact(["keys": .array(s.keys)])
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            })
        let running = Task { try await app.runService(gracefulShutdownSignals: []) }
        shared.task.withLock { $0 = running }
        var bound = 0
        for await p in ports { bound = p }
        port = bound
    }

    var url: String { "http://127.0.0.1:\(port)/jwks.json" }

    /// Serves `keys` from now on.
    func replace(_ keys: [JSONValue]) { shared.state.withLock { $0.keys = keys } }

    /// How many times the JWKS was fetched.
    var fetches: Int { shared.state.withLock { $0.fetches } }

    func stop() { shared.task.withLock { $0?.cancel() } }
}
