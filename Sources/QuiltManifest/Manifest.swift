package import QuiltContract
package import QuiltJSON

/// A whole manifest in memory: header, directory-metadata lines and file entries.
///
/// Used for writes (create/update), which must hold the entries anyway. Reads of large manifests stream with
/// `LineSplitter` + `ManifestParser` instead.
package struct Manifest: Sendable, Hashable {
    /// Header keys in stored order (`version` first in manifests quilt3 creates).
    package var header: JSONObject
    package var directories: [ManifestDirectory]
    package var entries: [ManifestEntry]

    package init(header: JSONObject, directories: [ManifestDirectory] = [], entries: [ManifestEntry]) {
        self.header = header
        self.directories = directories
        self.entries = entries
    }

    /// A fresh header as quilt3 writes it on push: `version`, then `user_meta` (when given, `null` included),
    /// then `message` (`null` when none).
    package static func freshHeader(userMeta: JSONValue?, message: String?) -> JSONObject {
        var h: JSONObject = ["version": "v0"]
        if let userMeta { h["user_meta"] = userMeta }
        h["message"] = message.map { .string($0) } ?? .null
        return h
    }

    /// Parses manifest bytes (JSONL).
    /// - Throws: `ManifestError` for malformed lines or duplicate logical keys.
    package static func parse(_ bytes: [UInt8]) throws(ManifestError) -> Manifest {
        var splitter = LineSplitter()
        var header: JSONObject? = nil
        var dirs: [ManifestDirectory] = []
        var entries: [ManifestEntry] = []
        var seen = Set<String>()
        let body = { (line: UnsafeRawBufferPointer, n: Int) throws(ManifestError) in
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
            switch try ManifestParser.parse(line, lineNumber: header == nil ? 1 : max(n, 2)) {
            case .header(let h): header = h
            case .directory(let d): dirs.append(d)
            case .entry(let e):
                guard seen.insert(e.logicalKey).inserted else {
                    throw ManifestError(line: n, message: "duplicate logical key '\(e.logicalKey)'.")
                }
                entries.append(e)
            }
        }
        try splitter.feed(bytes, body)
        try splitter.finish(body)
        guard let header else { throw ManifestError(line: 1, message: "the manifest is empty (no header line).") }
        return Manifest(header: header, directories: dirs, entries: entries)
    }

    /// The top hash (entries sorted into tree order, directory lines excluded).
    package var topHash: TopHash { TopHasher.topHash(header: header, entries: entries) }

    /// The manifest bytes exactly as quilt3 writes them: header, directory lines (sorted), then entries in tree
    /// order, each as `json.dumps(ensure_ascii=False)` with `", "`/`": "` separators, each ending in `\n`.
    /// - Throws: `ManifestError` when a value cannot be written (NaN/Infinity) or a line exceeds `maxRecordSize`.
    package func serialized(maxRecordSize: Int = 1_000_000) throws(ManifestError) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(256 * (entries.count + 1))
        var h = header
        _ = h.removeValue(forKey: "top_hash")
        try append(.object(h), line: 1, to: &out, limit: maxRecordSize)
        var line = 2
        for d in directories.sorted(by: { LogicalKey.treeOrderPrecedes($0.logicalKey, $1.logicalKey) }) {
            try append(.object(["logical_key": .string(d.logicalKey), "meta": d.meta]), line: line, to: &out, limit: maxRecordSize)
            line += 1
        }
        for e in entries.sorted(by: { LogicalKey.treeOrderPrecedes($0.logicalKey, $1.logicalKey) }) {
            try append(e.lineRecord, line: line, to: &out, limit: maxRecordSize)
            line += 1
        }
        return out
    }

    private func append(_ value: JSONValue, line: Int, to out: inout [UInt8], limit: Int) throws(ManifestError) {
        let start = out.count
        do {
            try ManifestJSON.append(value, to: &out)
        } catch {
            throw ManifestError(line: line, message: "cannot be written: \(error.message)")
        }
        if out.count - start > limit {
            throw ManifestError(
                line: line,
                message: "record is \(out.count - start) bytes, over quilt3's limit of \(limit) (S3 Select's 1 MiB record limit).")
        }
        out.append(0x0A)
    }

    /// Number of file entries and their total size.
    package var totals: (count: Int, bytes: Int64) { (entries.count, entries.reduce(0) { $0 + $1.size }) }
}
