import QuiltContract
import QuiltHash

/// The bytes of package files one query may still read, and the reading itself: every file is counted against the
/// budget before it is read and checked against its entry's size and hash after. Shared by `package_query` and the
/// registry's Tabulator tables.
struct FileBudget {
    /// Bytes still to spend.
    private(set) var left: Int64
    /// The whole budget and what set it (`max_bytes`, or the deployment's setting).
    let limit: (bytes: Int64, setting: String)

    /// The budget for a query that asked for `asked` bytes (nil: the engine's limit).
    /// - Throws: `.tooLarge` naming the engine's setting when `asked` is above it.
    init(asked: Int64?, engine: (bytes: Int64, setting: String)) throws(QuiltOpsError) {
        if let asked, asked > engine.bytes {
            throw .tooLarge(what: "max_bytes (\(asked))", limit: engine.bytes, unit: "bytes", setting: engine.setting)
        }
        limit = asked.map { ($0, "max_bytes") } ?? engine
        left = limit.bytes
    }

    /// The bytes of `entry` (stored at `key`), spent from the budget.
    /// - Parameter what: the reading this is part of, for the error past the budget ("the files this query reads").
    /// - Throws: `.tooLarge` when the entry does not fit in what is left; `.remote` when the bytes read differ from
    ///   the manifest's size or hash (the object changed since the revision was made).
    mutating func read(_ entry: BrowseEntry, at key: PhysicalKey, ops: any QuiltOps, for what: String) async throws(QuiltOpsError) -> [UInt8] {
        let logicalKey = entry.logicalKey
        guard entry.size <= left else {
            throw .tooLarge(
                what: "\(what) (\(logicalKey) is \(entry.size) bytes, \(left) left)", limit: limit.bytes, unit: "bytes", setting: limit.setting)
        }
        let data = try await ops.readObject(key, range: nil, maxBytes: Int(entry.size) + 1)
        guard Int64(data.bytes.count) == entry.size else {
            throw .remote("\(logicalKey) is \(data.bytes.count) bytes in storage but \(entry.size) in the manifest.", retryable: false)
        }
        if let hash = entry.hash, hash.knownType != nil, !ObjectHashing.verify(data.bytes, expected: hash) {
            throw .remote("\(logicalKey) does not match its hash in the manifest (\(key.url) changed since the revision was made).", retryable: false)
        }
        left -= entry.size
        return data.bytes
    }
}
