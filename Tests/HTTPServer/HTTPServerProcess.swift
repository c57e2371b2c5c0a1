import AsyncHTTPClient
import Foundation
import NIOCore
import QuiltJSON
import QuiltTestSupport
import Synchronization

/// The built `quilt-mcp` serving HTTP on 127.0.0.1 and a port picked for it, stopped by ``stop()`` (SIGTERM,
/// then wait). Every wait has a deadline, so a hung server fails the test instead of hanging it.
final class HTTPServerProcess: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let process: Process
    let port: Int
    let stderrPath: String

    /// Starts `quilt-mcp` with `arguments` (`--transport http --host 127.0.0.1 --port N` added) and `environment`,
    /// and waits until it announces it is listening; retries with another port if the picked one was taken.
    init(_ arguments: [String], environment: [String: String], wrapper: [String] = []) throws {
        var lastError = ""
        for _ in 0..<3 {
            let port = try FreePort.pick()
            let stderrPath = NSTemporaryDirectory() + "quilt-mcp-http-stderr-" + UUID().uuidString
            _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
            let p = Process()
            let binary = try Executables.built()
            let serverArguments = arguments + ["--transport", "http", "--host", "127.0.0.1", "--port", String(port)]
            if wrapper.isEmpty {
                p.executableURL = binary
                p.arguments = serverArguments
            } else {
                p.executableURL = URL(fileURLWithPath: wrapper[0])
                p.arguments = Array(wrapper.dropFirst()) + [binary.path] + serverArguments
            }
            p.environment = environment
            p.standardInput = FileHandle.nullDevice
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle(forWritingAtPath: stderrPath)
            try p.run()
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                let text = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
                if text.contains("serving MCP over streamable HTTP at http://127.0.0.1:\(port)/mcp") {
                    process = p
                    self.port = port
                    self.stderrPath = stderrPath
                    return
                }
                if !p.isRunning { break }
                usleep(2000)
            }
            lastError = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
            if p.isRunning { p.terminate() }
            p.waitUntilExit()
            try? FileManager.default.removeItem(atPath: stderrPath)
        }
        throw Failure(description: "quilt-mcp did not start serving HTTP; stderr: \(lastError)")
    }

    /// `http://127.0.0.1:PORT` + `path`.
    func url(_ path: String = "/mcp") -> String { "http://127.0.0.1:\(port)\(path)" }

    /// What the server wrote on standard error.
    var stderrText: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Whether the process is still running.
    var isRunning: Bool { process.isRunning }

    /// Sends SIGTERM and waits (up to `timeout` s) for the exit status; kills it if it does not exit. The default is
    /// generous because a CI machine once stalled every process for about a minute; a server that exits waits none of it.
    @discardableResult
    func terminate(timeout: Double = 90) throws -> Int32 {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw Failure(description: "server still running \(timeout) s after SIGTERM; stderr: \(stderrText)")
            }
            usleep(2000)
        }
        return process.terminationStatus
    }

    /// Stops the server if it still runs and removes its stderr file (call in a `defer`).
    func stop() {
        _ = try? terminate()
        try? FileManager.default.removeItem(atPath: stderrPath)
    }
}

/// A TCP port that was free a moment ago on 127.0.0.1 (bind to 0, read it back, close).
enum FreePort {
    static func pick() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HTTPServerProcess.Failure(description: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw HTTPServerProcess.Failure(description: "bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

