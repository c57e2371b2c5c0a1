#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a command line through `/bin/sh -c` with `posix_spawn`, as `credential_process` requires: standard output
/// is captured, standard error goes to ours (the server's log), and the environment is the one given (the mode's
/// `childEnvironment`: only QuiltMode reads the process environment).
///
/// Written on POSIX rather than Foundation's `Process` so the S3 module needs FoundationEssentials only (see
/// docs/design/shipped-binary.md). Blocking: call it off the cooperative pool.
enum ShellCommand {
    /// What a finished command left: its exit status (or 128 + the signal that ended it) and what it printed.
    struct Outcome: Sendable {
        var status: Int32
        var output: [UInt8]
    }

    /// Output beyond this many bytes is read and dropped (credential JSON is a few hundred bytes).
    static let outputLimit = 1 << 20

    /// Runs `command` with exactly `environment` and waits for it.
    /// - Returns: nil when the shell could not be started at all.
    static func run(_ command: String, environment: [String: String]) -> Outcome? {
        var pipeEnds: [Int32] = [-1, -1]
        guard pipe(&pipeEnds) == 0 else { return nil }
        let (readEnd, writeEnd) = (pipeEnds[0], pipeEnds[1])
        // Neither end may leak into a process another task spawns meanwhile; dup2 clears the flag on the child's 1.
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)

        let words: [String] = ["/bin/sh", "-c", command]
        let arguments = words.map { strdup($0) }
        defer { arguments.forEach { free($0) } }
        var argv: [UnsafeMutablePointer<CChar>?] = arguments + [nil]
        let variables = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") }
        defer { variables.forEach { free($0) } }
        var envp: [UnsafeMutablePointer<CChar>?] = variables + [nil]

        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, &argv, &envp)
        close(writeEnd)
        guard spawned == 0 else {
            close(readEnd)
            return nil
        }

        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                break
            }
            if n == 0 { break }
            if output.count < outputLimit { output.append(contentsOf: buffer[0..<min(n, outputLimit - output.count)]) }
        }
        close(readEnd)

        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { return Outcome(status: -1, output: output) }
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as macros.
        let signal = status & 0x7F
        return Outcome(status: signal == 0 ? (status >> 8) & 0xFF : 128 + signal, output: output)
    }
}
