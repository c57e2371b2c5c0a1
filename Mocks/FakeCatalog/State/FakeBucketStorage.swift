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

/// The fake catalog's buckets: `s3://` roots backed by memory. Unknown buckets are `notFound(.bucket)`.
final class FakeBucketResolver: StorageResolver {
    private let buckets = Mutex<[String: FakeBucketStorage]>([:])
    private let order = Mutex<[String]>([])

    func add(_ name: String) throws(QuiltOpsError) {
        let storage = try FakeBucketStorage(bucket: name)
        let added = buckets.withLock { b -> Bool in
            guard b[name] == nil else { return false }
            b[name] = storage
            return true
        }
        if added { order.withLock { $0.append(name) } }
    }

    var names: [String] { order.withLock { $0 } }

    func has(_ name: String) -> Bool { buckets.withLock { $0[name] != nil } }

    func storage(for root: RegistryURL) throws(QuiltOpsError) -> any ObjectStorage {
        guard root.kind == .s3 else { throw .unsupported(operation: "\(root.kind.rawValue):// storage", backend: "fake-catalog") }
        guard let s = buckets.withLock({ $0[root.location] }) else { throw .notFound(.bucket(root.location)) }
        return s
    }
}
