#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import FoundationEssentials
package import Logging
package import QuiltJSON
import Synchronization

/// Newline-delimited messages from a file descriptor, read on a dedicated thread that sleeps in `read(2)` until
/// bytes arrive (no polling: an idle server does not wake), one line per element; end of input ends the stream.
package enum LineInput {
    /// The lines of `fd` (without `\n` or a trailing `\r`; empty lines skipped), read by a thread started now.
    /// The thread stays parked in `read(2)` after the stream's consumer stops, until the process exits.
    package static func lines(fd: Int32, logger: Logger) -> AsyncStream<[UInt8]> {
        let (stream, continuation) = AsyncStream.makeStream(of: [UInt8].self, bufferingPolicy: .unbounded)
        if !DetachedThread.start(name: "quilt-mcp stdin", { read(fd: fd, continuation: continuation, logger: logger) }) {
            logger.error("could not start the thread that reads standard input")
            continuation.finish()
        }
        return stream
    }

    static func read(fd: Int32, continuation: AsyncStream<[UInt8]>.Continuation, logger: Logger) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var partial: [UInt8] = []
        while true {
            let n = buffer.withUnsafeMutableBytes { raw in
                #if canImport(Glibc)
                    Glibc.read(fd, raw.baseAddress, raw.count)
                #elseif canImport(Musl)
                    Musl.read(fd, raw.baseAddress, raw.count)
                #else
                    Darwin.read(fd, raw.baseAddress, raw.count)
                #endif
            }
            if n > 0 {
                var start = 0
                for i in 0..<n where buffer[i] == UInt8(ascii: "\n") {
                    partial.append(contentsOf: buffer[start..<i])
                    emit(&partial, continuation)
                    start = i + 1
                }
                partial.append(contentsOf: buffer[start..<n])
            } else if n == 0 {
                break
            } else if errno == EINTR {
                continue
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                LineOutput.waitFor(fd, events: Int16(POLLIN))  // inherited a non-blocking descriptor: sleep until readable
            } else {
                logger.error("reading standard input failed", metadata: ["errno": "\(errno)"])
                break
            }
        }
        emit(&partial, continuation)
        logger.debug("end of standard input")
        continuation.finish()
    }

    private static func emit(_ line: inout [UInt8], _ continuation: AsyncStream<[UInt8]>.Continuation) {
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        if !line.isEmpty { continuation.yield(line) }
        line.removeAll(keepingCapacity: true)
    }
}

/// Messages written to a file descriptor whole, one compact JSON line each, under a lock so concurrent writers
/// never interleave. A closed reader (`EPIPE`) is logged once and later writes are dropped: the client is gone.
package final class LineOutput: Sendable {
    private let fd: Int32
    private let logger: Logger
    private let lock = Mutex(false)  // whether the reader has gone

    /// Output on `fd`. Ignores `SIGPIPE` for the process, so a vanished reader is an error, not death.
    package init(fd: Int32, logger: Logger) {
        signal(SIGPIPE, SIG_IGN)
        self.fd = fd
        self.logger = logger
    }

    /// Writes `message` and a newline.
    package func write(_ message: JSONValue) {
        var bytes = Array(JSONWriter.compact(message).utf8)
        bytes.append(UInt8(ascii: "\n"))
        let failure: Int32? = lock.withLock { gone in
            guard !gone else { return nil }
            let error = Self.writeAll(fd: fd, bytes)
            if error != nil { gone = true }
            return error
        }
        if let failure { logger.warning("writing standard output failed; dropping further messages", metadata: ["errno": "\(failure)"]) }
    }

    /// Writes every byte; returns the `errno` of a failure, nil on success.
    package static func writeAll(fd: Int32, _ bytes: [UInt8]) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                #if canImport(Glibc)
                    return Glibc.write(fd, base + offset, raw.count - offset)
                #elseif canImport(Musl)
                    return Musl.write(fd, base + offset, raw.count - offset)
                #else
                    return Darwin.write(fd, base + offset, raw.count - offset)
                #endif
            }
            if n > 0 {
                offset += n
            } else if n < 0 && errno == EINTR {
                continue
            } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                waitFor(fd, events: Int16(POLLOUT))
            } else {
                return n < 0 ? errno : EIO
            }
        }
        return nil
    }

    /// Blocks until `fd` is ready for `events` (or has an error or hang-up).
    static func waitFor(_ fd: Int32, events: Int16) {
        var p = pollfd(fd: fd, events: events, revents: 0)
        _ = poll(&p, 1, -1)
    }
}
