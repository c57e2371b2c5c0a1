import Foundation
import QuiltJSON
import QuiltTestSupport
import Synchronization

/// The built `quilt-mcp` running as an MCP server on pipes: raw JSON-RPC lines in, every stdout line kept.
///
/// Every wait has a deadline, so a hung server fails the test instead of hanging it; ``stop()`` (call it in a
/// `defer`) kills the child if it is still running.
final class ServerProcess: Sendable {
    struct Timeout: Error, CustomStringConvertible {
        var description: String
    }

    private struct State {
        var lines: [String] = []
        var eof = false
    }

    private let process: Process
    private let input: FileHandle

    /// The names of the child's threads (`/proc/<pid>/task/*/comm`, Linux).
    var threadNames: [String] {
        let dir = "/proc/\(process.processIdentifier)/task"
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return tasks.compactMap { try? String(contentsOfFile: "\(dir)/\($0)/comm", encoding: .utf8) }
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.sorted()
    }
    private let state = Mutex(State())
    let stderrPath: String

    /// Starts `quilt-mcp` with `arguments` and `environment`.
    init(_ arguments: [String] = [], environment: [String: String]) throws {
        let p = Process()
        p.executableURL = try Executables.built()
        p.arguments = arguments
        p.environment = environment
        let stdinPipe = Pipe()
        let stdoutPipe = Pipe()
        stderrPath = NSTemporaryDirectory() + "quilt-mcp-stderr-" + UUID().uuidString
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        p.standardInput = stdinPipe
        p.standardOutput = stdoutPipe
        p.standardError = FileHandle(forWritingAtPath: stderrPath)
        try p.run()
        process = p
        input = stdinPipe.fileHandleForWriting
        let fd = stdoutPipe.fileHandleForReading.fileDescriptor
        let thread = Thread { [self] in readLines(fd: fd) }
        thread.start()
    }

    private func readLines(fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        var partial: [UInt8] = []
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            for byte in buffer[0..<n] {
                if byte == UInt8(ascii: "\n") {
                    let line = String(decoding: partial, as: UTF8.self)
                    state.withLock { $0.lines.append(line) }
                    partial.removeAll(keepingCapacity: true)
                } else {
                    partial.append(byte)
                }
            }
        }
        let rest = String(decoding: partial, as: UTF8.self)
        state.withLock {
            if !rest.isEmpty { $0.lines.append(rest) }
            $0.eof = true
        }
    }

    /// Writes one JSON-RPC message (a line).
    func send(_ message: JSONValue) {
        input.write(Data((JSONWriter.compact(message) + "\n").utf8))
    }

    /// Writes `text` and a newline as they are.
    func sendRaw(_ text: String) {
        input.write(Data((text + "\n").utf8))
    }

    /// Sends a request with `id`.
    func request(_ id: Int, _ method: String, _ params: JSONValue? = nil) {
        var m: JSONObject = ["jsonrpc": "2.0", "id": .number(JSONNumber(id)), "method": .string(method)]
        if let params { m["params"] = params }
        send(.object(m))
    }

    /// Sends a notification.
    func notify(_ method: String, _ params: JSONValue? = nil) {
        var m: JSONObject = ["jsonrpc": "2.0", "method": .string(method)]
        if let params { m["params"] = params }
        send(.object(m))
    }

    /// Every line the server wrote so far.
    var lines: [String] { state.withLock { $0.lines } }

    /// The parsed messages so far (lines that do not parse are left out; see ``lines``).
    var messages: [JSONValue] { lines.compactMap { try? JSONParser.parse($0) } }

    /// Waits until a message satisfies `match` and returns it.
    func wait(timeout: Double = 20, _ what: String, _ match: (JSONValue) -> Bool) throws -> JSONValue {
        let deadline = Date().addingTimeInterval(timeout)
        var seen = 0
        while true {
            let (lines, eof) = state.withLock { ($0.lines, $0.eof) }
            for line in lines[seen...] {
                if let m = try? JSONParser.parse(line), match(m) { return m }
            }
            seen = lines.count
            if eof { throw Timeout(description: "server closed its output before \(what); stderr: \(stderrText)") }
            if Date() > deadline { throw Timeout(description: "no \(what) within \(timeout) s; stderr: \(stderrText)") }
            usleep(1000)
        }
    }

    /// Waits for the response to request `id`.
    func response(_ id: Int, timeout: Double = 20) throws -> JSONValue {
        try wait(timeout: timeout, "response to request \(id)") { $0["id"]?.intValue == id && $0["method"] == nil }
    }

    /// Sends a request and waits for its response.
    func call(_ id: Int, _ method: String, _ params: JSONValue? = nil) throws -> JSONValue {
        request(id, method, params)
        return try response(id)
    }

    /// Initializes with `version` and sends `notifications/initialized`; returns the initialize result.
    func initialize(version: String = "2025-06-18") throws -> JSONValue {
        let r = try call(
            0, "initialize",
            ["protocolVersion": .string(version), "capabilities": [:], "clientInfo": ["name": "swift-tests", "version": "1"]])
        notify("notifications/initialized")
        return r["result"] ?? .null
    }

    /// Closes the server's standard input and waits for it to exit; returns its status.
    func closeAndWait(timeout: Double = 20) throws -> Int32 {
        try? input.close()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline { throw Timeout(description: "server still running \(timeout) s after end of input") }
            usleep(1000)
        }
        // Let the reader see the end of output.
        while !state.withLock({ $0.eof }) && Date() < deadline { usleep(1000) }
        return process.terminationStatus
    }

    /// Kills the server if it is still running and removes its stderr file.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: stderrPath)
    }

    /// What the server wrote on standard error.
    var stderrText: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
}
