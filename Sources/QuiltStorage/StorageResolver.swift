import QuiltOps

/// Maps registry roots and physical keys to the stores that hold them.
public protocol StorageResolver: Sendable {
    /// The store for a bucket or directory root.
    /// - Throws: `.unsupported` for a kind of storage this resolver cannot reach (e.g. S3 before issue #3),
    ///   `.invalidInput` for a malformed root.
    func storage(for root: RegistryURL) throws(QuiltOpsError) -> any ObjectStorage
}

extension StorageResolver {
    /// The store and key holding a physical key. File keys resolve against `file:///`.
    public func locate(_ key: PhysicalKey) throws(QuiltOpsError) -> (storage: any ObjectStorage, key: String) {
        switch key.scheme {
        case .s3:
            return (try storage(for: try RegistryURL.s3(key.bucket ?? "")), key.path)
        case .memory:
            return (try storage(for: try RegistryURL.memory(key.bucket ?? "")), key.path)
        case .file:
            guard key.path.hasPrefix("/") else {
                throw .invalidInput(field: "physical_key", reason: "\(key.url) is not an absolute path.")
            }
            return (try storage(for: try RegistryURL("file:///")), String(key.path.dropFirst()))
        }
    }
}

/// A resolver that can also list the buckets its credentials see (S3 ListBuckets).
public protocol BucketListingResolver: StorageResolver {
    /// Every bucket visible to the caller, as registry roots.
    func listBuckets() async throws(QuiltOpsError) -> [BucketInfo]
}

/// Resolves `memory://` roots to a shared pool and `file://` roots to local directories.
public struct LocalStorageResolver: StorageResolver {
    public let memory: MemoryStoragePool
    /// False in stateless deployments: local files are then refused.
    public let allowsFiles: Bool

    public init(memory: MemoryStoragePool = MemoryStoragePool(), allowsFiles: Bool = true) {
        self.memory = memory
        self.allowsFiles = allowsFiles
    }

    public func storage(for root: RegistryURL) throws(QuiltOpsError) -> any ObjectStorage {
        switch root.kind {
        case .memory:
            return try memory.storage(named: root.location)
        case .file:
            guard allowsFiles else {
                throw .forbidden("local files (\(root.url)) are not available in stateless mode.")
            }
            return try FileStorage(root: root)
        case .s3:
            throw .unsupported(operation: "S3 storage (\(root.url))", backend: "local")
        }
    }
}
