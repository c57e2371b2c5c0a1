#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import QuiltJSON

/// One MCP server child on pipes, spoken to with raw JSON-RPC lines: for timing start-up from the outside.
///
/// `posix_spawn` with standard input and output on pipes (standard error to a file), reads with `poll` deadlines,
/// reads the child's `/proc/<pid>/status` and `/proc/<pid>/stat`, and reaps it with `wait4`.
final class StdioSession {
    let pid: pid_t
    /// Monotonic nanoseconds just before `posix_spawn`.
    let spawnedAt: UInt64
    private var toChild: Int32
    private let fromChild: Int32
    private var pending: [UInt8] = []

    /// Spawns `path` with `arguments` and `environment`; standard error goes to `stderrPath`.
    init(_ path: String, _ arguments: [String], environment: [String: String], stderrPath: String) throws {
        var inPipe: [Int32] = [-1, -1]
        var outPipe: [Int32] = [-1, -1]
        guard pipe(&inPipe) == 0, pipe(&outPipe) == 0 else {
            throw SpawnError(description: "pipe: \(String(cString: strerror(errno)))")
        }
        for fd in inPipe + outPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let argv = ([path] + arguments).map { strdup($0) }
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") }
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var cArgv: [UnsafeMutablePointer<CChar>?] = argv + [nil]
        var cEnvp: [UnsafeMutablePointer<CChar>?] = envp + [nil]
        #if canImport(Darwin)
            var actions: posix_spawn_file_actions_t? = nil
        #else
            var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var child: pid_t = 0
        spawnedAt = Spawner.now()
        let rc = cArgv.withUnsafeMutableBufferPointer { a in
            cEnvp.withUnsafeMutableBufferPointer { e in
                guard let a = a.baseAddress, let e = e.baseAddress else { return EINVAL }
                return posix_spawn(&child, path, &actions, nil, a, e)
            }
        }
        close(inPipe[0])
        close(outPipe[1])
        guard rc == 0 else {
            close(inPipe[1])
            close(outPipe[0])
            throw SpawnError(description: "posix_spawn \(path): \(String(cString: strerror(rc)))")
        }
        pid = child
        toChild = inPipe[1]
        fromChild = outPipe[0]
    }

    deinit {
        if toChild >= 0 { close(toChild) }
        close(fromChild)
    }

    /// Writes one message line.
    func send(_ message: JSONValue) throws {
        let bytes = Array((JSONWriter.compact(message) + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return write(toChild, base + offset, raw.count - offset)
            }
            if n > 0 {
                offset += n
            } else if !(n < 0 && errno == EINTR) {
                throw SpawnError(description: "write to the server: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Reads lines until the response to `id` arrives; returns it and the monotonic time it was read.
    func response(id: Int, timeoutSeconds: Double) throws -> (message: JSONValue, at: UInt64) {
        let deadline = Spawner.now() + UInt64(timeoutSeconds * 1e9)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(pending[..<newline])
                pending.removeSubrange(...newline)
                if let m = try? JSONParser.parse(line), m["id"]?.intValue == id, m["method"] == nil {
                    return (m, Spawner.now())
                }
            }
            let now = Spawner.now()
            guard now < deadline else { throw SpawnError(description: "no response to request \(id) in \(timeoutSeconds) s") }
            var p = pollfd(fd: fromChild, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, Int32(min(1000, (deadline - now) / 1_000_000 + 1)))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { read(fromChild, $0.baseAddress, $0.count) }
            if n > 0 {
                pending.append(contentsOf: buffer[0..<n])
            } else if n == 0 {
                throw SpawnError(description: "the server closed its output before answering request \(id)")
            } else if errno != EINTR {
                throw SpawnError(description: "read from the server: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// `VmRSS` of the child now, in bytes (`field`: another `/proc/<pid>/status` line in kB, e.g. `RssAnon`).
    func residentBytes(_ field: String = "VmRSS") -> Int64? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") })
        else { return nil }
        let kib = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int64($0) }
        return kib.map { $0 * 1024 }
    }

    /// User plus system CPU time the child has used so far, in clock ticks (`/proc/<pid>/stat`, fields 14 and 15).
    func cpuTicks() -> Int64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command name: state is field 3, so utime (14) and stime (15) are at offsets 11 and 12.
        guard fields.count > 12, let user = Int64(fields[11]), let system = Int64(fields[12]) else { return nil }
        return user + system
    }

    /// Closes the child's standard input and reaps it, sending SIGTERM then SIGKILL if it outlives `graceSeconds`.
    /// Returns the exit status (or -signal) and whether it exited by itself.
    func closeAndReap(graceSeconds: Double) -> (status: Int32, clean: Bool) {
        if toChild >= 0 {
            close(toChild)
            toChild = -1
        }
        var deadline = Spawner.now() + UInt64(graceSeconds * 1e9)
        var signalled = false
        while true {
            var status: Int32 = 0
            var usage = rusage()
            let r = wait4(pid, &status, WNOHANG, &usage)
            if r == pid {
                let sig = status & 0x7f
                return (sig == 0 ? (status >> 8) & 0xff : -sig, !signalled)
            }
            if r < 0 && errno != EINTR { return (-1, false) }
            if Spawner.now() > deadline {
                kill(pid, signalled ? SIGKILL : SIGTERM)
                signalled = true
                deadline = Spawner.now() + 2_000_000_000
            }
            usleep(2000)
        }
    }
}
