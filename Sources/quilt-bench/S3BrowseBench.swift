#if canImport(Glibc)
    import Glibc
#endif
import Foundation
import QuiltHTTP
import QuiltJSON
import QuiltMode
import QuiltContract
import QuiltRegistry
import QuiltS3
import QuiltStorage

/// `quilt-bench s3-browse`: browse one directory of a 100k-entry package stored in S3 (moto on loopback), in a
/// fresh process per run, for this package (RegistryEngine over S3Storage) and for quilt3's `Package.browse`.
enum S3BrowseBench {
    static let bucket = "quilt-bench-s3"

    static let usage = """
        quilt-bench s3-browse [--entries 100000] [--dir /tmp/quilt-bench-registry] [--path data/part-0042]
                                [--endpoint http://127.0.0.1:PORT] [--runs 5] [--warmup 1] [--python python3]
                                [--skip-peer] [--json]
        """

    static func run(_ arguments: [String]) throws -> Int32 {
        let args = try Args(
            arguments, valued: ["entries", "dir", "path", "runs", "warmup", "python", "endpoint"], boolean: ["json", "skip-peer"])
        let entries = try args.int("entries", default: 100_000, range: 1...10_000_000)
        let runs = try args.int("runs", default: 5, range: 1...100)
        let warmup = try args.int("warmup", default: 1, range: 0...10)
        var dir = args.string("dir") ?? "/tmp/quilt-bench-registry"
        if !dir.hasPrefix("/") { dir = FileManager.default.currentDirectoryPath + "/" + dir }
        let path = args.string("path") ?? Fixture.browsePath(entries: entries)
        let me = Spawner.selfExecutable()

        // 1. The emulator.
        var motoPID: Int32? = nil
        let endpoint: String
        if let e = args.string("endpoint") {
            endpoint = e
        } else {
            guard let script = locate("Fixtures/s3/moto.sh") else { throw SpawnError(description: "Fixtures/s3/moto.sh not found; pass --endpoint") }
            let started = try Spawner.run("/bin/bash", [script])
            let parts = started.stdoutText.split(whereSeparator: { $0 == " " || $0 == "\n" })
            guard started.ok, parts.count >= 2, let port = Int(parts[0]), let pid = Int32(parts[1]) else {
                throw SpawnError(description: "moto did not start: \(started.stdoutText)")
            }
            endpoint = "http://127.0.0.1:\(port)"
            motoPID = pid
            log("moto_server on \(endpoint) (pid \(pid))")
        }
        defer { if let motoPID { kill(motoPID, SIGTERM) } }

        // 2. The package: generated locally (cached), uploaded by a child so this process stays small.
        var fixture = Fixture.cached(in: dir, entries: entries)
        if fixture == nil {
            log("generating a \(entries)-entry package in \(dir) …")
            let gen = try Spawner.run(me, ["generate-fixture", dir, String(entries)], captureStdout: false)
            guard gen.ok else { throw SpawnError(description: "fixture generation failed (exit \(gen.exitCode))") }
            fixture = Fixture.cached(in: dir, entries: entries)
        }
        guard let fixture else { throw SpawnError(description: "the fixture in \(dir) is unreadable") }
        let upload = try Spawner.run(me, ["s3-upload-fixture", endpoint, bucket, dir, fixture.topHash], captureStdout: false)
        guard upload.ok else { throw SpawnError(description: "uploading the fixture failed (exit \(upload.exitCode))") }
        log("s3://\(bucket): manifest \(Stats.fixed(Double(fixture.manifestBytes) / 1e6)) MB, browsing '\(path)'")
        let baseline = Spawner.baseline()

        // 3. Ours.
        var ourDetail: JSONValue? = nil
        let ours = try ManifestBench.measure(
            tool: "quilt-bench (Swift RegistryEngine on S3)", runs: runs, warmup: warmup,
            spawn: { try Spawner.run(me, ["s3-browse-once", endpoint, bucket, Fixture.package, path]) },
            check: { run in
                guard let v = try? JSONParser.parse(run.stdout), v["top_hash"]?.stringValue == fixture.topHash else {
                    return "wrong output: \(run.stdoutText)"
                }
                ourDetail = v
                return nil
            })

        // 4. quilt3 on the same bucket, in the same run.
        var peer: RunSummary? = nil
        var peerDetail: JSONValue? = nil
        var skipped: String? = args.flag("skip-peer") ? "--skip-peer given" : nil
        if skipped == nil {
            switch Peer.locate(python: args.string("python"), script: locate("Benchmarks/quilt3_browse_s3.py")) {
            case .failure(let reason): skipped = reason.description
            case .success(let p):
                peer = try ManifestBench.measure(
                    tool: "quilt3 \(p.version) (Python \(p.pythonVersion))", runs: runs, warmup: warmup,
                    spawn: {
                        let scratch = try LocalDirs.makeTemp("quilt-bench-s3")
                        defer { LocalDirs.remove(scratch) }
                        var env = ProcessEnvironment.current().filter { !$0.key.hasPrefix("AWS_") }
                        env["QUILT_DISABLE_USAGE_METRICS"] = "true"
                        env["QUILT_DISABLE_CACHE"] = "true"
                        env["QUILT_MINIMIZE_STDOUT"] = "true"  // no progress bars
                        env["XDG_DATA_HOME"] = scratch + "/data"
                        env["XDG_CACHE_HOME"] = scratch + "/cache"
                        env["XDG_CONFIG_HOME"] = scratch + "/config"
                        env["HOME"] = scratch
                        env["AWS_ENDPOINT_URL"] = endpoint
                        env["AWS_ACCESS_KEY_ID"] = "bench-key-id"
                        env["AWS_SECRET_ACCESS_KEY"] = "bench-secret"
                        env["AWS_DEFAULT_REGION"] = "us-east-1"
                        return try Spawner.run(p.python, [p.script, bucket, Fixture.package, path], environment: env)
                    },
                    check: { run in
                        guard let v = try? JSONParser.parse(run.stdout), v["top_hash"]?.stringValue == fixture.topHash else {
                            return "quilt3: \(run.stdoutText)"
                        }
                        peerDetail = v
                        return nil
                    })
            }
        }
        if let a = ourDetail?["entries"]?.intValue, let b = peerDetail?["entries"]?.intValue, a != b {
            log("WARNING: the listings differ: ours has \(a) rows, quilt3 \(b)")
        }

        // 5. Report.
        if args.flag("json") {
            var out: JSONObject = [
                "benchmark": "s3-browse", "date": .string(MachineInfo.date()), "machine": .string(MachineInfo.describe()),
                "endpoint": .string(endpoint), "bucket": .string(bucket), "entries": .number(JSONNumber(fixture.entries)),
                "manifest_bytes": .number(JSONNumber(fixture.manifestBytes)), "path": .string(path),
                "spawn_baseline_rss_mib": baseline.map { Stats.number($0.maxRSSMiB) } ?? .null,
                "ours": ours.json, "ours_child": ourDetail ?? .null,
            ]
            if let peer {
                out["peer"] = peer.json
                out["peer_child"] = peerDetail ?? .null
                out["ratio_peer_over_ours"] = .object([
                    "median_ms": Stats.number(peer.medianMillis / ours.medianMillis), "peak_rss": Stats.number(peer.maxRSSMiB / ours.maxRSSMiB),
                ])
            } else {
                out["peer"] = .object(["skipped": .string(skipped ?? "unknown")])
            }
            emit(JSONWriter.pretty(.object(out)))
            return 0
        }
        emit("s3-browse benchmark — \(MachineInfo.date()), \(MachineInfo.describe())")
        emit(
            "s3://\(bucket) on moto (\(endpoint)): \(Fixture.package), \(fixture.entries) entries, manifest \(Stats.fixed(Double(fixture.manifestBytes) / 1e6)) MB; "
                + "browse '\(path)' (one level, \(ourDetail?["entries"]?.intValue ?? -1) rows), top hash verified; \(runs) runs after \(warmup) warm-up, each a fresh process")
        var rows: [[String]] = []
        for s in [ours] + (peer.map { [$0] } ?? []) {
            rows.append([s.tool, Stats.fixed(s.minMillis), Stats.fixed(s.medianMillis), Stats.fixed(s.medianCPUMillis), Stats.fixed(s.maxRSSMiB), Stats.fixed(s.maxSelfHWMMiB)])
        }
        if let peer {
            rows.append([
                "ratio quilt3 / ours", Stats.fixed(peer.minMillis / ours.minMillis, 1) + "x", Stats.fixed(peer.medianMillis / ours.medianMillis, 1) + "x",
                Stats.fixed(peer.medianCPUMillis / ours.medianCPUMillis, 1) + "x", Stats.fixed(peer.maxRSSMiB / ours.maxRSSMiB, 1) + "x",
                Stats.fixed(peer.maxSelfHWMMiB / ours.maxSelfHWMMiB, 1) + "x",
            ])
        }
        emit("")
        emit(Stats.table(["tool", "min ms", "median ms", "median CPU ms", "peak RSS MiB", "VmHWM MiB"], rows))
        emit("(wall: spawn → exit, manifest download included; peak RSS: wait4 ru_maxrss; VmHWM: the child's own at exit)")
        if let skipped { emit("peer skipped: \(skipped)") }
        if let d = ourDetail?["browse_ms"]?.doubleValue { emit("ours, inside the child: browse call \(Stats.fixed(d)) ms (last run)") }
        if let d = peerDetail {
            let f = { (k: String) in Stats.fixed(d[k]?.doubleValue ?? .nan) }
            emit("quilt3, inside the child: import \(f("import_ms")) ms, browse \(f("browse_ms")) ms, list \(f("list_ms")) ms, verify \(f("verify_ms")) ms (last run)")
        }
        if let baseline { emit("spawn baseline (/bin/true) peak RSS: \(Stats.fixed(baseline.maxRSSMiB)) MiB") }
        if let peer {
            let fast = peer.medianMillis / ours.medianMillis >= 10
            let small = ours.maxRSSMiB <= peer.maxRSSMiB / 4
            emit("goal: ≥ 10× faster: \(fast ? "met" : "MISSED"); ≤ ¼ the memory: \(small ? "met" : "MISSED")")
        }
        return 0
    }

    /// `relative` in the current directory or above the executable.
    static func locate(_ relative: String) -> String? {
        var candidates = [FileManager.default.currentDirectoryPath + "/" + relative]
        var d = (Spawner.selfExecutable() as NSString).deletingLastPathComponent
        for _ in 0..<5 {
            d = (d as NSString).deletingLastPathComponent
            candidates.append(d + "/" + relative)
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }

    // MARK: - Children

    static func client(_ endpoint: String) throws -> S3Client {
        guard let url = HTTPURL(endpoint) else { throw SpawnError(description: "\(endpoint) is not an http(s) URL") }
        return S3Client(
            transport: LiveHTTPTransport.shared,
            credentials: StaticCredentialsProvider(AWSCredentials(accessKeyId: "bench-key-id", secretAccessKey: "bench-secret", source: "bench")),
            configuration: S3Configuration(region: "us-east-1", endpoint: url))
    }

    /// `quilt-bench s3-upload-fixture <endpoint> <bucket> <registryDir> <topHash>`: the manifest and pointers,
    /// unless `latest` already names `topHash`.
    static func upload(_ a: [String]) async throws -> Int32 {
        guard a.count == 4 else { log("usage: quilt-bench s3-upload-fixture <endpoint> <bucket> <registryDir> <topHash>"); return 2 }
        let (s3, bucket, dir, hash) = (try client(a[0]), a[1], a[2], a[3])
        let latestKey = ".quilt/named_packages/\(Fixture.package)/latest"
        if let (_, bytes) = try? await s3.getObject(bucket: bucket, key: latestKey), String(decoding: bytes, as: UTF8.self) == hash {
            log("s3://\(bucket) already holds \(hash.prefix(12))")
            return 0
        }
        do { try await s3.createBucket(bucket) } catch .conflict {}
        let storage = try S3Storage(bucket: bucket, client: s3)
        _ = try await storage.putFile(".quilt/packages/\(hash)", fromPath: dir + "/.quilt/packages/" + hash)
        _ = try await s3.putObject(bucket: bucket, key: ".quilt/named_packages/\(Fixture.package)/1795282874", bytes: Array(hash.utf8))
        _ = try await s3.putObject(bucket: bucket, key: latestKey, bytes: Array(hash.utf8))
        log("uploaded the manifest and pointers to s3://\(bucket)")
        return 0
    }

    /// The measured child: `quilt-bench s3-browse-once <endpoint> <bucket> <package> <path>`; prints one JSON line
    /// like `browse-once`.
    static func browseOnce(_ a: [String]) async -> Int32 {
        guard a.count == 4 else { log("usage: quilt-bench s3-browse-once <endpoint> <bucket> <package> <path>"); return 2 }
        let started = Spawner.now()
        do {
            let registry = try RegistryURL.s3(a[1])
            let engine = RegistryEngine(
                backendID: "s3", resolver: S3StorageResolver(client: try client(a[0]), local: LocalStorageResolver(files: .allowed)),
                knownRegistries: [registry])
            let result = try await engine.browse(
                BrowseRequest(package: try PackageName(a[2]), registry: registry, revision: .latest, path: a[3], recursive: false, page: .first))
            let files = result.entries.filter { $0.kind == .file }.count
            emit(JSONWriter.compact(.object([
                "entries": .number(JSONNumber(result.entries.count)), "files": .number(JSONNumber(files)),
                "directories": .number(JSONNumber(result.entries.count - files)), "top_hash": .string(result.revision.hash.rawValue),
                "browse_ms": Stats.number(Double(Spawner.now() - started) / 1e6),
                "vm_hwm_kib": SelfMemory.peakKiB().map { .number(JSONNumber($0)) } ?? .null,
            ])))
            return 0
        } catch {
            log("s3-browse-once failed: \(error)")
            return 1
        }
    }
}
