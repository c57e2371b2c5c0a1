package import QuiltContract
package import QuiltHash
package import QuiltJSON

/// One file of a revision as `contentsFlatMap` describes it.
package struct ContentEntry: Sendable, Hashable {
    package var logicalKey: String
    package var physicalKey: PhysicalKey
    package var size: Int64
    package var hash: ObjectHash?
    /// The full entry metadata (`{}` when absent or null); user metadata is under `user_meta`.
    package var meta: JSONValue
}

/// A whole revision: header and entries in quilt3's tree order. Immutable for a top hash.
package struct RevisionContents: Sendable {
    package var hash: TopHash
    package var header: JSONObject
    package var entries: [ContentEntry]
}

/// Revision contents by top hash, bounded by entry count (least recently used dropped first). Keys include the
/// caller's token digest, so one caller never reads what another was allowed to see.
package actor ContentsCache {
    /// The cache every backend in this process shares unless given another.
    package static let shared = ContentsCache()

    private var items: [String: RevisionContents] = [:]
    private var order: [String] = []
    private var latestHints: [String: TopHash] = [:]
    private var totalEntries = 0
    package let maxEntries: Int

    package init(maxEntries: Int = 200_000) { self.maxEntries = maxEntries }

    package func get(_ key: String) -> RevisionContents? {
        guard let value = items[key] else { return nil }
        if let i = order.firstIndex(of: key) { order.remove(at: i) }
        order.append(key)
        return value
    }

    package func put(_ key: String, _ value: RevisionContents) {
        guard value.entries.count <= maxEntries, items[key] == nil else { return }
        items[key] = value
        order.append(key)
        totalEntries += value.entries.count
        while totalEntries > maxEntries, let oldest = order.first {
            order.removeFirst()
            totalEntries -= items.removeValue(forKey: oldest)?.entries.count ?? 0
        }
    }

    /// The hash `latest` named the last time this caller read it (a hint; always re-checked).
    package func latestHint(_ package: String) -> TopHash? { latestHints[package] }
    package func setLatestHint(_ package: String, _ hash: TopHash) {
        if latestHints.count > 10_000 { latestHints.removeAll() }
        latestHints[package] = hash
    }
}
