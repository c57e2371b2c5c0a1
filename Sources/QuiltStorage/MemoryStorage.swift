package import FoundationEssentials
package import QuiltContract

/// An in-process object store. Its state lives as long as the process (or the instance, when not pooled).
package actor MemoryStorage: ObjectStorage {
    private struct Entry {
        var bytes: [UInt8]
        var object: StoredObject
    }

    package nonisolated let root: RegistryURL
    private var entries: [String: Entry] = [:]
    private var sortedKeys: [String]? = nil
    private let clock: @Sendable () -> Date
    /// The byte budget this store shares with the other stores of its pool; nil: unbounded.
    private let quota: MemoryQuota?

    /// A store named `name` (`memory://name`), drawing its bytes from `quota` when given.
    package init(name: String, quota: MemoryQuota? = nil, clock: @escaping @Sendable () -> Date = { Date() })
        throws(QuiltOpsError)
    {
        self.root = try RegistryURL.memory(name)
        self.quota = quota
        self.clock = clock
    }

    // MARK: - Reading

    package func head(_ key: String) async throws(QuiltOpsError) -> StoredObject {
        guard let e = entries[key] else { throw .notFound(.object(physicalKey(key).url)) }
        return e.object
    }

    package func get(_ key: String, range: ByteRange?) async throws(QuiltOpsError) -> (StoredObject, [UInt8]) {
        guard let e = entries[key] else { throw .notFound(.object(physicalKey(key).url)) }
        guard let range else { return (e.object, e.bytes) }
        return (e.object, try StorageRange.slice(e.bytes, range))
    }

    package func reader(_ key: String) async throws(QuiltOpsError) -> any ChunkReader {
        guard let e = entries[key] else { throw .notFound(.object(physicalKey(key).url)) }
        return BytesChunkReader(e.bytes)
    }

    package func list(prefix: String, delimiter: String?, startAfter: String?, limit: Int) async throws(QuiltOpsError)
        -> StorageListing
    {
        if sortedKeys == nil { sortedKeys = entries.keys.sorted(by: keyPrecedes) }
        var builder = ListingBuilder(prefix: prefix, delimiter: delimiter, startAfter: startAfter, limit: limit)
        let keys = sortedKeys ?? []
        // Binary search to the first key >= prefix.
        var lo = 0
        var hi = keys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if keyPrecedes(keys[mid], prefix) { lo = mid + 1 } else { hi = mid }
        }
        for key in keys[lo...] {
            guard key.hasPrefix(prefix) else { break }
            if !builder.offer(key, { entries[key]?.object }) { break }
        }
        return builder.build()
    }

    // MARK: - Writing

    package func put(_ key: String, bytes: [UInt8], contentType: String?, metadata: [String: String])
        async throws(QuiltOpsError) -> StoredObject
    {
        try StorageKey.validate(key)
        try quota?.adjust(by: Int64(bytes.count) - Int64(entries[key]?.bytes.count ?? 0), writing: physicalKey(key).url)
        let object = StoredObject(
            key: key, size: Int64(bytes.count), lastModified: clock(), etag: nil, versionId: nil,
            contentType: contentType, metadata: metadata)
        if entries[key] == nil { sortedKeys = nil }
        entries[key] = Entry(bytes: bytes, object: object)
        return object
    }

    package func putFile(_ key: String, fromPath path: String) async throws(QuiltOpsError) -> StoredObject {
        let bytes = try LocalFiles.readAll(path)
        return try await put(key, bytes: bytes, contentType: nil, metadata: [:])
    }

    package func copy(from source: String, to destination: String) async throws(QuiltOpsError) -> StoredObject {
        guard let e = entries[source] else { throw .notFound(.object(physicalKey(source).url)) }
        return try await put(destination, bytes: e.bytes, contentType: e.object.contentType, metadata: e.object.metadata)
    }

    package func delete(_ key: String) async throws(QuiltOpsError) {
        if let removed = entries.removeValue(forKey: key) {
            sortedKeys = nil
            try? quota?.adjust(by: -Int64(removed.bytes.count), writing: "")
        }
    }
}

/// Range arithmetic shared by the stores.
package enum StorageRange {
    /// The bytes of `range` within `bytes`.
    /// - Throws: `.invalidInput(field: "range")` when the range starts past the end of a non-empty object.
    package static func slice(_ bytes: [UInt8], _ range: ByteRange) throws(QuiltOpsError) -> [UInt8] {
        let size = Int64(bytes.count)
        guard range.offset < size || (size == 0 && range.offset == 0) else {
            throw .invalidInput(field: "range", reason: "offset \(range.offset) is past the end (size \(size)).")
        }
        let end = min(size, range.length.map { range.offset + $0 } ?? size)
        return Array(bytes[Int(range.offset)..<Int(end)])
    }
}

/// Storage key rules shared by the stores.
package enum StorageKey {
    /// Refuses keys that are empty, absolute, or contain empty, `.` or `..` components.
    package static func validate(_ key: String) throws(QuiltOpsError) {
        guard !key.isEmpty, !key.hasPrefix("/") else {
            throw .invalidInput(field: "key", reason: "'\(key)' must be a non-empty relative key.")
        }
        // By '/' byte: a '/' followed by a combining mark is one Character and would hide a '..' (found by fuzzing).
        for c in key.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        where c.elementsEqual(".".utf8) || c.elementsEqual("..".utf8) {
            throw .invalidInput(field: "key", reason: "'\(key)' contains a '\(String(decoding: c, as: UTF8.self))' component.")
        }
    }
}

/// A set of named memory stores, so `memory://name` means the same store everywhere it is used: one per process,
/// or one per tenant of a multi-tenant server. Optionally bounded (bytes held by all its stores together, and the
/// number of stores), or closed (every `memory://` registry refused, e.g. to callers whose tokens nobody verified).
package final class MemoryStoragePool: @unchecked Sendable {
    private let lock = PosixLock()
    private var stores: [String: MemoryStorage] = [:]
    /// The bytes all stores of this pool may hold together; nil: unbounded.
    package let quota: MemoryQuota?
    /// The most stores this pool makes.
    package let maximumStores: Int
    /// Why `memory://` registries are refused; nil when they are served.
    package let refusal: String?

    /// An open pool, bounded by `quota` bytes (nil: unbounded) and `maximumStores` stores.
    package init(quota: MemoryQuota? = nil, maximumStores: Int = .max) {
        self.quota = quota
        self.maximumStores = max(1, maximumStores)
        refusal = nil
    }

    /// A closed pool: every `memory://` registry is refused with `forbidden` saying `reason`.
    package init(refusing reason: String) {
        quota = nil
        maximumStores = 0
        refusal = reason
    }

    /// The store for `name`, created on first use.
    /// - Throws: `.forbidden` from a closed pool; `.tooLarge` when the pool already holds ``maximumStores`` stores.
    package func storage(named name: String) throws(QuiltOpsError) -> MemoryStorage {
        if let refusal { throw .forbidden("memory://\(name) is not available: \(refusal)") }
        lock.lock()
        defer { lock.unlock() }
        if let s = stores[name] { return s }
        guard stores.count < maximumStores else {
            throw .tooLarge(
                what: "a new memory:// registry (memory://\(name))", limit: Int64(maximumStores), unit: "registries",
                setting: "a fixed bound per tenant; reuse an existing memory:// registry or use s3://")
        }
        let s = try MemoryStorage(name: name, quota: quota)
        stores[name] = s
        return s
    }

    /// Names of the stores created so far.
    package var names: [String] {
        lock.lock()
        defer { lock.unlock() }
        return stores.keys.sorted()
    }
}

/// A byte budget shared by the memory stores of one pool (one tenant's `memory://` registries).
package final class MemoryQuota: @unchecked Sendable {
    private let lock = PosixLock()
    private var used: Int64 = 0
    /// The most bytes the pool's stores may hold together.
    package let limit: Int64
    /// The setting that sets ``limit``, named in errors (e.g. `QUILT_MCP_TENANT_MEMORY_BYTES`).
    package let setting: String

    package init(limit: Int64, setting: String) {
        self.limit = max(0, limit)
        self.setting = setting
    }

    /// The bytes held now.
    package var bytesUsed: Int64 {
        lock.lock()
        defer { lock.unlock() }
        return used
    }

    /// Adds `delta` bytes (negative: frees them).
    /// - Throws: `.tooLarge` when the total would exceed ``limit``; nothing is counted then.
    func adjust(by delta: Int64, writing what: String) throws(QuiltOpsError) {
        lock.lock()
        defer { lock.unlock() }
        let total = used + delta
        if delta > 0, total > limit {
            throw .tooLarge(what: "writing \(what) (the caller's memory:// registries would hold \(total) bytes)",
                            limit: limit, unit: "bytes", setting: setting)
        }
        used = max(0, total)
    }
}
