import Foundation
import QuiltHTTP
import QuiltTestSupport
import Testing

/// How HTTP-backed harnesses reach their service, from `QUILT_FIXTURES` (tests may read the environment).
enum FixtureMode: String, Sendable {
    /// Answer from the committed fixture; never touch the network (the default).
    case replay
    /// Run against the live service and write the fixture (refused when `CI` is set).
    case record
    /// Run against the live service; write nothing.
    case live

    static var current: FixtureMode {
        let raw = ProcessInfo.processInfo.environment["QUILT_FIXTURES"]?.lowercased() ?? ""
        return FixtureMode(rawValue: raw.isEmpty ? "replay" : raw) ?? .replay
    }

    /// Whether a `CI` variable is set (recording is refused there).
    static var onCI: Bool { !(ProcessInfo.processInfo.environment["CI"] ?? "").isEmpty }
}

enum FixturePaths {
    static var repositoryRoot: String { Executables.repositoryRoot }

    /// `Fixtures/<backend>/<scenario>.json`.
    static func fixture(backend: String, scenario: String) -> String {
        "\(repositoryRoot)/Fixtures/\(backend)/\(scenario).json"
    }

    /// The `swift test` filter that runs the current test (its function name).
    static var currentTestFilter: String {
        guard let name = Test.current?.name else { return "ConformanceTests" }
        return String(name.prefix { $0 != "(" })
    }
}

/// A failure of the fixture machinery (missing fixture, replay mismatch, refused recording).
struct FixtureFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
