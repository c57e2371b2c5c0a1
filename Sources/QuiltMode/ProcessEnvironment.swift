import FoundationEssentials

/// The process environment, read in exactly one place.
///
/// Every other part of quilt-mcp receives configuration as an explicit `[String: String]` (usually through
/// ``ModeResolver/resolve(flags:environment:)``), so tests are pure and no component can make a private
/// decision from a variable nobody else sees. A test in `ModeTests` fails if any other file under `Sources/`
/// or `Mocks/` reads the environment.
package enum ProcessEnvironment {
    /// A snapshot of the current process environment. Never fails; later changes to the environment are not
    /// reflected in the returned dictionary.
    package static func current() -> [String: String] {
        ProcessInfo.processInfo.environment
    }
}
