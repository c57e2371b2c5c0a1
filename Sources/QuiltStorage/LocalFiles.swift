#if canImport(Glibc)
    package import Glibc
#elseif canImport(Musl)
    package import Musl
#elseif canImport(Darwin)
    package import Darwin
#endif
package import FoundationEssentials
package import QuiltContract

/// Thin POSIX helpers for local files, mapping failures onto `QuiltOpsError`.
package enum LocalFiles {
    /// `stat` of a path, or nil when it does not exist.
    package static func status(_ path: String) -> stat? {
        var st = stat()
        return stat(path, &st) == 0 ? st : nil
    }

    /// True for an existing directory.
    package static func isDirectory(_ path: String) -> Bool {
        guard let st = status(path) else { return false }
        return (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// True for an existing regular file (after following links).
    package static func isFile(_ path: String) -> Bool {
        guard let st = status(path) else { return false }
        return (st.st_mode & S_IFMT) == S_IFREG
    }

    /// The size of an existing file in bytes, or nil when nothing is at `path`.
    package static func fileSize(_ path: String) -> Int64? { status(path).map { Int64($0.st_size) } }

    /// `path` without its last component (`/a/b` → `/a`, `/a` → `/`, `a` → ``), as `deletingLastPathComponent`.
    package static func parent(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        if slash == trimmed.startIndex { return "/" }
        var parent = trimmed[..<slash]
        while parent.count > 1, parent.hasSuffix("/") { parent = parent.dropLast() }
        return String(parent)
    }

    /// Modification time of a `stat`.
    package static func modified(_ st: stat) -> Date {
        #if canImport(Darwin)
            let ts = st.st_mtimespec
        #else
            let ts = st.st_mtim
        #endif
        return Date(timeIntervalSince1970: Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9)
    }

    /// The whole file.
    /// - Throws: `.notFound(.file)` when missing; `.remote` on read failure.
    package static func readAll(_ path: String) throws(QuiltOpsError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw openError(path) }
        defer { close(fd) }
        var out = [UInt8]()
        if let st = status(path) { out.reserveCapacity(Int(st.st_size)) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .remote("reading \(path) failed: \(String(cString: strerror(errno)))", retryable: false)
            }
            if n == 0 { break }
            out.append(contentsOf: buffer[0..<n])
        }
        return out
    }

    /// Bytes `[offset, offset+count)` of an open file (short at end of file).
    static func readAt(fd: Int32, offset: Int64, count: Int, path: String) throws(QuiltOpsError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = out.withUnsafeMutableBytes { buf in
                pread(fd, buf.baseAddress! + filled, count - filled, off_t(offset) + off_t(filled))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw .remote("reading \(path) failed: \(String(cString: strerror(errno)))", retryable: false)
            }
            if n == 0 { break }
            filled += n
        }
        out.removeSubrange(filled...)
        return out
    }

    /// Creates `path` and its parents (as `mkdir -p`).
    /// - Throws: ``QuiltOpsError`` `forbidden` without permission, `remote` when a file stands in the way or the
    ///   disk refuses.
    package static func makeDirectories(_ path: String) throws(QuiltOpsError) {
        if isDirectory(path) { return }
        let above = parent(path)
        if !above.isEmpty, above != path { try makeDirectories(above) }
        if mkdir(path, 0o777) != 0 {  // the umask narrows it, as for FileManager
            guard errno == EEXIST else { throw writeError(path) }
            guard isDirectory(path) else {
                throw .remote("cannot create directory \(path): a file of that name is in the way", retryable: false)
            }
        }
    }

    /// Writes bytes produced by `fill` to a temporary file beside `path`, then renames it over `path`, so readers
    /// never see a partial file. The temporary file is removed on failure.
    package static func atomicWrite(
        _ path: String, _ fill: (Int32) throws(QuiltOpsError) -> Void
    ) throws(QuiltOpsError) {
        let file = try TemporaryFile(beside: path)
        do { try fill(file.fd) } catch {
            file.discard()
            throw error
        }
        try file.commit(as: path)
    }

    /// ``atomicWrite(_:_:)`` for a `fill` that awaits (e.g. chunks arriving from another store).
    package static func atomicWrite(
        _ path: String, _ fill: (Int32) async throws(QuiltOpsError) -> Void
    ) async throws(QuiltOpsError) {
        let file = try TemporaryFile(beside: path)
        do { try await fill(file.fd) } catch {
            file.discard()
            throw error
        }
        try file.commit(as: path)
    }

    /// An open temporary file in the directory of the path it will be renamed to.
    private struct TemporaryFile {
        let path: String
        let fd: Int32

        init(beside target: String) throws(QuiltOpsError) {
            let dir = LocalFiles.parent(target)
            try LocalFiles.makeDirectories(dir)
            path = dir + "/" + LocalFiles.tempPrefix + UUID().uuidString
            fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            guard fd >= 0 else { throw LocalFiles.writeError(path) }
        }

        /// Closes and removes it.
        func discard() {
            close(fd)
            unlink(path)
        }

        /// Closes it and renames it over `target`; removes it when that fails.
        func commit(as target: String) throws(QuiltOpsError) {
            close(fd)
            guard rename(path, target) == 0 else {
                let e = LocalFiles.writeError(target)
                unlink(path)
                throw e
            }
        }
    }

    /// Writes all of `bytes` to `fd`.
    package static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(QuiltOpsError) {
        var done = 0
        while done < bytes.count {
            let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw writeError(path)
            }
            done += n
        }
    }

    /// Prefix of in-flight temporary files; listings skip them.
    package static let tempPrefix = ".quilt-mcp-tmp-"

    static func openError(_ path: String) -> QuiltOpsError {
        switch errno {
        case ENOENT, ENOTDIR: return .notFound(.file(path))
        case EACCES, EPERM: return .forbidden("cannot read \(path): permission denied.")
        default: return .remote("cannot open \(path): \(String(cString: strerror(errno)))", retryable: false)
        }
    }

    static func writeError(_ path: String) -> QuiltOpsError {
        switch errno {
        case EACCES, EPERM, EROFS: return .forbidden("cannot write \(path): \(String(cString: strerror(errno))).")
        case ENOSPC: return .remote("cannot write \(path): no space left on device.", retryable: true)
        default: return .remote("cannot write \(path): \(String(cString: strerror(errno)))", retryable: false)
        }
    }
}

/// Reads a local file in fixed-size chunks.
package final class FileChunkReader: ChunkReader, @unchecked Sendable {
    private let fd: Int32
    private let path: String
    private let chunkSize: Int
    private var finished = false

    /// Opens `path`.
    /// - Throws: `.notFound(.object(url))` when missing (the caller's notion of the object, not the file path).
    package init(path: String, objectURL: String, chunkSize: Int = 1 << 20) throws(QuiltOpsError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw .notFound(.object(objectURL)) }
            throw LocalFiles.openError(path)
        }
        self.fd = fd
        self.path = path
        self.chunkSize = chunkSize
    }

    deinit { close(fd) }

    package func next() async throws(QuiltOpsError) -> [UInt8]? {
        guard !finished else { return nil }
        var failure: Int32 = 0
        let buffer = [UInt8](unsafeUninitializedCapacity: chunkSize) { buf, count in
            var filled = 0
            while filled < chunkSize {
                let n = read(fd, buf.baseAddress! + filled, chunkSize - filled)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if n == 0 { finished = true; break }
                filled += n
            }
            count = filled
        }
        if failure != 0 {
            throw .remote("reading \(path) failed: \(String(cString: strerror(failure)))", retryable: false)
        }
        let filled = buffer.count
        if filled == 0 { return nil }
        return buffer
    }
}
