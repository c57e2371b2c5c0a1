import Foundation
import QuiltContract
import QuiltStorage

/// Wraps a real store, records every write in order, and fails the writes a test chooses — a disk that fills up
/// or a bucket that starts refusing requests half-way through a push.
public final class FaultyStorage: ObjectStorage, @unchecked Sendable {
    private let base: any ObjectStorage
    private let lock = NSLock()
    private var _writes: [String] = []
    private var failing: @Sendable (String) -> QuiltOpsError? = { _ in nil }

    public init(_ base: any ObjectStorage) { self.base = base }

    public var root: RegistryURL { base.root }

    /// `put`/`copy`/`delete` operations so far, as `"put <key>"`, `"copy <src> <dst>"`, `"delete <key>"`.
    public var writes: [String] {
        lock.lock()
        defer { lock.unlock() }
        return _writes
    }

    /// Makes writes to keys for which `rule` returns an error fail with it (nil lets the write through).
    public func failWrites(_ rule: @escaping @Sendable (String) -> QuiltOpsError?) {
        lock.lock()
        failing = rule
        lock.unlock()
    }

    private func record(_ op: String, _ key: String) throws(QuiltOpsError) {
        lock.lock()
        let rule = failing
        lock.unlock()
        if let error = rule(key) { throw error }
        lock.lock()
        _writes.append("\(op) \(key)")
        lock.unlock()
    }

    // MARK: - Reading

    public func head(_ key: String) async throws(QuiltOpsError) -> StoredObject { try await base.head(key) }
    public func get(_ key: String, range: ByteRange?) async throws(QuiltOpsError) -> (StoredObject, [UInt8]) {
        try await base.get(key, range: range)
    }
    public func reader(_ key: String) async throws(QuiltOpsError) -> any ChunkReader { try await base.reader(key) }
    public func list(prefix: String, delimiter: String?, startAfter: String?, limit: Int) async throws(QuiltOpsError)
        -> StorageListing
    {
        try await base.list(prefix: prefix, delimiter: delimiter, startAfter: startAfter, limit: limit)
    }

    // MARK: - Writing

    public func put(_ key: String, bytes: [UInt8], contentType: String?, metadata: [String: String])
        async throws(QuiltOpsError) -> StoredObject
    {
        try record("put", key)
        return try await base.put(key, bytes: bytes, contentType: contentType, metadata: metadata)
    }
    public func putFile(_ key: String, fromPath path: String) async throws(QuiltOpsError) -> StoredObject {
        try record("put", key)
        return try await base.putFile(key, fromPath: path)
    }
    public func copy(from source: String, to destination: String) async throws(QuiltOpsError) -> StoredObject {
        try record("copy \(source)", destination)
        return try await base.copy(from: source, to: destination)
    }
    public func delete(_ key: String) async throws(QuiltOpsError) {
        try record("delete", key)
        try await base.delete(key)
    }
}

/// A resolver that hands out one given store for its root and defers everything else.
public struct FixedStorageResolver: StorageResolver {
    let store: any ObjectStorage
    let fallback: any StorageResolver
    public init(_ store: any ObjectStorage, fallback: any StorageResolver = LocalStorageResolver(files: .allowed)) {
        self.store = store
        self.fallback = fallback
    }
    public var serverFiles: ServerFileAccess { fallback.serverFiles }
    public func storage(for root: RegistryURL) throws(QuiltOpsError) -> any ObjectStorage {
        root == store.root ? store : try fallback.storage(for: root)
    }
}
