#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import FoundationEssentials
package import QuiltContract

/// An object store over a local directory: key `a/b` is the file `<root>/a/b`.
///
/// Writes are atomic (temporary file, then rename). Deleting the last object in a directory removes the emptied
/// directories, so listings behave like S3, where directories do not exist on their own.
package struct FileStorage: ObjectStorage {
    package let root: RegistryURL
    /// The root directory, absolute, without a trailing slash (`/` itself allowed).
    package let directory: String

    /// A store rooted at the directory of a `file://` registry URL. The directory need not exist until written.
    /// - Throws: `.invalidInput(field: "registry")` for a non-file URL.
    package init(root: RegistryURL) throws(QuiltOpsError) {
        guard root.kind == .file else {
            throw .invalidInput(field: "registry", reason: "\(root.url) is not a file:// registry.")
        }
        self.root = root
        self.directory = root.location
    }

    /// The file path of `key`.
    package func path(of key: String) -> String {
        directory == "/" ? "/" + key : directory + "/" + key
    }

    // MARK: - Reading

    package func head(_ key: String) async throws(QuiltOpsError) -> StoredObject {
        try StorageKey.validate(key)
        guard let st = LocalFiles.status(path(of: key)), (st.st_mode & S_IFMT) == S_IFREG else {
            throw .notFound(.object(physicalKey(key).url))
        }
        return object(key, st)
    }

    package func get(_ key: String, range: ByteRange?) async throws(QuiltOpsError) -> (StoredObject, [UInt8]) {
        let info = try await head(key)
        let p = path(of: key)
        guard let range else { return (info, try LocalFiles.readAll(p)) }
        guard range.offset < info.size || (info.size == 0 && range.offset == 0) else {
            throw .invalidInput(field: "range", reason: "offset \(range.offset) is past the end (size \(info.size)).")
        }
        let count = Int(min(info.size - range.offset, range.length ?? (info.size - range.offset)))
        let fd = open(p, O_RDONLY)
        guard fd >= 0 else { throw LocalFiles.openError(p) }
        defer { close(fd) }
        return (info, try LocalFiles.readAt(fd: fd, offset: range.offset, count: count, path: p))
    }

    package func reader(_ key: String) async throws(QuiltOpsError) -> any ChunkReader {
        try StorageKey.validate(key)
        let p = path(of: key)
        guard !LocalFiles.isDirectory(p) else { throw .notFound(.object(physicalKey(key).url)) }
        return try FileChunkReader(path: p, objectURL: physicalKey(key).url)
    }

    package func list(prefix: String, delimiter: String?, startAfter: String?, limit: Int) async throws(QuiltOpsError)
        -> StorageListing
    {
        // Walk only the directory that can hold the prefix.
        let slash = prefix.lastIndex(of: "/")
        let base = slash.map { String(prefix[...$0]) } ?? ""
        let startDir = base.isEmpty ? directory : path(of: String(base.dropLast()))
        var builder = ListingBuilder(prefix: prefix, delimiter: delimiter, startAfter: startAfter, limit: limit)
        if delimiter == "/" {
            // One level: files are objects; non-empty subdirectories are common prefixes. Sort by the listed form
            // (`name/` for directories) so the page is in S3 order.
            var children: [(sortKey: String, name: String, st: stat)] = []
            for name in sortedChildren(startDir) {
                let key = base + name
                guard key.hasPrefix(prefix) || prefix.hasPrefix(key) else { continue }
                guard let st = LocalFiles.status(startDir + "/" + name) else { continue }
                let isDir = (st.st_mode & S_IFMT) == S_IFDIR
                children.append((isDir ? key + "/" : key, name, st))
            }
            children.sort { keyPrecedes($0.sortKey, $1.sortKey) }
            for child in children {
                let key = base + child.name
                if (child.st.st_mode & S_IFMT) == S_IFDIR {
                    guard containsFile(startDir + "/" + child.name) else { continue }
                    if !builder.offer(key + "/", { nil }) { break }
                } else if (child.st.st_mode & S_IFMT) == S_IFREG {
                    if !builder.offer(key, { object(key, child.st) }) { break }
                }
            }
        } else {
            var keys: [String] = []
            collectFiles(startDir, keyPrefix: base, into: &keys)
            keys.sort(by: keyPrecedes)
            for key in keys where key.hasPrefix(prefix) {
                guard let st = LocalFiles.status(path(of: key)) else { continue }
                if !builder.offer(key, { object(key, st) }) { break }
            }
        }
        return builder.build()
    }

    // MARK: - Writing

    package func put(_ key: String, bytes: [UInt8], contentType: String?, metadata: [String: String])
        async throws(QuiltOpsError) -> StoredObject
    {
        try StorageKey.validate(key)
        let p = path(of: key)
        try clarifying(key) { () throws(QuiltOpsError) in
            try LocalFiles.atomicWrite(p) { (fd) throws(QuiltOpsError) in
                try bytes.withBytes { (buf) throws(QuiltOpsError) in try LocalFiles.writeAll(fd, buf, path: p) }
            }
        }
        return try await head(key)
    }

    package func putFile(_ key: String, fromPath source: String) async throws(QuiltOpsError) -> StoredObject {
        try StorageKey.validate(key)
        let p = path(of: key)
        let input = open(source, O_RDONLY)
        guard input >= 0 else { throw LocalFiles.openError(source) }
        defer { close(input) }
        try clarifying(key) { () throws(QuiltOpsError) in try LocalFiles.atomicWrite(p) { (fd) throws(QuiltOpsError) in
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw .remote("reading \(source) failed: \(String(cString: strerror(errno)))", retryable: false)
                }
                if n == 0 { break }
                try buffer.withBytes { (buf) throws(QuiltOpsError) in
                    try LocalFiles.writeAll(fd, UnsafeRawBufferPointer(rebasing: buf[0..<n]), path: p)
                }
            }
        } }
        return try await head(key)
    }

    /// Writes the chunks of `reader` at `key`, one chunk in memory at a time; atomic like `put` — when the reader
    /// fails part-way nothing is left at `key` (nor a temporary file).
    package func putStream(_ key: String, from reader: any ChunkReader) async throws(QuiltOpsError) -> StoredObject {
        try StorageKey.validate(key)
        let p = path(of: key)
        do {
            try await LocalFiles.atomicWrite(p) { (fd) async throws(QuiltOpsError) in
                while let chunk = try await reader.next() {
                    try chunk.withBytes { (buf) throws(QuiltOpsError) in try LocalFiles.writeAll(fd, buf, path: p) }
                }
            }
        } catch {
            throw clash(key) ?? error
        }
        return try await head(key)
    }

    // MARK: - Local files

    package func rootExists() async -> Bool { LocalFiles.isDirectory(directory) }

    package func localPath(of key: String) -> String? { path(of: key) }

    package func putStreamed(_ key: String, from open: () async throws(QuiltOpsError) -> any ChunkReader)
        async throws(QuiltOpsError) -> StoredObject?
    {
        try await putStream(key, from: try await open())
    }

    package func copy(from source: String, to destination: String) async throws(QuiltOpsError) -> StoredObject {
        try StorageKey.validate(source)
        guard LocalFiles.isFile(path(of: source)) else { throw .notFound(.object(physicalKey(source).url)) }
        return try await putFile(destination, fromPath: path(of: source))
    }

    package func delete(_ key: String) async throws(QuiltOpsError) {
        try StorageKey.validate(key)
        let p = path(of: key)
        if unlink(p) != 0 && errno != ENOENT {
            throw LocalFiles.writeError(p)
        }
        // Prune emptied parent directories up to (not including) the root.
        var dir = LocalFiles.parent(p)
        while dir.count > directory.count, dir.hasPrefix(directory), rmdir(dir) == 0 {
            dir = LocalFiles.parent(dir)
        }
    }

    // MARK: - Helpers

    /// Runs a write; when it fails because a file stands where the key needs a directory (or a directory where it
    /// needs a file), the error says so instead of the operating system's.
    private func clarifying(_ key: String, _ write: () throws(QuiltOpsError) -> Void) throws(QuiltOpsError) {
        do { try write() } catch { throw clash(key) ?? error }
    }

    /// The conflict `key` has with what is on disk: S3 keeps `a` and `a/b` side by side, a directory cannot.
    private func clash(_ key: String) -> QuiltOpsError? {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        for n in 1..<max(1, parts.count) {
            let prefix = parts[0..<n].joined(separator: "/")
            if LocalFiles.isFile(path(of: prefix)) {
                return .conflict(
                    "'\(key)' cannot be stored in \(root.url): '\(prefix)' is a file there, and a directory cannot hold a file "
                        + "and a folder of the same name (S3 can). Rename one of them, or use an s3:// registry.")
            }
        }
        if LocalFiles.isDirectory(path(of: key)) {
            return .conflict(
                "'\(key)' cannot be stored in \(root.url): a folder of that name holds other keys, and a directory cannot hold "
                    + "a file and a folder of the same name (S3 can). Rename one of them, or use an s3:// registry.")
        }
        return nil
    }

    private func object(_ key: String, _ st: stat) -> StoredObject {
        StoredObject(key: key, size: Int64(st.st_size), lastModified: LocalFiles.modified(st))
    }

    private func sortedChildren(_ dir: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        return names.filter { !$0.hasPrefix(LocalFiles.tempPrefix) }.sorted(by: keyPrecedes)
    }

    private func collectFiles(_ dir: String, keyPrefix: String, into keys: inout [String]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
        for name in names where !name.hasPrefix(LocalFiles.tempPrefix) {
            let full = dir + "/" + name
            var st = stat()
            guard lstat(full, &st) == 0 else { continue }
            switch st.st_mode & S_IFMT {
            case S_IFDIR: collectFiles(full, keyPrefix: keyPrefix + name + "/", into: &keys)
            case S_IFREG: keys.append(keyPrefix + name)
            case S_IFLNK: if LocalFiles.isFile(full) { keys.append(keyPrefix + name) }
            default: break
            }
        }
    }

    private func containsFile(_ dir: String) -> Bool {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return false }
        for name in names where !name.hasPrefix(LocalFiles.tempPrefix) {
            let full = dir + "/" + name
            if LocalFiles.isFile(full) { return true }
            if LocalFiles.isDirectory(full), containsFile(full) { return true }
        }
        return false
    }
}
