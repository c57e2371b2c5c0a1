import Foundation
import QuiltContract
import QuiltJSON
import QuiltManifest
import QuiltStorage

/// `quilt-bench profile-manifest`: where the time of one browse goes, measured in-process as cumulative passes
/// over the same manifest (each pass adds one stage of what `RegistryEngine.browse` does; best of `--runs`).
enum ManifestProfile {
    static let usage = "quilt-bench profile-manifest [--entries 100000] [--dir /tmp/quilt-bench-registry] [--runs 5] [--only 1,2,P0,…] [--json]"

    struct Pass {
        var name: String
        var body: @Sendable (String) async throws -> Int
    }

    static func run(_ arguments: [String]) async throws -> Int32 {
        let args = try Args(arguments, valued: ["entries", "dir", "runs", "path", "only"], boolean: ["json"])
        let entries = try args.int("entries", default: 100_000, range: 1...10_000_000)
        let runs = try args.int("runs", default: 5, range: 1...50)
        let dir = args.string("dir") ?? "/tmp/quilt-bench-registry"
        let path = args.string("path") ?? Fixture.browsePath(entries: entries)
        guard let fixture = Fixture.cached(in: dir, entries: entries) else {
            throw SpawnError(description: "no \(entries)-entry fixture in \(dir); run `quilt-bench manifest` first")
        }
        let manifest = fixture.manifestPath

        let passes: [Pass] = [
            Pass(name: "1 read (FileChunkReader, 1 MiB chunks)") { p in
                let r = try FileChunkReader(path: p, objectURL: p)
                var n = 0
                while let c = try await r.next() { n += c.count }
                return n
            },
            Pass(name: "2 + split lines (LineSplitter)") { p in
                var lines = 0
                try await forEachLine(p) { _ in lines += 1 }
                return lines
            },
            Pass(name: "3 + JSON parse (JSONParser.parse)") { p in
                var n = 0
                try await forEachLine(p) { line in
                    if case .object(let o) = try JSONParser.parse(line) { n += o.count }
                }
                return n
            },
            Pass(name: "4 + records (ManifestParser.parse: JSON + PhysicalKey + entry)") { p in
                var n = 0
                var first = true
                try await forEachLine(p) { line in
                    _ = try ManifestParser.parse(line, lineNumber: first ? 1 : 2)
                    first = false
                    n += 1
                }
                return n
            },
            Pass(name: "5 + hashRecord + CanonicalJSON.append") { p in
                var n = 0
                var first = true
                var scratch: [UInt8] = []
                scratch.reserveCapacity(512)
                try await forEachLine(p) { line in
                    let r = try ManifestParser.parse(line, lineNumber: first ? 1 : 2)
                    first = false
                    if case .entry(let e) = r {
                        scratch.removeAll(keepingCapacity: true)
                        CanonicalJSON.append(e.hashRecord, to: &scratch)
                        n += scratch.count
                    }
                }
                return n
            },
            Pass(name: "6 + SHA-256 (TopHasher.add = tree-order check + canonical + SHA)") { p in
                var hasher: TopHasher? = nil
                var first = true
                try await forEachLine(p) { line in
                    let r = try ManifestParser.parse(line, lineNumber: first ? 1 : 2)
                    first = false
                    switch r {
                    case .header(let h): hasher = TopHasher(header: h)
                    case .entry(let e): hasher?.add(e)
                    case .directory: break
                    }
                }
                return hasher == nil ? 0 : 1
            },
            Pass(name: "7 RegistryEngine.browse (everything, in-process)") { _ in
                let r = try await BrowseOnce.browse(directory: dir, package: Fixture.package, path: path)
                return r.entries.count
            },
        ]

        var results: [(String, Double, Int)] = []
        let only = args.string("only").map { $0.split(separator: ",").map(String.init) }
        for pass in passes where only.map({ names in names.contains { pass.name.hasPrefix($0 + " ") } }) ?? true {
            var best = Double.infinity
            var out = 0
            for _ in 0..<runs {
                let t0 = Spawner.now()
                out = try await pass.body(manifest)
                best = min(best, Double(Spawner.now() - t0) / 1e6)
            }
            log("\(pass.name): \(Stats.fixed(best)) ms (\(out))")
            results.append((pass.name, best, out))
        }

        if args.flag("json") {
            emit(JSONWriter.pretty(.array(results.map {
                .object(["pass": .string($0.0), "best_ms": Stats.number($0.1), "output": .number(JSONNumber($0.2))])
            })))
            return 0
        }
        emit("browse profile — \(fixture.entries) entries, \(Stats.fixed(Double(fixture.manifestBytes) / 1e6)) MB, best of \(runs), in-process")
        emit("")
        var rows: [[String]] = []
        var previous = 0.0
        for (i, r) in results.enumerated() {
            let cumulative = i >= 1 && i <= 5
            rows.append([r.0, Stats.fixed(r.1), cumulative ? Stats.fixed(r.1 - previous) : ""])
            previous = r.1
        }
        emit(Stats.table(["pass (1-6 cumulative)", "ms", "stage ms"], rows))
        var start: [Double] = []
        for _ in 0..<5 {
            let r = try Spawner.run(Spawner.selfExecutable(), ["help"])
            start.append(r.wallMillis)
        }
        emit("")
        emit("process start + exit (`quilt-bench help`, spawned, min of 5): \(Stats.fixed(start.min() ?? .nan)) ms")
        return 0
    }

    /// Streams the file's lines the way `RegistryEngine.scanManifest` does.
    static func forEachLine(_ path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) async throws {
        let reader = try FileChunkReader(path: path, objectURL: path)
        var splitter = LineSplitter()
        while let chunk = try await reader.next() {
            try splitter.feed(chunk) { (line, _) throws in try body(line) }
        }
        try splitter.finish { (line, _) throws in try body(line) }
    }
}
