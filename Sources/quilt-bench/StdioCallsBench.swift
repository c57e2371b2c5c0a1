import Foundation
import QuiltJSON

/// `quilt-bench stdio-calls`: what the protocol layer costs per message, from the outside. One server process over
/// stdio; after the handshake, `--calls` sequential round trips of each of `ping`, `tools/list` and a `tools/call`
/// whose tool does almost nothing (`packages_list` on an empty local registry, with an argument object), timed from
/// the request's write to its response's read. Several servers run in the same invocation, one after the other, so
/// their figures share the machine's state.
enum StdioCallsBench {
    static let usage = """
        quilt-bench stdio-calls [--calls 2000] [--warmup 200] [--protocol handshake|2026-07-28] [--json] [SERVER...]
        """

    /// The latencies of one method on one server, in microseconds, sorted.
    struct Series {
        var method: String
        var micros: [Double]
        var median: Double { Stats.median(micros) }
        var p99: Double { micros.isEmpty ? .nan : micros[min(micros.count - 1, Int(Double(micros.count) * 0.99))] }
    }

    static func run(_ arguments: [String]) throws -> Int32 {
        let args = try Args(arguments, valued: ["calls", "warmup", "protocol"], boolean: ["json"])
        let calls = try args.int("calls", default: 2000, range: 1...1_000_000)
        let warmup = try args.int("warmup", default: 200, range: 0...100_000)
        let modern = (args.string("protocol") ?? "handshake") == "2026-07-28"
        var servers = args.positional
        if servers.isEmpty { servers = [(Spawner.selfExecutable() as NSString).deletingLastPathComponent + "/quilt-mcp"] }
        var results: [(server: String, series: [Series])] = []
        for server in servers {
            guard access(server, X_OK) == 0 else { throw SpawnError(description: "no server at \(server)") }
            log("\(server): \(warmup) warm-up + \(calls) timed round trips per method")
            results.append((server, try measure(server, calls: calls, warmup: warmup, modern: modern)))
        }
        if args.flag("json") {
            emit(JSONWriter.pretty(.object([
                "benchmark": "stdio-calls", "date": .string(MachineInfo.date()), "machine": .string(MachineInfo.describe()),
                "calls": .number(JSONNumber(calls)), "protocol": .string(modern ? "2026-07-28" : "handshake"),
                "servers": .array(results.map { r in
                    .object([
                        "server": .string(r.server),
                        "methods": .array(r.series.map { s in
                            .object(["method": .string(s.method), "median_us": Stats.number(s.median), "p99_us": Stats.number(s.p99)])
                        }),
                    ])
                }),
            ])))
            return 0
        }
        emit("stdio-calls — \(MachineInfo.date()), \(MachineInfo.describe()); \(calls) sequential round trips per method")
        var rows: [[String]] = []
        for r in results {
            for s in r.series { rows.append([r.server, s.method, Stats.fixed(s.median), Stats.fixed(s.p99)]) }
        }
        emit(Stats.table(["server", "method", "median µs", "p99 µs"], rows))
        return 0
    }

    /// One process: handshake (or none, in 2026-07-28), then the timed series.
    static func measure(_ server: String, calls: Int, warmup: Int, modern: Bool) throws -> [Series] {
        let sandbox = try LocalDirs.makeTemp("quilt-bench-stdio-calls")
        defer { LocalDirs.remove(sandbox) }
        try FileManager.default.createDirectory(atPath: sandbox + "/home", withIntermediateDirectories: true)
        let env = ["HOME": sandbox + "/home", "XDG_DATA_HOME": sandbox + "/xdg", "PATH": "/usr/bin:/bin"]
        let session = try StdioSession(server, [], environment: env, stderrPath: sandbox + "/stderr.txt")
        defer { _ = session.closeAndReap(graceSeconds: 5) }
        var nextID = 1
        let meta: JSONValue = [
            "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": [:],
            "io.modelcontextprotocol/clientInfo": ["name": "quilt-bench", "version": "1"],
        ]
        func params(_ body: JSONObject) -> JSONValue {
            var body = body
            if modern { body["_meta"] = meta }
            return .object(body)
        }
        func roundTrip(_ method: String, _ body: JSONObject) throws -> Double {
            let id = nextID
            nextID += 1
            let start = Spawner.now()
            try session.send(["jsonrpc": "2.0", "id": .number(JSONNumber(id)), "method": .string(method), "params": params(body)])
            let answer = try session.response(id: id, timeoutSeconds: 30)
            if let error = answer.message["error"] { throw SpawnError(description: "\(method) failed: \(JSONWriter.compact(error))") }
            return Double(answer.at - start) / 1e3
        }
        if !modern {
            _ = try roundTrip("initialize", [
                "protocolVersion": "2025-11-25", "capabilities": [:], "clientInfo": ["name": "quilt-bench", "version": "1"],
            ])
            try session.send(["jsonrpc": "2.0", "method": "notifications/initialized"])
        }
        let call: JSONObject = [
            "name": "packages_list", "arguments": ["prefix": "bench/", "limit": 20],
        ]
        var methods: [(String, String, JSONObject)] = [("tools/list", "tools/list", [:]), ("tools/call packages_list", "tools/call", call)]
        if !modern { methods.insert(("ping", "ping", [:]), at: 0) }
        var out: [Series] = []
        for (label, method, body) in methods {
            for _ in 0..<warmup { _ = try roundTrip(method, body) }
            var micros: [Double] = []
            micros.reserveCapacity(calls)
            for _ in 0..<calls { micros.append(try roundTrip(method, body)) }
            out.append(Series(method: label, micros: micros.sorted()))
        }
        return out
    }
}
