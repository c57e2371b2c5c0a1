import Foundation
import QuiltJSON
import QuiltMode

/// `quilt-bench startup`: cold start of the MCP server over stdio, spawn → `tools/list` answered, and its idle RSS,
/// for the release `quilt-mcp` and (when installed) the Python `quilt-mcp` from PyPI.
enum StartupBench {
    static let targetMillis = 60.0
    static let targetRSSBytes: Int64 = 25_000_000
    static let defaultPythonServer = "/tmp/quilt-mcp-py/bin/quilt-mcp"

    static let usage = """
        quilt-bench startup [--runs 10] [--server PATH] [--python-server PATH] [--skip-peer] [--idle-ms 500] [--json]
        """

    /// One fresh process: milliseconds to the `initialize` and `tools/list` answers, idle RSS, idle CPU.
    struct Sample {
        var initializeMillis: Double
        var toolsListMillis: Double
        var tools: Int
        var idleRSSBytes: Int64
        /// The private part of the RSS (`RssAnon`): heap and stacks, no shared library pages.
        var idleAnonBytes: Int64
        var idleCPUTicks: Int64
        var exitStatus: Int32
        var exitedOnEOF: Bool
    }

    /// Samples of one server.
    struct Summary {
        var name: String
        var samples: [Sample]
        var listMillis: [Double] { samples.map(\.toolsListMillis).sorted() }
        var medianMillis: Double { Stats.median(listMillis) }
        var maxRSSMiB: Double { Double(samples.map(\.idleRSSBytes).max() ?? 0) / 1_048_576 }
        var medianRSSMiB: Double { Stats.median(samples.map { Double($0.idleRSSBytes) / 1_048_576 }) }
        var medianAnonMiB: Double { Stats.median(samples.map { Double($0.idleAnonBytes) / 1_048_576 }) }

        var json: JSONValue {
            .object([
                "server": .string(name), "runs": .number(JSONNumber(samples.count)),
                "tools": .number(JSONNumber(samples.first?.tools ?? 0)),
                "tools_list_ms": .object([
                    "min": Stats.number(listMillis.first ?? .nan), "median": Stats.number(medianMillis),
                    "max": Stats.number(listMillis.last ?? .nan),
                    "all": .array(samples.map { Stats.number($0.toolsListMillis) }),
                ]),
                "initialize_ms_median": Stats.number(Stats.median(samples.map(\.initializeMillis))),
                "idle_rss_mib": .object([
                    "median": Stats.number(medianRSSMiB), "max": Stats.number(maxRSSMiB),
                    "all": .array(samples.map { Stats.number(Double($0.idleRSSBytes) / 1_048_576) }),
                ]),
                "idle_rss_anon_mib_median": Stats.number(medianAnonMiB),
                "idle_cpu_ticks_max": .number(JSONNumber(samples.map(\.idleCPUTicks).max() ?? 0)),
                "exited_on_eof": .bool(samples.allSatisfy(\.exitedOnEOF)),
            ])
        }
    }

    static func run(_ arguments: [String]) throws -> Int32 {
        let args = try Args(arguments, valued: ["runs", "server", "python-server", "idle-ms"], boolean: ["json", "skip-peer"])
        let runs = try args.int("runs", default: 10, range: 1...100)
        let idleMillis = try args.int("idle-ms", default: 500, range: 0...10_000)
        let me = Spawner.selfExecutable()
        let server = args.string("server") ?? ((me as NSString).deletingLastPathComponent + "/quilt-mcp")
        guard access(server, X_OK) == 0 else {
            throw SpawnError(description: "no quilt-mcp at \(server): swift build -c release --product quilt-mcp, or pass --server")
        }
        if !server.contains("/release/") { log("note: \(server) is not a release build; the figures are for -c release") }

        log("ours: \(server), \(runs) fresh processes")
        let label = (server as NSString).lastPathComponent == "quilt-mcp" ? "quilt-mcp (Swift, release)" : (server as NSString).lastPathComponent
        let ours = try measure(name: label, runs: runs, idleMillis: idleMillis) { sandbox in
            (server, [], ["HOME": sandbox + "/home", "XDG_DATA_HOME": sandbox + "/xdg", "PATH": "/usr/bin:/bin"])
        }

        var peer: Summary? = nil
        var peerSkipped: String? = nil
        let python = args.string("python-server") ?? defaultPythonServer
        if args.flag("skip-peer") {
            peerSkipped = "--skip-peer given"
        } else if access(python, X_OK) != 0 {
            peerSkipped = "the Python quilt-mcp is not installed at \(python) (python3 -m venv /tmp/quilt-mcp-py && "
                + "/tmp/quilt-mcp-py/bin/pip install quilt-mcp), or pass --python-server"
        } else {
            log("peer: \(python) (QUILT_DEPLOYMENT=legacy), \(runs) fresh processes")
            do {
                peer = try measure(name: "quilt-mcp (Python, PyPI\(pythonVersion(python).map { " " + $0 } ?? ""))", runs: runs,
                                   idleMillis: idleMillis) { sandbox in
                    (python, [], pythonEnvironment(sandbox))
                }
            } catch {
                peerSkipped = "the Python server did not answer: \(error)"
            }
        }
        if let peerSkipped { log("peer skipped: \(peerSkipped)") }
        report(ours: ours, peer: peer, peerSkipped: peerSkipped, idleMillis: idleMillis, json: args.flag("json"))
        return 0
    }

    /// The Python server's environment: legacy (quilt3) mode so it starts without a catalog; no network use
    /// (telemetry off, fake AWS keys, no instance metadata look-ups).
    static func pythonEnvironment(_ sandbox: String) -> [String: String] {
        [
            "HOME": sandbox + "/home", "XDG_DATA_HOME": sandbox + "/xdg", "XDG_CONFIG_HOME": sandbox + "/config",
            "XDG_CACHE_HOME": sandbox + "/cache", "PATH": "/usr/bin:/bin",
            "QUILT_DEPLOYMENT": "legacy", "FASTMCP_TRANSPORT": "stdio", "MCP_SKIP_BANNER": "true",
            "QUILT_DISABLE_USAGE_METRICS": "true", "MCP_TELEMETRY_LOCAL_ONLY": "true",
            "AWS_ACCESS_KEY_ID": "AKIAFAKEFAKEFAKEFAKE", "AWS_SECRET_ACCESS_KEY": "fake", "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_EC2_METADATA_DISABLED": "true",
        ]
    }

    /// The installed quilt-mcp distribution's version, from the venv's site-packages.
    static func pythonVersion(_ entryPoint: String) -> String? {
        let venv = ((entryPoint as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        guard let libs = try? FileManager.default.contentsOfDirectory(atPath: venv + "/lib") else { return nil }
        for lib in libs {
            let site = venv + "/lib/" + lib + "/site-packages"
            let dist = (try? FileManager.default.contentsOfDirectory(atPath: site))?.first {
                $0.hasPrefix("quilt_mcp-") && $0.hasSuffix(".dist-info")
            }
            if let dist { return String(dist.dropFirst("quilt_mcp-".count).dropLast(".dist-info".count)) }
        }
        return nil
    }

    /// `runs` fresh processes, each in its own sandbox.
    static func measure(
        name: String, runs: Int, idleMillis: Int, command: (String) -> (String, [String], [String: String])
    ) throws -> Summary {
        var samples: [Sample] = []
        for i in 0..<runs {
            let sandbox = try LocalDirs.makeTemp("quilt-bench-startup")
            defer { LocalDirs.remove(sandbox) }
            try FileManager.default.createDirectory(atPath: sandbox + "/home", withIntermediateDirectories: true)
            let (path, arguments, env) = command(sandbox)
            let sample: Sample
            do {
                sample = try once(path, arguments, env: env, stderrPath: sandbox + "/stderr.txt", idleMillis: idleMillis)
            } catch {
                let text = (try? String(contentsOfFile: sandbox + "/stderr.txt", encoding: .utf8)) ?? ""
                log("\(name) run \(i + 1) failed: \(error)\nstderr:\n\(text.suffix(3000))")
                throw error
            }
            log(
                "\(name) run \(i + 1): tools/list at \(Stats.fixed(sample.toolsListMillis)) ms, "
                    + "idle RSS \(Stats.fixed(Double(sample.idleRSSBytes) / 1_048_576)) MiB")
            samples.append(sample)
        }
        return Summary(name: name, samples: samples)
    }

    /// Spawn → initialize → initialized + tools/list → VmRSS after `idleMillis` idle → close stdin → reap.
    static func once(_ path: String, _ arguments: [String], env: [String: String], stderrPath: String, idleMillis: Int) throws
        -> Sample
    {
        let session = try StdioSession(path, arguments, environment: env, stderrPath: stderrPath)
        var reaped = false
        defer { if !reaped { _ = session.closeAndReap(graceSeconds: 0) } }
        try session.send([
            "jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": [
                "protocolVersion": "2025-06-18", "capabilities": [:], "clientInfo": ["name": "quilt-bench", "version": "1"],
            ],
        ])
        let initialized = try session.response(id: 1, timeoutSeconds: 60)
        try session.send(["jsonrpc": "2.0", "method": "notifications/initialized"])
        try session.send(["jsonrpc": "2.0", "id": 2, "method": "tools/list"])
        let listed = try session.response(id: 2, timeoutSeconds: 60)
        let tools = listed.message["result"]?["tools"]?.arrayValue?.count ?? 0
        guard tools > 0 else { throw SpawnError(description: "tools/list returned no tools: \(listed.message)") }
        let cpuBefore = session.cpuTicks() ?? 0
        if idleMillis > 0 { usleep(UInt32(idleMillis) * 1000) }
        let rss = session.residentBytes() ?? 0
        let anon = session.residentBytes("RssAnon") ?? 0
        let cpuAfter = session.cpuTicks() ?? 0
        let exit = session.closeAndReap(graceSeconds: 10)
        reaped = true
        return Sample(
            initializeMillis: Double(initialized.at - session.spawnedAt) / 1e6,
            toolsListMillis: Double(listed.at - session.spawnedAt) / 1e6, tools: tools, idleRSSBytes: rss, idleAnonBytes: anon,
            idleCPUTicks: cpuAfter - cpuBefore, exitStatus: exit.status, exitedOnEOF: exit.clean && exit.status == 0)
    }

    static func report(ours: Summary, peer: Summary?, peerSkipped: String?, idleMillis: Int, json: Bool) {
        let timeOK = ours.medianMillis <= targetMillis
        let rssOK = Int64(ours.maxRSSMiB * 1_048_576) <= targetRSSBytes
        if json {
            var out: JSONObject = [
                "benchmark": "startup", "date": .string(MachineInfo.date()), "machine": .string(MachineInfo.describe()),
                "idle_ms": .number(JSONNumber(idleMillis)), "ours": ours.json,
                "peer": peer?.json ?? .object(["skipped": .string(peerSkipped ?? "unknown")]),
                "targets": [
                    "tools_list_median_ms_max": Stats.number(targetMillis),
                    "idle_rss_bytes_max": .number(JSONNumber(targetRSSBytes)), "time_met": .bool(timeOK), "rss_met": .bool(rssOK),
                ],
            ]
            if let peer {
                out["ratio_peer_over_ours"] = [
                    "tools_list_median": Stats.number(peer.medianMillis / ours.medianMillis),
                    "idle_rss_median": Stats.number(peer.medianRSSMiB / ours.medianRSSMiB),
                ]
            }
            emit(JSONWriter.pretty(.object(out)))
            return
        }
        emit("startup benchmark — \(MachineInfo.date()), \(MachineInfo.describe())")
        emit("each run a fresh process over stdio: initialize, then initialized + tools/list; idle RSS \(idleMillis) ms later")
        emit("")
        var rows: [[String]] = []
        for s in [ours] + (peer.map { [$0] } ?? []) {
            rows.append([
                s.name, String(s.samples.first?.tools ?? 0), Stats.fixed(s.listMillis.first ?? .nan),
                Stats.fixed(s.medianMillis), Stats.fixed(s.listMillis.last ?? .nan), Stats.fixed(s.medianRSSMiB),
                Stats.fixed(s.maxRSSMiB), Stats.fixed(s.medianAnonMiB), String(s.samples.map(\.idleCPUTicks).max() ?? 0),
                s.samples.allSatisfy(\.exitedOnEOF) ? "yes" : "no",
            ])
        }
        if let peer {
            rows.append([
                "ratio Python / Swift", "", "", Stats.fixed(peer.medianMillis / ours.medianMillis, 0) + "x", "",
                Stats.fixed(peer.medianRSSMiB / ours.medianRSSMiB, 1) + "x", "", "", "", "",
            ])
        }
        emit(
            Stats.table(
                ["server", "tools", "min ms", "median ms", "max ms", "idle RSS MiB", "max RSS MiB", "private MiB", "idle CPU ticks",
                 "exit on EOF"],
                rows))
        emit("(ms: spawn → tools/list response read; RSS: /proc/<pid>/status VmRSS while idle, of which private = RssAnon;")
        emit(" idle CPU: clock ticks the server used during the idle wait)")
        if let peerSkipped { emit("peer skipped: \(peerSkipped)") }
        emit(
            "target (ours): median ≤ \(Int(targetMillis)) ms: \(timeOK ? "met" : "MISSED") (\(Stats.fixed(ours.medianMillis)) ms); "
                + "idle RSS ≤ 25 MB: \(rssOK ? "met" : "MISSED") (\(Stats.fixed(ours.maxRSSMiB * 1.048576)) MB max)")
    }
}
