#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import QuiltHash
import QuiltJSON

/// `quilt-bench hash`: `ObjectHashing.hashFile(type: .sha2256Chunked)` in-process versus `openssl dgst -sha256`
/// as a child, on the same local file.
enum HashBench {
    static let targetFraction = 0.70

    static let usage = """
        quilt-bench hash [--size-mib 1024] [--file /tmp/quilt-bench-hash-1024MiB.bin] [--runs 3] [--keep] [--json]
        """

    static func run(_ arguments: [String]) throws -> Int32 {
        let args = try Args(arguments, valued: ["size-mib", "file", "runs"], boolean: ["keep", "json"])
        let sizeMiB = try args.int("size-mib", default: 1024, range: 1...1_048_576)
        let runs = try args.int("runs", default: 3, range: 1...50)
        let path = args.string("file") ?? "/tmp/quilt-bench-hash-\(sizeMiB)MiB.bin"
        let size = Int64(sizeMiB) * 1_048_576

        if LocalDirs.fileSize(path) == size {
            log("reusing \(path) (\(sizeMiB) MiB)")
        } else {
            log("writing \(sizeMiB) MiB of pseudo-random bytes to \(path) …")
            try createFile(path, size: size)
        }
        defer {
            if !args.flag("keep") {
                unlink(path)
                log("removed \(path) (pass --keep to reuse it)")
            }
        }

        // Ours, in-process, best of N.
        var ours: [Double] = []
        var value = ""
        for i in 0..<runs {
            let t0 = Spawner.now()
            let h = try ObjectHashing.hashFile(atPath: path, type: .sha2256Chunked)
            let s = Double(Spawner.now() - t0) / 1e9
            ours.append(s)
            value = h.value
            log("ours sha2-256-chunked run \(i + 1)/\(runs): \(Stats.fixed(s, 3)) s (\(h.value))")
        }
        // Ours with plain SHA256 (same reader, no chunking), to show what chunking costs.
        var plain: [Double] = []
        var plainValue = ""
        for i in 0..<runs {
            let t0 = Spawner.now()
            let h = try ObjectHashing.hashFile(atPath: path, type: .sha256)
            let s = Double(Spawner.now() - t0) / 1e9
            plain.append(s)
            plainValue = h.value
            log("ours SHA256 run \(i + 1)/\(runs): \(Stats.fixed(s, 3)) s (\(h.value.prefix(16))…)")
        }

        // openssl, as a child, best of N.
        var peer: [Double] = []
        var peerSkipped: String? = nil
        var digestsAgree: Bool? = nil
        if let openssl = Spawner.which("openssl") {
            for i in 0..<runs {
                let r = try Spawner.run(openssl, ["dgst", "-sha256", path])
                guard r.ok else { throw SpawnError(description: "openssl dgst failed (exit \(r.exitCode))") }
                // "SHA2-256(<file>)= <hex>" — the plain SHA-256 must agree with ours.
                let hex = r.stdoutText.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                digestsAgree = hex == plainValue
                peer.append(Double(r.wallNanos) / 1e9)
                log("openssl dgst -sha256 run \(i + 1)/\(runs): \(Stats.fixed(r.wallMillis / 1000, 3)) s")
            }
        } else {
            peerSkipped = "openssl not found on PATH (install it, e.g. `apt-get install openssl`)"
            log("peer skipped: \(peerSkipped!)")
        }

        let mb = Double(size) / 1e6
        let oursMBs = mb / (ours.min() ?? .nan)
        let plainMBs = mb / (plain.min() ?? .nan)
        let peerMBs = peer.isEmpty ? Double.nan : mb / peer.min()!
        let fraction = oursMBs / peerMBs
        let opensslVersion = Spawner.which("openssl").flatMap { try? Spawner.run($0, ["version"]) }?.stdoutText
            .split(separator: " ").prefix(2).joined(separator: " ") ?? "openssl"

        if args.flag("json") {
            var out: JSONObject = [
                "benchmark": "hash",
                "date": .string(MachineInfo.date()),
                "machine": .string(MachineInfo.describe()),
                "file": .string(path), "bytes": .number(JSONNumber(size)),
                "ours_sha2_256_chunked": .object([
                    "best_s": Stats.number((ours.min() ?? .nan) * 1000 / 1000), "mb_per_s": Stats.number(oursMBs),
                    "runs_s": .array(ours.map { .number(JSONNumber(($0 * 1000).rounded() / 1000)) }),
                    "value": .string(value),
                ]),
                "ours_sha256": .object([
                    "mb_per_s": Stats.number(plainMBs),
                    "runs_s": .array(plain.map { .number(JSONNumber(($0 * 1000).rounded() / 1000)) }),
                ]),
            ]
            if peerSkipped == nil {
                out["openssl_dgst_sha256"] = .object([
                    "version": .string(opensslVersion), "mb_per_s": Stats.number(peerMBs),
                    "runs_s": .array(peer.map { .number(JSONNumber(($0 * 1000).rounded() / 1000)) }),
                ])
                out["percent_of_openssl"] = Stats.number(fraction * 100)
                out["sha256_matches_openssl"] = digestsAgree.map { .bool($0) } ?? .null
                out["target_met"] = .bool(fraction >= targetFraction)
            } else {
                out["openssl_dgst_sha256"] = .object(["skipped": .string(peerSkipped!)])
            }
            emit(JSONWriter.pretty(.object(out)))
            return 0
        }

        emit("hash benchmark — \(MachineInfo.date()), \(MachineInfo.describe())")
        emit("file \(path): \(sizeMiB) MiB (\(Stats.fixed(mb)) MB, in the page cache), best of \(runs) each")
        emit("")
        var rows: [[String]] = [
            ["ours: hashFile sha2-256-chunked (in-process)", Stats.fixed(ours.min() ?? .nan, 3), Stats.fixed(oursMBs, 0), Stats.fixed(oursMBs / peerMBs * 100) + "%"],
            ["ours: hashFile SHA256 (in-process)", Stats.fixed(plain.min() ?? .nan, 3), Stats.fixed(plainMBs, 0), Stats.fixed(plainMBs / peerMBs * 100) + "%"],
        ]
        if peerSkipped == nil {
            rows.append(["\(opensslVersion) dgst -sha256 (child process)", Stats.fixed(peer.min()!, 3), Stats.fixed(peerMBs, 0), "100.0%"])
        }
        emit(Stats.table(["tool", "best s", "MB/s", "% of openssl"], rows))
        emit("")
        if let peerSkipped {
            emit("peer skipped: \(peerSkipped)")
        } else {
            emit("plain SHA-256 of ours equals openssl's digest: \(digestsAgree == true ? "yes" : "NO")")
            emit(
                "target: sha2-256-chunked ≥ \(Int(targetFraction * 100))% of openssl: "
                    + "\(fraction >= targetFraction ? "met" : "MISSED") (\(Stats.fixed(fraction * 100))%)")
        }
        return 0
    }

    /// Writes `size` pseudo-random bytes to `path` in 8 MiB blocks.
    static func createFile(_ path: String, size: Int64) throws {
        let tmp = path + ".partial"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw SpawnError(description: "cannot create \(tmp): \(String(cString: strerror(errno)))") }
        let block = 8 * 1_048_576
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: block, alignment: 64)
        defer { buffer.deallocate() }
        var rng = SplitMix64(seed: UInt64(size))
        var written: Int64 = 0
        while written < size {
            let n = Int(min(Int64(block), size - written))
            rng.fill(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<n]))
            var done = 0
            while done < n {
                let w = write(fd, buffer.baseAddress! + done, n - done)
                if w < 0 {
                    if errno == EINTR { continue }
                    let message = String(cString: strerror(errno))
                    close(fd)
                    unlink(tmp)
                    throw SpawnError(description: "writing \(tmp): \(message)")
                }
                done += w
            }
            written += Int64(n)
        }
        close(fd)
        guard rename(tmp, path) == 0 else { throw SpawnError(description: "rename \(tmp) → \(path) failed") }
    }
}
