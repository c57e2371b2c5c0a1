import Foundation
import QuiltContract
import QuiltHash
import QuiltJSON
import QuiltManifest
import QuiltRegistry

/// The benchmark registry: a quilt3 local registry holding one large package, generated once and cached.
///
/// Layout (quilt3 "V1"): `<dir>/.quilt/packages/<tophash>` (the manifest) and
/// `<dir>/.quilt/named_packages/bench/big/{<unix-seconds>,latest}` (pointers holding the top hash).
/// `<dir>/quilt-bench-fixture.json` records what was generated so later runs can reuse it.
struct Fixture: Sendable {
    static let package = "bench/big"
    static let markerName = "quilt-bench-fixture.json"
    /// Bumped whenever the generator changes, so older cached fixtures are regenerated.
    static let format = 2
    /// Top-level directories; each holds 1/100 of the entries, 1 in 5 directly and the rest in 8 subdirectories.
    static let parts = 100
    static let shards = 8

    var directory: String
    var entries: Int
    var topHash: String
    var manifestBytes: Int64

    var registryURL: String { "file://" + directory }
    var manifestPath: String { directory + "/.quilt/packages/" + topHash }

    /// The directory the benchmark browses (one level) and how many rows that listing has.
    static func browsePath(entries: Int) -> String {
        let part = min(42, max(0, partCount(entries) - 1))
        return "data/part-" + pad(part, 4)
    }

    static func partCount(_ entries: Int) -> Int { max(1, min(parts, entries)) }

    // MARK: - Cache

    /// The fixture already in `directory` when it has `entries` entries and its files are in place.
    static func cached(in directory: String, entries: Int) -> Fixture? {
        guard let data = FileManager.default.contents(atPath: directory + "/" + markerName),
            let value = try? JSONParser.parse(Array(data)),
            value["format"]?.intValue == format,
            let n = value["entries"]?.intValue, n == entries,
            let hash = value["top_hash"]?.stringValue,
            let bytes = value["manifest_bytes"]?.intValue
        else { return nil }
        let fixture = Fixture(directory: directory, entries: n, topHash: hash, manifestBytes: Int64(bytes))
        guard LocalDirs.fileSize(fixture.manifestPath) == Int64(bytes),
            let latest = FileManager.default.contents(
                atPath: directory + "/.quilt/named_packages/" + package + "/latest"),
            String(decoding: latest, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == hash
        else { return nil }
        return fixture
    }

    // MARK: - Generation

    /// Builds the manifest with `Manifest(header:entries:)`, writes it and the pointers, and records the marker.
    /// Runs in its own child process (`generate-fixture`) so the orchestrator's RSS stays small.
    static func generate(in directory: String, entries count: Int) throws -> Fixture {
        let started = Spawner.now()
        LocalDirs.remove(directory + "/.quilt")
        LocalDirs.remove(directory + "/" + markerName)

        var rng = SplitMix64(seed: 0x5175_696c_7433)  // "Quilt3"
        let parts = partCount(count)
        let perPart = (count + parts - 1) / parts
        var entries: [ManifestEntry] = []
        entries.reserveCapacity(count)
        let schemas = ["v1", "v2", "v3"]
        let sources = ["sensor-a", "sensor-b", "import", "sim"]
        for i in 0..<count {
            let part = i / perPart
            let j = i % perPart
            let key: String
            if j % 5 == 0 {
                key = "data/part-\(pad(part, 4))/file-\(pad(i, 6)).csv"
            } else {
                key = "data/part-\(pad(part, 4))/s\(j % shards)/file-\(pad(i, 6)).parquet"
            }
            let physical = PhysicalKey(s3Bucket: "bench", key: key, versionId: rng.token(32))
            let hash = ObjectHash(type: .sha2256Chunked, value: rng.base64Digest())
            let size = Int64(1024 + rng.next() % 50_000_000)
            // One entry in four carries user metadata with a few keys; the rest have quilt3's default `{}`
            // (this keeps lines near the issue's ~250 B; the fixed fields alone take ~280).
            let meta: JSONValue =
                i % 4 != 0
                ? .object([:])
                : .object([
                    "user_meta": .object([
                        "rows": .number(JSONNumber(Int(size / 97))),
                        "schema": .string(schemas[i % schemas.count]),
                        "source": .string(sources[(i / 7) % sources.count]),
                    ])
                ])
            entries.append(ManifestEntry(logicalKey: key, physicalKey: physical, size: size, hash: hash, meta: meta))
        }
        let header = Manifest.freshHeader(
            userMeta: .object(["purpose": "quilt-bench", "entries": .number(JSONNumber(count))]),
            message: "quilt-bench fixture: \(count) entries")
        let manifest = Manifest(header: header, entries: entries)
        let bytes = try manifest.serialized()
        let top = manifest.topHash.rawValue

        try LocalDirs.write(bytes, to: directory + "/.quilt/packages/" + top)
        let pointers = directory + "/.quilt/named_packages/" + package + "/"
        // quilt3 writes the bare hash, no newline.
        try LocalDirs.write(Array(top.utf8), to: pointers + RegistryLayout.pointerName(for: Date()))
        try LocalDirs.write(Array(top.utf8), to: pointers + RegistryLayout.latest)

        let fixture = Fixture(directory: directory, entries: count, topHash: top, manifestBytes: Int64(bytes.count))
        let marker: JSONValue = .object([
            "format": .number(JSONNumber(format)), "entries": .number(JSONNumber(count)), "top_hash": .string(top),
            "manifest_bytes": .number(JSONNumber(bytes.count)), "package": .string(package),
        ])
        try LocalDirs.write(Array(JSONWriter.pretty(marker).utf8) + [0x0A], to: directory + "/" + markerName)
        log(
            "generated \(count) entries, \(Stats.fixed(Double(bytes.count) / 1e6)) MB "
                + "(\(bytes.count / max(1, count + 1)) B/line) in \(Stats.fixed(Double(Spawner.now() - started) / 1e9, 2)) s; "
                + "top hash \(top.prefix(12))")
        return fixture
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

/// Deterministic pseudo-random numbers (SplitMix64), so every machine generates the same fixture.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._".utf8)

    /// `length` characters like an S3 version id.
    mutating func token(_ length: Int) -> String {
        var out = [UInt8]()
        out.reserveCapacity(length)
        while out.count < length {
            var x = next()
            for _ in 0..<10 where out.count < length {
                out.append(Self.alphabet[Int(x & 63)])
                x >>= 6
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A 44-character base64 value, like a `sha2-256-chunked` digest.
    mutating func base64Digest() -> String {
        var raw = [UInt8]()
        raw.reserveCapacity(32)
        for _ in 0..<4 {
            let x = next()
            for k in 0..<8 { raw.append(UInt8(truncatingIfNeeded: x >> (8 * UInt64(k)))) }
        }
        return Data(raw).base64EncodedString()
    }

    /// Fills `buffer` with pseudo-random bytes.
    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        var i = 0
        let n = buffer.count
        while i + 8 <= n {
            buffer.storeBytes(of: next(), toByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < n {
            buffer[i] = UInt8(truncatingIfNeeded: next())
            i += 1
        }
    }
}
