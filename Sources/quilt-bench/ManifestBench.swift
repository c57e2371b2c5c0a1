import Foundation
import QuiltJSON
import QuiltMode

/// `quilt-bench manifest`: open + browse one directory + verify the top hash of a large local package, in a fresh
/// process, for this package (RegistryEngine) and for quilt3 8.0.0.
enum ManifestBench {
    static let targetMillis = 150.0
    static let targetRSSBytes: Int64 = 80_000_000

    static let usage = """
        quilt-bench manifest [--entries 100000] [--dir /tmp/quilt-bench-registry] [--path data/part-0042]
                               [--runs 5] [--warmup 1] [--python python3] [--peer-script PATH]
                               [--skip-peer] [--json] [--cli PATH]

        --cli PATH  measure the whole `PATH --registry file://DIR call package_browse` process (the shipped
                    binary, as a user runs it) instead of `quilt-bench browse-once` (the engine alone).
        """

    /// Runs `body` with a fresh scratch directory (removed after) and this process's environment to adjust.
    static func inScratch(_ label: String, _ body: (String, inout [String: String]) throws -> ChildRun) throws -> ChildRun {
        let scratch = try LocalDirs.makeTemp(label)
        defer { LocalDirs.remove(scratch) }
        var env = ProcessEnvironment.current()
        return try body(scratch, &env)
    }

    static func run(_ arguments: [String]) throws -> Int32 {
        let args = try Args(
            arguments, valued: ["entries", "dir", "path", "runs", "warmup", "python", "peer-script", "cli"],
            boolean: ["json", "skip-peer"])
        let entries = try args.int("entries", default: 100_000, range: 1...10_000_000)
        let runs = try args.int("runs", default: 5, range: 1...100)
        let warmup = try args.int("warmup", default: 1, range: 0...10)
        var dir = args.string("dir") ?? "/tmp/quilt-bench-registry"
        if !dir.hasPrefix("/") { dir = FileManager.default.currentDirectoryPath + "/" + dir }
        while dir.count > 1 && dir.hasSuffix("/") { dir.removeLast() }
        let path = args.string("path") ?? Fixture.browsePath(entries: entries)
        let me = Spawner.selfExecutable()

        // 1. The fixture (generated in a child so this process stays small; see Spawner's RSS caveat).
        var fixture = Fixture.cached(in: dir, entries: entries)
        if fixture == nil {
            log("generating a \(entries)-entry package in \(dir) …")
            let gen = try Spawner.run(me, ["generate-fixture", dir, String(entries)], captureStdout: false)
            guard gen.ok else { throw SpawnError(description: "fixture generation failed (exit \(gen.exitCode))") }
            fixture = Fixture.cached(in: dir, entries: entries)
        } else {
            log("reusing the \(entries)-entry package in \(dir)")
        }
        guard let fixture else { throw SpawnError(description: "the fixture in \(dir) is unreadable after generation") }
        log("manifest \(fixture.manifestPath) (\(Stats.fixed(Double(fixture.manifestBytes) / 1e6)) MB), browsing '\(path)'")

        let baseline = Spawner.baseline()
        if let baseline {
            log("spawn baseline: /bin/true reports \(Stats.fixed(baseline.maxRSSMiB)) MiB peak RSS (the floor under every figure)")
        }

        // 2. Ours: the engine in a small child, or with --cli the whole command a user runs.
        var ourDetail: JSONValue? = nil
        let ours: RunSummary
        if let cli = args.string("cli") {
            let call: JSONValue = ["package_name": .string(Fixture.package), "path": .string(path), "recursive": false]
            ours = try measure(
                tool: "quilt-mcp call package_browse (\(cli))", runs: runs, warmup: warmup,
                spawn: {
                    try inScratch("quilt-bench-cli") { scratch, env in
                        env["HOME"] = scratch  // no quilt3 login or AWS profile of the machine's
                        return try Spawner.run(cli, ["--registry", "file://" + dir, "call", "package_browse", JSONWriter.compact(call)], environment: env)
                    }
                },
                check: { run in
                    guard let v = try? JSONParser.parse(run.stdout) else { return "unreadable output: \(run.stdoutText)" }
                    guard v["top_hash"]?.stringValue == fixture.topHash else { return "wrong top hash in \(run.stdoutText.prefix(300))" }
                    ourDetail = .object(["entries": .number(JSONNumber(v["entries"]?.arrayValue?.count ?? 0))])
                    return nil
                })
        } else {
            ours = try measure(
                tool: "quilt-bench (Swift RegistryEngine)", runs: runs, warmup: warmup,
                spawn: { try Spawner.run(me, ["browse-once", dir, Fixture.package, path]) },
                check: { run in
                    guard let v = try? JSONParser.parse(run.stdout) else { return "unreadable output: \(run.stdoutText)" }
                    guard v["top_hash"]?.stringValue == fixture.topHash else { return "wrong top hash in \(run.stdoutText)" }
                    ourDetail = v
                    return nil
                })
        }

        // 3. The peer.
        var peer: RunSummary? = nil
        var peerDetail: JSONValue? = nil
        var peerSkipped: String? = nil
        if args.flag("skip-peer") {
            peerSkipped = "--skip-peer given"
        } else {
            switch Peer.locate(python: args.string("python"), script: args.string("peer-script")) {
            case .failure(let reason):
                peerSkipped = reason.description
            case .success(let p):
                log("peer: \(p.python) with quilt3 \(p.version), script \(p.script)")
                if p.version != "8.0.0" { log("note: quilt3 is \(p.version), the issue's figure is for 8.0.0") }
                peer = try measure(
                    tool: "quilt3 \(p.version) (Python \(p.pythonVersion))", runs: runs, warmup: warmup,
                    spawn: {
                        try inScratch("quilt-bench-xdg") { scratch, env in
                            env["QUILT_DISABLE_USAGE_METRICS"] = "true"
                            env["QUILT_DISABLE_CACHE"] = "true"
                            env["XDG_DATA_HOME"] = scratch + "/data"
                            env["XDG_CACHE_HOME"] = scratch + "/cache"
                            env["XDG_CONFIG_HOME"] = scratch + "/config"
                            let r = try Spawner.run(
                                p.python, [p.script, dir, Fixture.package, path], environment: env,
                                stderrPath: scratch + "/stderr.txt")
                            if !r.ok, let text = try? String(contentsOfFile: scratch + "/stderr.txt", encoding: .utf8) {
                                log("quilt3 stderr:\n" + String(text.suffix(4000)))
                            }
                            return r
                        }
                    },
                    check: { run in
                        guard let v = try? JSONParser.parse(run.stdout) else {
                            return "unreadable output: \(run.stdoutText)"
                        }
                        guard v["top_hash"]?.stringValue == fixture.topHash else {
                            return "quilt3 computed another top hash: \(run.stdoutText)"
                        }
                        peerDetail = v
                        return nil
                    })
            }
        }
        if let peerSkipped {
            log("peer skipped: \(peerSkipped)")
        }
        if let a = ourDetail?["entries"]?.intValue, let b = peerDetail?["entries"]?.intValue, a != b {
            log("WARNING: the listings differ: ours has \(a) rows, quilt3 \(b)")
        }

        // 4. Report.
        let timeOK = ours.medianMillis <= targetMillis
        let rssOK = ours.runs.map(\.maxRSSBytes).max() ?? .max <= targetRSSBytes
        if args.flag("json") {
            var out: JSONObject = [
                "benchmark": "manifest",
                "date": .string(MachineInfo.date()),
                "machine": .string(MachineInfo.describe()),
                "fixture": .object([
                    "registry": .string(fixture.registryURL), "package": .string(Fixture.package),
                    "entries": .number(JSONNumber(fixture.entries)),
                    "manifest_bytes": .number(JSONNumber(fixture.manifestBytes)),
                    "top_hash": .string(fixture.topHash), "path": .string(path),
                ]),
                "spawn_baseline_rss_mib": baseline.map { Stats.number($0.maxRSSMiB) } ?? .null,
                "ours": ours.json,
                "ours_child": ourDetail ?? .null,
            ]
            if let peer {
                out["peer"] = peer.json
                out["peer_child"] = peerDetail ?? .null
                out["ratio_peer_over_ours"] = .object([
                    "min_ms": Stats.number(peer.minMillis / ours.minMillis),
                    "median_ms": Stats.number(peer.medianMillis / ours.medianMillis),
                    "peak_rss": Stats.number(peer.maxRSSMiB / ours.maxRSSMiB),
                    "self_vm_hwm": Stats.number(peer.maxSelfHWMMiB / ours.maxSelfHWMMiB),
                ])
            } else {
                out["peer"] = .object(["skipped": .string(peerSkipped ?? "unknown")])
            }
            out["targets"] = .object([
                "median_ms_max": Stats.number(targetMillis), "peak_rss_bytes_max": .number(JSONNumber(targetRSSBytes)),
                "time_met": .bool(timeOK), "rss_met": .bool(rssOK),
            ])
            emit(JSONWriter.pretty(.object(out)))
            return 0
        }

        emit("manifest benchmark — \(MachineInfo.date()), \(MachineInfo.describe())")
        emit(
            "package \(Fixture.package): \(fixture.entries) entries, manifest \(Stats.fixed(Double(fixture.manifestBytes) / 1e6)) MB, "
                + "browse '\(path)' (one level, \(ourDetail?["entries"]?.intValue ?? -1) rows), top hash verified; "
                + "\(runs) runs after \(warmup) warm-up, each a fresh process")
        var rows: [[String]] = []
        for s in [ours] + (peer.map { [$0] } ?? []) {
            rows.append([
                s.tool, Stats.fixed(s.minMillis), Stats.fixed(s.medianMillis), Stats.fixed(s.medianCPUMillis),
                Stats.fixed(s.maxRSSMiB), Stats.fixed(s.maxSelfHWMMiB),
            ])
        }
        if let peer {
            rows.append([
                "ratio quilt3 / ours", Stats.fixed(peer.minMillis / ours.minMillis, 1) + "x",
                Stats.fixed(peer.medianMillis / ours.medianMillis, 1) + "x",
                Stats.fixed(peer.medianCPUMillis / ours.medianCPUMillis, 1) + "x",
                Stats.fixed(peer.maxRSSMiB / ours.maxRSSMiB, 1) + "x",
                Stats.fixed(peer.maxSelfHWMMiB / ours.maxSelfHWMMiB, 1) + "x",
            ])
        }
        emit("")
        emit(Stats.table(["tool", "min ms", "median ms", "median CPU ms", "peak RSS MiB", "VmHWM MiB"], rows))
        emit("(wall time: spawn → exit; CPU: user+sys; peak RSS: wait4 ru_maxrss; VmHWM: the child's own")
        emit(" /proc/self/status at exit, which excludes the spawner floor below)")
        emit("")
        if let peerSkipped {
            emit("peer skipped: \(peerSkipped)")
        }
        if let d = ourDetail?["browse_ms"]?.doubleValue {
            emit("ours, inside the child: browse call \(Stats.fixed(d)) ms (last run)")
        }
        if let d = peerDetail {
            let f = { (k: String) in Stats.fixed(d[k]?.doubleValue ?? .nan) }
            emit("quilt3, inside the child: import \(f("import_ms")) ms, browse \(f("browse_ms")) ms, list \(f("list_ms")) ms, verify top hash \(f("verify_ms")) ms (last run)")
        }
        if let baseline {
            emit("spawn baseline (/bin/true) peak RSS: \(Stats.fixed(baseline.maxRSSMiB)) MiB")
        }
        emit(
            "target (ours): median ≤ \(Int(targetMillis)) ms: \(timeOK ? "met" : "MISSED") (\(Stats.fixed(ours.medianMillis)) ms); "
                + "peak RSS ≤ 80 MB: \(rssOK ? "met" : "MISSED") (\(Stats.fixed(Double(ours.runs.map(\.maxRSSBytes).max() ?? 0) / 1e6)) MB)")
        return 0
    }

    /// Runs `spawn` `warmup` times unrecorded, then `runs` times, failing on a bad exit or a failed `check`.
    static func measure(
        tool: String, runs: Int, warmup: Int, spawn: () throws -> ChildRun, check: (ChildRun) -> String?
    ) throws -> RunSummary {
        var summary = RunSummary(tool: tool, runs: [])
        for i in 0..<(warmup + runs) {
            var r = try spawn()
            if let v = try? JSONParser.parse(r.stdout), let k = v["vm_hwm_kib"]?.intValue {
                r.selfHWMBytes = Int64(k) * 1024
            }
            guard r.ok else {
                throw SpawnError(
                    description: "\(tool) failed (exit \(r.exitCode)\(r.signal.map { ", signal \($0)" } ?? "")): \(r.stdoutText)")
            }
            if let problem = check(r) { throw SpawnError(description: "\(tool): \(problem)") }
            let label = i < warmup ? "warm-up" : "run \(i - warmup + 1)/\(runs)"
            log(
                "\(tool) \(label): \(Stats.fixed(r.wallMillis)) ms (CPU \(Stats.fixed((r.userSeconds + r.systemSeconds) * 1000))), \(Stats.fixed(r.maxRSSMiB)) MiB (wait4), "
                    + "\(Stats.fixed(r.selfHWMBytes.map { Double($0) / 1_048_576 } ?? .nan)) MiB (VmHWM)")
            if i >= warmup { summary.runs.append(r) }
        }
        return summary
    }
}

/// Finding python3 with quilt3 and the peer script.
enum Peer {
    struct Found {
        var python: String
        var pythonVersion: String
        var version: String
        var script: String
    }

    static let installHint = "install it with `python3 -m pip install quilt3==8.0.0` (or pass --python /path/to/python3)"

    static func locate(python: String?, script: String?) -> Result<Found, PeerMissing> {
        let requested = python ?? ProcessEnvironment.current()["QUILT_BENCH_PYTHON"] ?? "python3"
        guard let launcher = Spawner.which(requested) else {
            return .failure(PeerMissing("\(requested) not found on PATH; \(installHint)"))
        }
        // Resolve the real interpreter (pyenv and similar shims would add their own start-up to every run).
        let probe = """
            import sys, platform
            try:
                import importlib.metadata as m
                v = m.version('quilt3')
            except Exception:
                v = ''
            print(sys.executable); print(platform.python_version()); print(v)
            """
        guard let r = try? Spawner.run(launcher, ["-c", probe]), r.ok else {
            return .failure(PeerMissing("\(launcher) did not run; \(installHint)"))
        }
        let lines = r.stdoutText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 3 else { return .failure(PeerMissing("\(launcher) gave unexpected output; \(installHint)")) }
        guard !lines[2].isEmpty else {
            return .failure(PeerMissing("quilt3 is not installed for \(launcher); \(installHint)"))
        }
        let exe = lines[0].isEmpty ? launcher : lines[0]
        guard let scriptPath = script ?? findScript() else {
            return .failure(PeerMissing("Benchmarks/quilt3_browse.py not found; run from the package root or pass --peer-script"))
        }
        return .success(Found(python: exe, pythonVersion: lines[1], version: lines[2], script: scriptPath))
    }

    struct PeerMissing: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    /// `Benchmarks/quilt3_browse.py` in the current directory or above the executable (`.build/<triple>/release`).
    static func findScript() -> String? {
        let name = "Benchmarks/quilt3_browse.py"
        var candidates = [FileManager.default.currentDirectoryPath + "/" + name]
        var dir = (Spawner.selfExecutable() as NSString).deletingLastPathComponent
        for _ in 0..<5 {
            dir = (dir as NSString).deletingLastPathComponent
            candidates.append(dir + "/" + name)
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }
}
