import Crypto
package import QuiltContract
import QuiltHash
package import QuiltJSON

/// Computes quilt3's top hash: SHA-256 over the canonical JSON of the header, then of each file entry's
/// `{hash, logical_key, meta, size}` record in tree order (directory lines excluded, no separators).
///
/// In `.streaming` mode entries must arrive in tree order (as quilt3 writes them) and memory stays constant; if one
/// arrives out of order, `outOfOrder` becomes true and the caller feeds the manifest again in `.sorting` mode,
/// which buffers each record's canonical bytes and sorts at the end.
package struct TopHasher {
    /// How entries are fed.
    package enum Mode: Sendable { case streaming, sorting }

    private var sha = SHA256()
    private let mode: Mode
    private var previousKey: [UInt8]? = nil
    private var fast = FastEntryScanner()
    private var buffered: [(key: String, bytes: [UInt8])] = []
    private var scratch: [UInt8] = []
    /// Set in `.streaming` mode when an entry arrived out of tree order; the result is then unusable.
    package private(set) var outOfOrder = false

    /// Starts with the header object (the obsolete `top_hash` key is ignored).
    package init(header: JSONObject, mode: Mode = .streaming) {
        var h = header
        _ = h.removeValue(forKey: "top_hash")
        sha.update(data: CanonicalJSON.encode(.object(h)))
        self.mode = mode
        scratch.reserveCapacity(1 << 18 + 4096)
    }

    /// Adds a file entry.
    package mutating func add(_ entry: ManifestEntry) {
        switch mode {
        case .streaming:
            guard !outOfOrder else { return }
            let key = Array(entry.logicalKey.utf8)
            if let previousKey, !LogicalKey.treeOrderPrecedes(bytes: previousKey, key) {
                outOfOrder = true
                return
            }
            previousKey = key
            // Records are batched: one SHA update per ~256 KiB instead of one per entry.
            TopHasher.appendRecord(entry, to: &scratch)
            if scratch.count >= 1 << 18 { flush() }
        case .sorting:
            var bytes: [UInt8] = []
            TopHasher.appendRecord(entry, to: &bytes)
            buffered.append((entry.logicalKey, bytes))
        }
    }

    private mutating func flush() {
        scratch.withUnsafeBytes { sha.update(bufferPointer: $0) }
        scratch.removeAll(keepingCapacity: true)
    }

    /// The top hash (meaningless when `outOfOrder`).
    package mutating func finalize() -> TopHash {
        flush()
        if mode == .sorting {
            buffered.sort { LogicalKey.treeOrderPrecedes($0.key, $1.key) }
            for item in buffered { sha.update(data: item.bytes) }
            buffered = []
        }
        return TopHasher.topHash(sha.finalize())
    }

    /// Hashes an entry line straight from its bytes when it has quilt3's plain shape (see `FastEntryScanner`), in
    /// `.streaming` mode. Returns where the logical key is and the size; nil means the caller must parse the line
    /// and call `add(_:)` instead (nothing was hashed).
    package mutating func addLine(_ line: UnsafeRawBufferPointer) -> FastEntryScanner.Entry? {
        guard mode == .streaming else { return nil }
        let mark = scratch.count
        guard let e = fast.appendRecord(line, to: &scratch) else { return nil }
        guard !outOfOrder else {
            scratch.removeSubrange(mark...)
            return e
        }
        let key = UnsafeRawBufferPointer(rebasing: line[e.key])
        if let previousKey, !LogicalKey.treeOrderPrecedes(bytes: previousKey, key) {
            outOfOrder = true
            scratch.removeSubrange(mark...)
            return e
        }
        if previousKey == nil { previousKey = [] }
        previousKey?.removeAll(keepingCapacity: true)
        previousKey?.append(contentsOf: key)
        if scratch.count >= 1 << 18 { flush() }
        return e
    }

    /// The canonical bytes of `entry.hashRecord`, written directly: the four keys are fixed and already sorted
    /// (`hash`, `logical_key`, `meta`, `size`), so only the values go through the encoder.
    package static func appendRecord(_ entry: ManifestEntry, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"hash":"#.utf8)
        CanonicalJSON.append(entry.hash, to: &out)
        out.append(contentsOf: #","logical_key":"#.utf8)
        CanonicalJSON.append(.string(entry.logicalKey), to: &out)
        out.append(contentsOf: #","meta":"#.utf8)
        CanonicalJSON.append(entry.meta, to: &out)
        out.append(contentsOf: #","size":"#.utf8)
        out.append(contentsOf: String(entry.size).utf8)
        out.append(UInt8(ascii: "}"))
    }

    /// The top hash of a header and entries held in memory, in any order.
    package static func topHash(header: JSONObject, entries: [ManifestEntry]) -> TopHash {
        var hasher = TopHasher(header: header, mode: .sorting)
        for e in entries { hasher.add(e) }
        return hasher.finalize()
    }

    static func topHash(_ digest: SHA256.Digest) -> TopHash {
        do { return try TopHash(HashEncoding.lowercaseHex(digest)) } catch {
            fatalError("SHA-256 hex is always a valid top hash")
        }
    }
}
