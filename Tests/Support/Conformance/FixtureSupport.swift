import Foundation
import QuiltHTTP
import Testing

package enum FixturePaths {
    package static var repositoryRoot: String { Executables.repositoryRoot }

    /// `Fixtures/<backend>/<scenario>.json`.
    package static func fixture(backend: String, scenario: String) -> String {
        "\(repositoryRoot)/Fixtures/\(backend)/\(scenario).json"
    }

    /// The `swift test` filter that runs the current test (its function name).
    package static var currentTestFilter: String {
        guard let name = Test.current?.name else { return "ConformanceTests" }
        return String(name.prefix { $0 != "(" })
    }
}

/// A failure of the fixture machinery (missing fixture, replay mismatch, refused recording).
package struct FixtureFailure: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
