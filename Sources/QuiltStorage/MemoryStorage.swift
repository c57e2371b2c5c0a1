import Foundation
import QuiltOps

/// An in-process object store. Its state lives as long as the process (or the instance, when not pooled).
public actor MemoryStorage: ObjectStorage {
    private struct Entry {
        var bytes: [UInt8]
        var object: StoredObject
    }

    public nonisolated let root: RegistryURL
    private var entries: [String: Entry] = [:]
    private var sortedKeys: [String]? = nil
    private let clock: @Sendable () -> Date

    /// A store named `name` (`memory://name`).
    public init(name: String, clock: @escaping @Sendable () -> Date = { Date() }) throws(QuiltOpsError) {
        self.root = try RegistryURL.memory(name)
        self.clock = clock
    }

    // MARK: - Reading

    public func head(_ key: String) async throws(QuiltOpsError) -> StoredObject {
        guard let e = entries[key] else { throw .notFound(.object(physicalKey(key).url)) }
        return e.object
    }

    public func get(_ key: String, range: ByteRange?) async throws(QuiltOpsError) -> (StoredObject, [UInt8]) {
        guard let e = entries[key] else { throw .notFound(.object(physicalKey(key).url)) }
        guard let range else { return (e.object, e.bytes) }
        return (e.object, try StorageRange.slice(e.bytes, range))
    }

    public func reader(_ key: String) async throws(QuiltOpsError) -> any ChunkReader {
        guard let e = entries[key] else { throw .notFound(.object(physicalKey(key).url)) }
        return BytesChunkReader(e.bytes)
    }

    public func list(prefix: String, delimiter: String?, startAfter: String?, limit: Int) async throws(QuiltOpsError)
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

    public func put(_ key: String, bytes: [UInt8], contentType: String?, metadata: [String: String])
        async throws(QuiltOpsError) -> StoredObject
    {
        try StorageKey.validate(key)
        let object = StoredObject(
            key: key, size: Int64(bytes.count), lastModified: clock(), etag: nil, versionId: nil,
            contentType: contentType, metadata: metadata)
        if entries[key] == nil { sortedKeys = nil }
        entries[key] = Entry(bytes: bytes, object: object)
        return object
    }

    public func putFile(_ key: String, fromPath path: String) async throws(QuiltOpsError) -> StoredObject {
        let bytes = try LocalFiles.readAll(path)
        return try await put(key, bytes: bytes, contentType: nil, metadata: [:])
    }

    public func copy(from source: String, to destination: String) async throws(QuiltOpsError) -> StoredObject {
        guard let e = entries[source] else { throw .notFound(.object(physicalKey(source).url)) }
        return try await put(destination, bytes: e.bytes, contentType: e.object.contentType, metadata: e.object.metadata)
    }

    public func delete(_ key: String) async throws(QuiltOpsError) {
        if entries.removeValue(forKey: key) != nil { sortedKeys = nil }
    }
}

/// Range arithmetic shared by the stores.
public enum StorageRange {
    /// The bytes of `range` within `bytes`.
    /// - Throws: `.invalidInput(field: "range")` when the range starts past the end of a non-empty object.
    public static func slice(_ bytes: [UInt8], _ range: ByteRange) throws(QuiltOpsError) -> [UInt8] {
        let size = Int64(bytes.count)
        guard range.offset < size || (size == 0 && range.offset == 0) else {
            throw .invalidInput(field: "range", reason: "offset \(range.offset) is past the end (size \(size)).")
        }
        let end = min(size, range.length.map { range.offset + $0 } ?? size)
        return Array(bytes[Int(range.offset)..<Int(end)])
    }
}

/// Storage key rules shared by the stores.
public enum StorageKey {
    /// Refuses keys that are empty, absolute, or contain empty, `.` or `..` components.
    public static func validate(_ key: String) throws(QuiltOpsError) {
        guard !key.isEmpty, !key.hasPrefix("/") else {
            throw .invalidInput(field: "key", reason: "'\(key)' must be a non-empty relative key.")
        }
        for c in key.split(separator: "/", omittingEmptySubsequences: false) where c == "." || c == ".." {
            throw .invalidInput(field: "key", reason: "'\(key)' contains a '\(c)' component.")
        }
    }
}

/// A process-wide set of named memory stores, so `memory://name` means the same store everywhere in a process.
public final class MemoryStoragePool: @unchecked Sendable {
    private let lock = NSLock()
    private var stores: [String: MemoryStorage] = [:]

    public init() {}

    /// The store for `name`, created on first use.
    public func storage(named name: String) throws(QuiltOpsError) -> MemoryStorage {
        lock.lock()
        defer { lock.unlock() }
        if let s = stores[name] { return s }
        let s = try MemoryStorage(name: name)
        stores[name] = s
        return s
    }

    /// Names of the stores created so far.
    public var names: [String] {
        lock.lock()
        defer { lock.unlock() }
        return stores.keys.sorted()
    }
}
