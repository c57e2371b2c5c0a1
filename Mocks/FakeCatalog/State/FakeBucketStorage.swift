import Foundation
import QuiltContract
import QuiltStorage
import Synchronization

/// An in-memory bucket that calls itself `s3://<bucket>`, so manifests written through the registry engine hold
/// the S3 physical keys a real catalog's do.
struct FakeBucketStorage: ObjectStorage {
    let root: RegistryURL
    let inner: MemoryStorage

    init(bucket: String) throws(QuiltOpsError) {
        root = try RegistryURL.s3(bucket)
        inner = try MemoryStorage(name: "fake-catalog-" + bucket)
    }

    /// Names a missing object by its `s3://` URL (the memory store would say `memory://`).
    func mapped<T>(_ key: String, _ body: () async throws(QuiltOpsError) -> T) async throws(QuiltOpsError) -> T {
        do { return try await body() } catch .notFound(.object) { throw .notFound(.object(physicalKey(key).url)) }
    }

    func head(_ key: String) async throws(QuiltOpsError) -> StoredObject {
        try await mapped(key) { () throws(QuiltOpsError) in try await inner.head(key) }
    }
    func get(_ key: String, range: ByteRange?) async throws(QuiltOpsError) -> (StoredObject, [UInt8]) {
        try await mapped(key) { () throws(QuiltOpsError) in try await inner.get(key, range: range) }
    }
    func reader(_ key: String) async throws(QuiltOpsError) -> any ChunkReader {
        try await mapped(key) { () throws(QuiltOpsError) in try await inner.reader(key) }
    }
    func list(prefix: String, delimiter: String?, startAfter: String?, limit: Int) async throws(QuiltOpsError) -> StorageListing {
        try await inner.list(prefix: prefix, delimiter: delimiter, startAfter: startAfter, limit: limit)
    }
    func put(_ key: String, bytes: [UInt8], contentType: String?, metadata: [String: String]) async throws(QuiltOpsError) -> StoredObject {
        try await inner.put(key, bytes: bytes, contentType: contentType, metadata: metadata)
    }
    func putFile(_ key: String, fromPath path: String) async throws(QuiltOpsError) -> StoredObject {
        try await inner.putFile(key, fromPath: path)
    }
    func copy(from source: String, to destination: String) async throws(QuiltOpsError) -> StoredObject {
        try await mapped(source) { () throws(QuiltOpsError) in try await inner.copy(from: source, to: destination) }
    }
    func delete(_ key: String) async throws(QuiltOpsError) { try await inner.delete(key) }
}

/// The fake catalog's buckets: `s3://` roots backed by memory. Unknown buckets are `notFound(.bucket)`. A removed
/// bucket is set aside with its objects, and adding it again brings them back.
final class FakeBucketResolver: StorageResolver {
    private struct Buckets {
        var live: [String: FakeBucketStorage] = [:]
        var order: [String] = []
        var removed: [String: FakeBucketStorage] = [:]
    }
    private let buckets = Mutex(Buckets())

    func add(_ name: String) throws(QuiltOpsError) {
        guard !has(name) else { return }
        let fresh = try FakeBucketStorage(bucket: name)
        buckets.withLock { b in
            guard b.live[name] == nil else { return }
            b.live[name] = b.removed.removeValue(forKey: name) ?? fresh
            b.order.append(name)
        }
    }

    /// Takes a bucket out of the catalog, keeping its objects; false when the catalog does not have it.
    func remove(_ name: String) -> Bool {
        buckets.withLock { b in
            guard let storage = b.live.removeValue(forKey: name) else { return false }
            b.removed[name] = storage
            b.order.removeAll { $0 == name }
            return true
        }
    }

    var names: [String] { buckets.withLock { $0.order } }

    func has(_ name: String) -> Bool { buckets.withLock { $0.live[name] != nil } }

    func storage(for root: RegistryURL) throws(QuiltOpsError) -> any ObjectStorage {
        guard root.kind == .s3 else { throw .unsupported(operation: "\(root.kind.rawValue):// storage", backend: "fake-catalog") }
        guard let s = buckets.withLock({ $0.live[root.location] }) else { throw .notFound(.bucket(root.location)) }
        return s
    }
}
