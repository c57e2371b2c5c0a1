import Foundation
package import QuiltContract
package import QuiltStorage

/// Wraps a real store, records every write in order, and fails the writes a test chooses — a disk that fills up
/// or a bucket that starts refusing requests half-way through a push.
package final class FaultyStorage: ObjectStorage, @unchecked Sendable {
    private let base: any ObjectStorage
    private let lock = NSLock()
    private var _writes: [String] = []
    private var failing: @Sendable (String) -> QuiltOpsError? = { _ in nil }

    package init(_ base: any ObjectStorage) { self.base = base }

    package var root: RegistryURL { base.root }

    /// `put`/`copy`/`delete` operations so far, as `"put <key>"`, `"copy <src> <dst>"`, `"delete <key>"`.
    package var writes: [String] {
        lock.lock()
        defer { lock.unlock() }
        return _writes
    }

    /// Makes writes to keys for which `rule` returns an error fail with it (nil lets the write through).
    package func failWrites(_ rule: @escaping @Sendable (String) -> QuiltOpsError?) {
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

    package func head(_ key: String) async throws(QuiltOpsError) -> StoredObject { try await base.head(key) }
    package func get(_ key: String, range: ByteRange?) async throws(QuiltOpsError) -> (StoredObject, [UInt8]) {
        try await base.get(key, range: range)
    }
    package func reader(_ key: String) async throws(QuiltOpsError) -> any ChunkReader { try await base.reader(key) }
    package func list(prefix: String, delimiter: String?, startAfter: String?, limit: Int) async throws(QuiltOpsError)
        -> StorageListing
    {
        try await base.list(prefix: prefix, delimiter: delimiter, startAfter: startAfter, limit: limit)
    }

    // MARK: - Writing

    package func put(_ key: String, bytes: [UInt8], contentType: String?, metadata: [String: String])
        async throws(QuiltOpsError) -> StoredObject
    {
        try record("put", key)
        return try await base.put(key, bytes: bytes, contentType: contentType, metadata: metadata)
    }
    package func putFile(_ key: String, fromPath path: String) async throws(QuiltOpsError) -> StoredObject {
        try record("put", key)
        return try await base.putFile(key, fromPath: path)
    }
    package func copy(from source: String, to destination: String) async throws(QuiltOpsError) -> StoredObject {
        try record("copy \(source)", destination)
        return try await base.copy(from: source, to: destination)
    }
    package func delete(_ key: String) async throws(QuiltOpsError) {
        try record("delete", key)
        try await base.delete(key)
    }
}

/// A resolver that hands out one given store for its root and defers everything else.
package struct FixedStorageResolver: StorageResolver {
    let store: any ObjectStorage
    let fallback: any StorageResolver
    package init(_ store: any ObjectStorage, fallback: any StorageResolver = LocalStorageResolver(files: .allowed)) {
        self.store = store
        self.fallback = fallback
    }
    package var serverFiles: ServerFileAccess { fallback.serverFiles }
    package func storage(for root: RegistryURL) throws(QuiltOpsError) -> any ObjectStorage {
        root == store.root ? store : try fallback.storage(for: root)
    }
}
