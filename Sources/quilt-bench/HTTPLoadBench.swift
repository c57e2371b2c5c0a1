import AsyncHTTPClient
import Foundation
import JWTKit
import NIOCore
import NIOHTTP1
import QuiltJSON

/// `quilt-bench http-load`: tool-call throughput and latency of the release `quilt-mcp` over streamable HTTP with
/// JWT auth (HS256 verified on every request) on a memory registry, at several client concurrencies.
///
/// (A `file://` registry is out of reach once tokens are taken over HTTP — rule R17 — so the registry is
/// `memory://bench`.) One server process per level; a package of 50 entries is made over HTTP first; every client
/// holds its own token (its own `sub`) of one tenant (`tenant: bench`, so they share the registry, and the server's
/// per-caller bound is raised to the level's concurrency — one tenant with N clients); each client loops on
/// `tools/call package_info` (which reads and verifies the manifest) with its own bearer token until the request
/// budget or the time limit is spent. Loopback only; the load generator shares the machine's cores.
enum HTTPLoadBench {
    static let usage = """
        quilt-bench http-load [--server PATH] [--concurrency 1,16,64] [--requests 4000] [--seconds 20] \
        [--transport stateless|sessions] [--tool package_info] [--json]
        """

    /// What one concurrency level measured.
    struct Level {
        var concurrency: Int
        var requests: Int
        var errors: Int
        var seconds: Double
        var latencies: [Double]
        /// Server CPU (user + system) spent during the timed part, in seconds.
        var serverCPUSeconds: Double = .nan
        var throughput: Double { Double(requests) / seconds }
        /// Server CPU per call in milliseconds: comparable across runs even when other work shares the machine.
        var cpuMillisPerCall: Double { serverCPUSeconds * 1000 / Double(max(1, requests)) }
        var p50: Double { percentile(0.50) }
        var p99: Double { percentile(0.99) }

        func percentile(_ p: Double) -> Double {
            let sorted = latencies.sorted()
            guard !sorted.isEmpty else { return .nan }
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }
    }

    static let secret = "quilt-bench-hs256-secret-0123456789-abcdefgh"
    static let initialize = #"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"quilt-bench","version":"1"}}}"#

    static func run(_ arguments: [String]) async throws -> Int32 {
        let args = try Args(arguments, valued: ["server", "concurrency", "requests", "seconds", "transport", "tool"], boolean: ["json"])
        let me = Spawner.selfExecutable()
        let server = args.string("server") ?? ((me as NSString).deletingLastPathComponent + "/quilt-mcp")
        guard access(server, X_OK) == 0 else { throw SpawnError(description: "no quilt-mcp at \(server)") }
        if !server.contains("/release/") { log("note: \(server) is not a release build; the figures are for -c release") }
        let levels = (args.string("concurrency") ?? "1,16,64").split(separator: ",").compactMap { Int($0) }
        let budget = try args.int("requests", default: 4000, range: 1...1_000_000)
        let seconds = try args.int("seconds", default: 20, range: 1...600)
        let sessions = args.string("transport") == "sessions"
        let tool = args.string("tool") ?? "package_info"

        let sandbox = try LocalDirs.makeTemp("quilt-bench-http")
        defer { LocalDirs.remove(sandbox) }
        let registry = "memory://bench"
        let env = ["HOME": sandbox + "/home", "PATH": "/usr/bin:/bin", "QUILT_MCP_JWT_SECRET": secret]

        var results: [Level] = []
        var rss: [Int: Double] = [:]
        for concurrency in levels {
            let port = try freePort()
            // tenancy=multi makes the server stateless (one fresh MCP server per request); single keeps sessions.
            var serverArgs = ["--registry", registry, "--auth", "jwt", "--transport", "http", "--host", "127.0.0.1",
                              "--port", String(port), "--log-level", "error", "--max-caller-requests", String(max(32, concurrency))]
            if !sessions { serverArgs += ["--tenancy", "multi"] }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: server)
            process.arguments = serverArgs
            process.environment = env
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            defer { if process.isRunning { process.terminate(); process.waitUntilExit() } }
            try await waitForHealth(port)
            log("concurrency \(concurrency): \(sessions ? "sessions" : "stateless"), \(tool), budget \(budget) requests / \(seconds) s")
            let cpuBefore = cpuSeconds(process.processIdentifier)
            var level = try await load(
                port: port, concurrency: concurrency, budget: budget, seconds: Double(seconds), sessions: sessions, tool: tool)
            level.serverCPUSeconds = cpuSeconds(process.processIdentifier) - cpuBefore
            rss[concurrency] = residentMiB(process.processIdentifier)
            results.append(level)
            process.terminate()
            process.waitUntilExit()
        }
        report(results, rss: rss, sessions: sessions, tool: tool, json: args.flag("json"))
        return results.allSatisfy { $0.errors == 0 } ? 0 : 1
    }

    /// `concurrency` clients, each with its own token (and session), until the budget or time is spent.
    static func load(port: Int, concurrency: Int, budget: Int, seconds: Double, sessions: Bool, tool: String) async throws -> Level {
        var config = HTTPClient.Configuration()
        config.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, concurrency))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
        do {
            let level = try await load(client, port: port, concurrency: concurrency, budget: budget, seconds: seconds,
                                       sessions: sessions, tool: tool)
            try await client.shutdown()
            return level
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private static func load(
        _ client: HTTPClient, port: Int, concurrency: Int, budget: Int, seconds: Double, sessions: Bool, tool: String
    ) async throws -> Level {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        let url = "http://127.0.0.1:\(port)/mcp"
        let call = JSONWriter.compact(["jsonrpc": "2.0", "id": 1, "method": "tools/call",
                                        "params": ["name": .string(tool), "arguments": ["package_name": "bench/http"]]])

        // The package every call reads, made by the first client (same tenant as all the others).
        let seeder = try await keys.sign(BenchClaims(sub: "seeder", tenant: "bench", exp: .init(value: Date().addingTimeInterval(3600))))
        let entries = JSONValue.array((0..<50).map {
            .object(["logical_key": .string("data/f\($0).csv"), "text": .string("a,b\n\($0),\($0 * 2)\n")])
        })
        let create = JSONWriter.compact(["jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": [
            "name": "package_create", "arguments": ["package_name": "bench/http", "metadata": ["k": 1.0], "entries": entries]]])
        var seedSession: String?
        if sessions {
            seedSession = try await post(client, url, Self.initialize, token: seeder, session: nil).session
        }
        guard try await post(client, url, create, token: seeder, session: seedSession).ok else {
            throw SpawnError(description: "seeding bench/http over HTTP failed")
        }

        // Warm up: every client makes its token (and session) and one call, untimed.
        var clients: [(token: String, session: String?)] = []
        for i in 0..<concurrency {
            let token = try await keys.sign(BenchClaims(sub: "client-\(i)", tenant: "bench", exp: .init(value: Date().addingTimeInterval(3600))))
            var session: String?
            if sessions {
                session = try await post(client, url, Self.initialize, token: token, session: nil).session
            }
            _ = try await post(client, url, call, token: token, session: session)
            clients.append((token, session))
        }

        let counter = Counter(budget: budget)
        let start = ContinuousClock.now
        let deadline = start + .milliseconds(Int(seconds * 1000))
        let perClient: [([Double], Int)] = try await withThrowingTaskGroup(of: ([Double], Int).self) { group in
            for c in clients {
                group.addTask {
                    var latencies: [Double] = []
                    var errors = 0
                    while await counter.take(), ContinuousClock.now < deadline {
                        let t0 = ContinuousClock.now
                        let reply = try await post(client, url, call, token: c.token, session: c.session)
                        let elapsed = ContinuousClock.now - t0
                        latencies.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
                        if !reply.ok { errors += 1 }
                    }
                    return (latencies, errors)
                }
            }
            var all: [([Double], Int)] = []
            for try await r in group { all.append(r) }
            return all
        }
        let elapsed = ContinuousClock.now - start
        let latencies = perClient.flatMap(\.0)
        return Level(
            concurrency: concurrency, requests: latencies.count, errors: perClient.map(\.1).reduce(0, +),
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, latencies: latencies)
    }

    /// POSTs `body`; `ok` when the answer is 200 with a result that is not an error.
    static func post(_ client: HTTPClient, _ url: String, _ body: String, token: String, session: String?) async throws
        -> (ok: Bool, session: String?)
    {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json, text/event-stream")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let session { request.headers.add(name: "Mcp-Session-Id", value: session) }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        let text = String(buffer: bytes)
        let ok = response.status.code == 200 && text.contains("\"result\"") && !text.contains("\"isError\":true")
        if !ok { log("failed call: HTTP \(response.status.code): \(text.prefix(300))") }
        return (ok, response.headers.first(name: "Mcp-Session-Id"))
    }

    static func waitForHealth(_ port: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let response = try? await HTTPClient.shared.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)/health"), timeout: .seconds(2)), response.status.code == 200
            {
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw SpawnError(description: "the server did not answer /health on port \(port)")
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw SpawnError(description: "bind failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// User + system CPU seconds `pid` has used (from /proc/<pid>/stat; includes warm-up when read before it).
    static func cpuSeconds(_ pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return .nan }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return .nan }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// VmRSS of `pid` in MiB.
    static func residentMiB(_ pid: Int32) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kib = Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return .nan }
        return kib / 1024
    }

    static func report(_ levels: [Level], rss: [Int: Double], sessions: Bool, tool: String, json: Bool) {
        if json {
            emit(JSONWriter.pretty(.array(levels.map { l in
                [
                    "concurrency": .number(JSONNumber(l.concurrency)), "requests": .number(JSONNumber(l.requests)),
                    "errors": .number(JSONNumber(l.errors)), "seconds": Stats.number(l.seconds),
                    "requests_per_second": Stats.number(l.throughput), "p50_ms": Stats.number(l.p50),
                    "p99_ms": Stats.number(l.p99), "server_rss_mib": Stats.number(rss[l.concurrency] ?? .nan),
                    "server_cpu_ms_per_call": Stats.number(l.cpuMillisPerCall),
                ]
            })))
            return
        }
        emit("http-load \(MachineInfo.date()) — \(MachineInfo.describe())")
        emit("tools/call \(tool) over streamable HTTP (\(sessions ? "sessions" : "stateless"), HS256 JWT verified per request), memory registry")
        emit(Stats.table(
            ["clients", "requests", "errors", "req/s", "p50 ms", "p99 ms", "server CPU ms/call", "server RSS MiB"],
            levels.map { l in
                [String(l.concurrency), String(l.requests), String(l.errors), Stats.fixed(l.throughput, 0), Stats.fixed(l.p50, 2),
                 Stats.fixed(l.p99, 2), Stats.fixed(l.cpuMillisPerCall, 3), Stats.fixed(rss[l.concurrency] ?? .nan, 1)]
            }))
    }
}

/// Hands out at most `budget` request slots across clients.
actor Counter {
    private var remaining: Int
    init(budget: Int) { remaining = budget }
    func take() -> Bool {
        guard remaining > 0 else { return false }
        remaining -= 1
        return true
    }
}

/// The claims of a bench token.
struct BenchClaims: JWTPayload {
    var sub: String
    var tenant: String
    var exp: ExpirationClaim
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
