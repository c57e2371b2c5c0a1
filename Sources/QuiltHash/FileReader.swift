#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a regular file sequentially with `read(2)` into one reused buffer (constant memory).
enum FileReader {
    /// Largest read buffer: 8 MiB, one `sha2-256-chunked` chunk.
    static let maxBufferSize = 8 * 1024 * 1024
    /// Smallest read buffer (also used when `fstat` reports size 0, as for some special files).
    static let minBufferSize = 64 * 1024

    /// Opens `path`, reports its size to `start`, then calls `body` with successive non-empty slices of the file
    /// until end of file.
    ///
    /// - Throws: ``HashIOError`` if the file cannot be opened, `fstat`ed or read (including when `path` is a
    ///   directory). The error's `reason` carries the operating-system message.
    static func read(
        path: String,
        start: (_ size: Int64) -> Void,
        body: (UnsafeRawBufferPointer) -> Void
    ) throws(HashIOError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw error(path, "open") }
        defer { _ = close(fd) }

        var info = stat()
        guard fstat(fd, &info) == 0 else { throw error(path, "fstat") }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw HashIOError(path: path, reason: "is a directory")
        }
        start(Int64(info.st_size))

        // Small files get a small buffer; the buffer is reused until end of file even if the file has grown.
        let bufferSize = Int(clamping: min(max(Int64(info.st_size), Int64(minBufferSize)), Int64(maxBufferSize)))
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 64)
        defer { buffer.deallocate() }
        guard let base = buffer.baseAddress else { return }
        while true {
            let count = systemRead(fd, base, bufferSize)
            if count > 0 {
                body(UnsafeRawBufferPointer(start: base, count: count))
            } else if count == 0 {
                return
            } else if errno != EINTR {
                throw error(path, "read")
            }
        }
    }

    private static func error(_ path: String, _ operation: String) -> HashIOError {
        let code = errno
        return HashIOError(path: path, reason: "\(operation): \(String(cString: strerror(code)))")
    }
}

/// `read(2)`, named so it does not clash with ``FileReader/read(path:start:body:)``.
@inline(__always)
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
