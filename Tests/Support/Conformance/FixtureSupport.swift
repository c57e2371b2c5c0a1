import Foundation
import QuiltHTTP
import QuiltTestSupport
import Testing

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
