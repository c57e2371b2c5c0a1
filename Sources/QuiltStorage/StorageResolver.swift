import FoundationEssentials
package import QuiltContract

/// Maps registry roots and physical keys to the stores that hold them.
package protocol StorageResolver: Sendable {
    /// The store for a bucket or directory root.
    /// - Throws: `.unsupported` for a kind of storage this resolver cannot reach (e.g. S3 for a resolver of local roots only),
    ///   `.invalidInput` for a malformed root.
    func storage(for root: RegistryURL) throws(QuiltOpsError) -> any ObjectStorage

    /// Whether callers may reach the server's files through this resolver. Resolvers that reach local files
    /// forward their ``LocalStorageResolver``'s policy; the default refuses (fails closed).
    var serverFiles: ServerFileAccess { get }
}

extension StorageResolver {
    /// The store and key holding a physical key. File keys resolve against `file:///`.
    package func locate(_ key: PhysicalKey) throws(QuiltOpsError) -> (storage: any ObjectStorage, key: String) {
        switch key.scheme {
        case .s3:
            return (try storage(for: try RegistryURL.s3(key.bucket ?? "")), key.path)
        case .memory:
            return (try storage(for: try RegistryURL.memory(key.bucket ?? "")), key.path)
        case .file:
            try serverFiles.check(key.url)
            guard key.path.hasPrefix("/") else {
                throw .invalidInput(field: "physical_key", reason: "\(key.url) is not an absolute path.")
            }
            return (try storage(for: try RegistryURL("file:///")), String(key.path.dropFirst()))
        }
    }
}

/// A resolver that can also list the buckets its credentials see (S3 ListBuckets).
package protocol BucketListingResolver: StorageResolver {
    /// Every bucket visible to the caller, as registry roots.
    func listBuckets() async throws(QuiltOpsError) -> [BucketInfo]
}

/// Resolves `memory://` roots to a pool and `file://` roots to local directories: the one gate between callers
/// and the server's own filesystem. Every `file://` registry, `file://` physical key (in a parameter or inside a
/// manifest) and local source path (read as the `file://` object it names, ``localFile(_:)``) goes through
/// ``storage(for:)``, which refuses them all unless ``files`` allows it.
package struct LocalStorageResolver: StorageResolver {
    package let memory: MemoryStoragePool
    /// Whether callers may reach the server's files (the mode decides: `Mode.serverFiles`).
    package let files: ServerFileAccess

    package init(memory: MemoryStoragePool = MemoryStoragePool(), files: ServerFileAccess) {
        self.memory = memory
        self.files = files
    }

    package var serverFiles: ServerFileAccess { files }

    package func storage(for root: RegistryURL) throws(QuiltOpsError) -> any ObjectStorage {
        switch root.kind {
        case .memory:
            return try memory.storage(named: root.location)
        case .file:
            try files.check(root.url)
            return try FileStorage(root: root)
        case .s3:
            throw .unsupported(operation: "S3 storage (\(root.url))", backend: "local")
        }
    }
}

extension StorageResolver {
    package var serverFiles: ServerFileAccess { .forbidden(by: "this storage resolver reaches no local files") }

    /// The local file at `path` (a source of a new package entry), through the same gate as every `file://` URL.
    /// - Returns: the absolute path, once the gate allowed it and it is a regular file.
    /// - Throws: `.forbidden` when callers may not reach the server's files; `.invalidInput` for a relative path;
    ///   `.notFound(.file)` when it is not a regular file.
    package func localFile(_ path: String) throws(QuiltOpsError) -> String {
        let located = try localPath(path)
        guard LocalFiles.isFile(located) else { throw .notFound(.file(path)) }
        return located
    }

    /// `path` made absolute, once the server-files gate allowed it and the `file://` store that holds it is known;
    /// nothing about the path is looked at before the gate.
    private func localPath(_ path: String) throws(QuiltOpsError) -> String {
        try serverFiles.check(path)
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let (storage, key) = try locate(PhysicalKey(filePath: absolute))
        guard let local = storage.localPath(of: key) else {
            throw .unsupported(operation: "local files (\(path))", backend: "this")
        }
        return local
    }

    /// `entries` with every local source that is a directory replaced by the files below it, as quilt3's `set_dir`
    /// adds them: each under the directory entry's logical key plus its path inside the directory, in byte order.
    /// The directory goes through the same gate as a file; symbolic links to directories are not followed.
    /// - Throws: what ``localFile(_:)`` throws for the directory; `.invalidInput` for an empty directory, for
    ///   metadata given to a directory, or for a file name that is no valid logical key.
    package func expandingLocalDirectories(_ entries: [NewEntry], field: String) throws(QuiltOpsError) -> [NewEntry] {
        var out: [NewEntry] = []
        for entry in entries {
            guard case .localFile(let source) = entry.source else {
                out.append(entry)
                continue
            }
            let absolute = try localPath(source)
            guard LocalFiles.isDirectory(absolute) else {
                out.append(entry)
                continue
            }
            guard entry.userMeta == nil else {
                throw .invalidInput(field: field, reason: "'\(source)' is a directory; give metadata to its files one by one.")
            }
            var files: [String] = []
            for relative in (try? FileManager.default.subpathsOfDirectory(atPath: absolute)) ?? []
            where LocalFiles.isFile(absolute + "/" + relative) {
                files.append(relative)
            }
            guard !files.isEmpty else {
                throw .invalidInput(field: field, reason: "'\(source)' is a directory with no files in it.")
            }
            for relative in files.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                let key = try LogicalKey(entry.logicalKey.rawValue + "/" + relative, field: field)
                out.append(NewEntry(logicalKey: key, source: .localFile(path: absolute + "/" + relative)))
            }
        }
        return out
    }
}
