import Foundation
import QuiltBackends
package import QuiltContract
import QuiltMode

/// The registry engine as the command line gets it: a `Mode` resolved from flags and environment, turned into a
/// backend by `BackendFactory`. Running the suite through it covers the selector's wiring with the same spec.
package struct FactoryHarness: ConformanceHarness {
    package var id: String { "factory-file" }
    package var capabilities: Set<Capability> {
        [.packageWrite, .packageDelete, .search, .objectListing, .objectWrite, .bucketListing, .presign]
    }
    package var knownDeviations: [ScenarioID: String] { [:] }

    package func makeSession(scenario: ScenarioID) async throws -> ConformanceSession {
        let scratch = try makeScratchDirectory(id)
        // No registry flag: the default local registry under XDG_DATA_HOME, exactly as a user with no setup gets.
        let environment = ["HOME": scratch + "/home", "XDG_DATA_HOME": scratch + "/xdg"]
        let (mode, remaining) = try ModeResolver.resolve(arguments: ["call"], environment: environment)
        precondition(remaining == ["call"])
        let registry = try require(mode.registry)
        precondition(registry.url.hasSuffix("/xdg/Quilt/packages"))
        try FileManager.default.createDirectory(atPath: registry.location, withIntermediateDirectories: true)
        let clock = TickingClock()
        let ops = try BackendFactory.make(mode: mode, clock: { clock.tick() })
        return ConformanceSession(
            ops: ops, seeder: ops, registry: registry, scratch: scratch,
            teardown: { try? FileManager.default.removeItem(atPath: scratch) })
    }
}

private struct Missing: Error {}
private func require<T>(_ v: T?) throws -> T {
    guard let v else { throw Missing() }
    return v
}
