import Foundation

/// How HTTP-backed harnesses reach their service, from `QUILT_FIXTURES` (tests may read the environment).
package enum FixtureMode: String, Sendable {
    /// Answer from the committed fixture; never touch the network (the default).
    case replay
    /// Run against the live service and write the fixture (refused when `CI` is set).
    case record
    /// Run against the live service; write nothing.
    case live

    package static var current: FixtureMode {
        let raw = ProcessInfo.processInfo.environment["QUILT_FIXTURES"]?.lowercased() ?? ""
        return FixtureMode(rawValue: raw.isEmpty ? "replay" : raw) ?? .replay
    }

    /// Whether a `CI` variable is set (recording is refused there).
    package static var onCI: Bool { !(ProcessInfo.processInfo.environment["CI"] ?? "").isEmpty }
}
