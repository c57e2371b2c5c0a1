#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import QuiltMode
import Foundation
import CoreFoundation

/// What one child process cost: wall time from just before `posix_spawn` to just after `wait4`, and the
/// child's own resource usage as `wait4` reports it (not the `RUSAGE_CHILDREN` aggregate).
struct ChildRun: Sendable {
    /// 0 when the child exited normally with status 0.
    var exitCode: Int32
    /// Non-nil when the child was killed by a signal.
    var signal: Int32?
    var wallNanos: UInt64
    /// Peak resident set size of this child, in bytes.
    var maxRSSBytes: Int64
    var userSeconds: Double
    var systemSeconds: Double
    /// Whatever the child wrote to its standard output (only when captured).
    var stdout: [UInt8]
    /// The child's own `VmHWM` (peak RSS of its post-exec address space), when it reported one
    /// (`"vm_hwm_kib"` in its JSON output). Unlike `ru_maxrss` it carries no spawner floor.
    var selfHWMBytes: Int64? = nil

    var ok: Bool { exitCode == 0 && signal == nil }
    var wallMillis: Double { Double(wallNanos) / 1e6 }
    var maxRSSMiB: Double { Double(maxRSSBytes) / 1_048_576 }
    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
}

struct SpawnError: Error, CustomStringConvertible {
    var description: String
}

/// Spawns children with `posix_spawn` and reaps each with `wait4`, which returns that child's own rusage.
///
/// Caveat (Linux): a child's `ru_maxrss` is a max that also takes in the RSS high-water mark of the address space
/// it replaced at `exec` — for a `posix_spawn`ed child that is the spawner's. The orchestrating process therefore
/// keeps itself small (fixture generation runs in its own child), and `baseline()` measures `/bin/true` so the
/// floor this puts under every figure is reported.
enum Spawner {
    /// Monotonic clock in nanoseconds.
    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Runs `path` (absolute) with `arguments` (not including argv[0]) and `environment`; stdin is /dev/null,
    /// stdout is captured when `captureStdout`, else sent to /dev/null; stderr goes to `stderrPath` when given,
    /// else is inherited.
    static func run(
        _ path: String, _ arguments: [String], environment: [String: String]? = nil, captureStdout: Bool = true,
        stderrPath: String? = nil
    ) throws -> ChildRun {
        let env = environment ?? ProcessEnvironment.current()
        let argv = ([path] + arguments).map { strdup($0) }
        let envp = env.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") }
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var cArgv: [UnsafeMutablePointer<CChar>?] = argv + [nil]
        var cEnvp: [UnsafeMutablePointer<CChar>?] = envp + [nil]

        var fds: [Int32] = [-1, -1]
        if captureStdout {
            guard pipe(&fds) == 0 else { throw SpawnError(description: "pipe: \(String(cString: strerror(errno)))") }
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        }

        #if canImport(Darwin)
            var actions: posix_spawn_file_actions_t? = nil
        #else
            var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if captureStdout {
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        if let stderrPath {
            posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }

        var pid: pid_t = 0
        let start = now()
        let rc = cArgv.withUnsafeMutableBufferPointer { a in
            cEnvp.withUnsafeMutableBufferPointer { e in
                posix_spawn(&pid, path, &actions, nil, a.baseAddress!, e.baseAddress!)
            }
        }
        if captureStdout { close(fds[1]) }
        guard rc == 0 else {
            if captureStdout { close(fds[0]) }
            throw SpawnError(description: "posix_spawn \(path): \(String(cString: strerror(rc)))")
        }

        var output: [UInt8] = []
        if captureStdout {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
                if n > 0 {
                    output.append(contentsOf: buffer[0..<n])
                } else if n == 0 || errno != EINTR {
                    break
                }
            }
            close(fds[0])
        }

        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw SpawnError(description: "wait4: \(String(cString: strerror(errno)))") }
        }
        let end = now()

        let termSignal = status & 0x7f
        #if os(Linux)
            let rssBytes = Int64(usage.ru_maxrss) * 1024  // KiB on Linux
        #else
            let rssBytes = Int64(usage.ru_maxrss)  // bytes on Darwin
        #endif
        return ChildRun(
            exitCode: termSignal == 0 ? (status >> 8) & 0xff : -1,
            signal: termSignal == 0 ? nil : termSignal,
            wallNanos: end - start,
            maxRSSBytes: rssBytes,
            userSeconds: Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6,
            systemSeconds: Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6,
            stdout: output)
    }

    /// The absolute path of this executable.
    static func selfExecutable() -> String {
        #if os(Linux)
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
            if n > 0 {
                return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        #endif
        let arg0 = CommandLine.arguments[0]
        if arg0.hasPrefix("/") { return arg0 }
        if arg0.contains("/") { return FileManager.default.currentDirectoryPath + "/" + arg0 }
        return which(arg0) ?? arg0
    }

    /// The first executable named `name` on `PATH`.
    static func which(_ name: String) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let path = ProcessEnvironment.current()["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(name)"
            if access(candidate, X_OK) == 0 && !LocalDirs.isDirectory(candidate) { return candidate }
        }
        return nil
    }

    /// Spawns `/bin/true` (or `true` on PATH) a few times and returns the largest `ru_maxrss` seen: the floor that
    /// the spawner's own footprint puts under every child's reported peak RSS.
    static func baseline() -> ChildRun? {
        guard let t = which("true") else { return nil }
        var worst: ChildRun? = nil
        for _ in 0..<3 {
            guard let r = try? run(t, [], captureStdout: false) else { return nil }
            if worst == nil || r.maxRSSBytes > worst!.maxRSSBytes { worst = r }
        }
        return worst
    }
}

/// Small file-system helpers for the benchmark itself.
enum LocalDirs {
    static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    static func fileSize(_ path: String) -> Int64? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int64(st.st_size)
    }

    /// A fresh private directory under the system temporary directory.
    static func makeTemp(_ prefix: String) throws -> String {
        let base = ProcessEnvironment.current()["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/\(prefix)-XXXXXX".utf8CString)
        let made: String? = template.withUnsafeMutableBufferPointer { buf in
            mkdtemp(buf.baseAddress!).map { String(cString: $0) }
        }
        guard let made else { throw SpawnError(description: "mkdtemp: \(String(cString: strerror(errno)))") }
        return made
    }

    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `bytes` to `path` (creating parent directories), replacing it atomically.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// Logs go to standard error, results to standard output.
func log(_ message: String) {
    FileHandle.standardError.write(Data(("[quilt-bench] " + message + "\n").utf8))
}
