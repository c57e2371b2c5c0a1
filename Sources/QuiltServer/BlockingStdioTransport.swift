#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
package import Foundation
package import Logging
import MCP
import Synchronization

/// The MCP stdio transport with a blocking reader: one newline-delimited JSON-RPC message per line.
///
/// The SDK's `StdioTransport` sets standard input non-blocking and polls it every 10 ms, which adds latency to
/// every request and wakes an idle server a hundred times a second. This one reads on a dedicated thread that
/// sleeps in `read(2)` until bytes arrive, splits them on newlines and hands each message to the SDK through an
/// `AsyncThrowingStream`; end of input ends the stream. Writes go straight to the output descriptor, one message
/// plus `\n` at a time under a lock, so messages never interleave. Nothing else may write to standard output.
package actor BlockingStdioTransport: MCP.Transport {
    /// Transport events (connection, end of input, read errors); never written to standard output.
    package nonisolated let logger: Logger

    private let input: Int32
    private let output: Int32
    private let stream: AsyncThrowingStream<Data, Error>
    private let continuation: AsyncThrowingStream<Data, Error>.Continuation
    private let writeLock = Mutex(())
    private var reader: Thread?

    /// A transport over `input` and `output` (standard input and output by default).
    package init(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO, logger: Logger) {
        self.input = input
        self.output = output
        self.logger = logger
        (stream, continuation) = AsyncThrowingStream.makeStream(of: Data.self)
    }

    /// Starts the reader thread. A closed reader (the client went away) then ends the stream; writing to it fails
    /// with `connectionClosed` rather than killing the process with `SIGPIPE`.
    package func connect() async throws {
        guard reader == nil else { return }
        signal(SIGPIPE, SIG_IGN)
        let thread = Thread { [input, continuation, logger] in
            LineReader.run(fd: input, continuation: continuation, logger: logger)
        }
        thread.name = "quilt-mcp stdin"
        thread.stackSize = 256 * 1024
        reader = thread
        thread.start()
    }

    /// Ends the message stream. The reader thread stays parked in `read(2)` until the process exits.
    package func disconnect() async {
        continuation.finish()
    }

    /// Writes `data` and a newline to the output, whole, under the write lock.
    package func send(_ data: Data) async throws {
        var bytes = [UInt8](data)
        bytes.append(UInt8(ascii: "\n"))
        let error: Int32? = writeLock.withLock { _ in LineReader.writeAll(fd: output, bytes) }
        if let error {
            if error == EPIPE { throw MCPError.connectionClosed }
            throw MCPError.transportError(POSIXError(POSIXErrorCode(rawValue: error) ?? .EIO))
        }
    }

    /// The messages read from the input, one per line, in order.
    package nonisolated func receive() -> AsyncThrowingStream<Data, Error> { stream }
}

/// The blocking read loop and write helper behind ``BlockingStdioTransport``.
enum LineReader {
    /// Reads `fd` until end of input, yielding each non-empty line (without `\n` or a trailing `\r`).
    static func run(fd: Int32, continuation: AsyncThrowingStream<Data, Error>.Continuation, logger: Logger) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var partial: [UInt8] = []
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
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
                waitFor(fd, events: Int16(POLLIN))  // inherited a non-blocking descriptor: sleep until readable
            } else {
                logger.error("reading standard input failed", metadata: ["errno": "\(errno)"])
                break
            }
        }
        emit(&partial, continuation)
        logger.debug("end of standard input")
        continuation.finish()
    }

    private static func emit(_ line: inout [UInt8], _ continuation: AsyncThrowingStream<Data, Error>.Continuation) {
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        if !line.isEmpty { continuation.yield(Data(line)) }
        line.removeAll(keepingCapacity: true)
    }

    /// Writes every byte; returns the `errno` of a failure, nil on success.
    static func writeAll(fd: Int32, _ bytes: [UInt8]) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return write(fd, base + offset, raw.count - offset)
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
    private static func waitFor(_ fd: Int32, events: Int16) {
        var p = pollfd(fd: fd, events: events, revents: 0)
        _ = poll(&p, 1, -1)
    }
}
