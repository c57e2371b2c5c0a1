package import Foundation
import Synchronization

/// The package's built executables, run the way a user runs them, and the private environments they run in.
package enum Executables {
    /// The package root: the directory holding `Package.swift` above this file.
    package static let packageRoot: URL = {
        var root = URL(fileURLWithPath: #filePath)
        while root.pathComponents.count > 1
            && !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path)
        {
            root.deleteLastPathComponent()
        }
        return root
    }()

    /// The package root as a path.
    package static var repositoryRoot: String { packageRoot.path }

    /// The executable `name` beside the test bundle (`.build/<config>/<name>`), else `.build/debug/<name>`.
    /// - Throws: `CocoaError(.fileNoSuchFile)` when it has not been built.
    package static func built(_ name: String = "quilt-mcp") throws -> URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir.deleteLastPathComponent()
        }
        let debug = packageRoot.appendingPathComponent(".build/debug/\(name)")
        guard FileManager.default.isExecutableFile(atPath: debug.path) else { throw CocoaError(.fileNoSuchFile) }
        return debug
    }

    /// A private HOME and XDG_DATA_HOME with no configuration (the zero-setup local registry) and a minimal PATH;
    /// remove `dir` afterwards.
    package static func sandbox(_ label: String) throws -> (env: [String: String], dir: String) {
        let dir = NSTemporaryDirectory() + "quilt-\(label)-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir + "/home", withIntermediateDirectories: true)
        return (["HOME": dir + "/home", "XDG_DATA_HOME": dir + "/xdg", "PATH": "/usr/bin:/bin"], dir)
    }

    /// How a run ended.
    package struct Run: Sendable {
        package var status: Int32
        package var stdout: String
        package var stderr: String
    }

    /// Runs `quilt-mcp` (or `executable`) to completion with `stdin` as its whole input (never the terminal
    /// `swift test` may run on). Standard error is read on a thread of its own, so a child that fills one pipe
    /// while the other is being read cannot deadlock.
    package static func run(
        _ arguments: [String], env: [String: String], stdin: String = "", executable: String = "quilt-mcp"
    ) throws -> Run {
        let p = Process()
        p.executableURL = try built(executable)
        p.arguments = arguments
        p.environment = env
        let input = Pipe()
        let out = Pipe()
        let err = Pipe()
        p.standardInput = input
        p.standardOutput = out
        p.standardError = err
        try p.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try? input.fileHandleForWriting.close()
        let errData = Mutex(Data())
        let reader = Thread { errData.withLock { $0 = err.fileHandleForReading.readDataToEndOfFile() } }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        while reader.isExecuting || !reader.isFinished { usleep(1000) }
        return Run(
            status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData.withLock { $0 }, as: UTF8.self))
    }
}
