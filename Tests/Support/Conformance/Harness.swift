import FakeCatalog
import Foundation
package import QuiltContract
import Testing

/// What the conformance suite needs from a backend configuration. One conformance per configuration.
package protocol ConformanceHarness: Sendable {
    /// Stable, path-safe id used in test names and fixture paths: `memory`, `file`, `memory-readonly`, `factory-file`.
    var id: String { get }
    /// What this configuration claims; the suite checks the claim both ways.
    var capabilities: Set<Capability> { get }
    /// Scenarios this backend is allowed to fail while it is being built, with the reason. A declared deviation that
    /// stops occurring fails the run, so the list stays true.
    var knownDeviations: [ScenarioID: String] { get }
    /// A fresh, isolated session for one test case.
    func makeSession(scenario: ScenarioID) async throws -> ConformanceSession
}

/// One test case's backend: the operations under test, a writer for seeding, and where things live.
package struct ConformanceSession: Sendable {
    /// The backend under test, behind the `CapabilityGate` that `BackendFactory` puts in front of every backend.
    package let ops: any QuiltOps
    /// A fully capable backend over the same state, used to seed data when `ops` cannot write.
    package let seeder: any QuiltOps
    /// The registry this case owns.
    package let registry: RegistryURL
    /// A private scratch directory for local source files.
    package let scratch: String
    package let teardown: @Sendable () async throws -> Void
    /// Called before `teardown` when the case threw (a recording session then discards what it recorded).
    package var failed: @Sendable () -> Void = {}

    package init(
        ops: any QuiltOps, seeder: any QuiltOps, registry: RegistryURL, scratch: String,
        teardown: @escaping @Sendable () async throws -> Void, failed: @escaping @Sendable () -> Void = {}
    ) {
        self.ops = CapabilityGate(ops)
        self.seeder = seeder
        self.registry = registry
        self.scratch = scratch
        self.teardown = teardown
        self.failed = failed
    }
}

/// A harness wrapped for Swift Testing's argument lists.
package struct BackendUnderTest: Sendable, CustomTestStringConvertible {
    package let harness: any ConformanceHarness
    package init(harness: any ConformanceHarness) { self.harness = harness }
    package var id: String { harness.id }
    package var testDescription: String { harness.id }
    package var capabilities: Set<Capability> { harness.capabilities }

    /// Runs `body` with a fresh session; the case is expected to fail exactly when the harness declares a deviation
    /// for `scenario`.
    package func run(
        _ scenario: ScenarioID, _ body: @Sendable (ConformanceSession) async throws -> Void
    ) async throws {
        let session = try await harness.makeSession(scenario: scenario)
        do {
            if let reason = harness.knownDeviations[scenario] {
                await withKnownIssue(Comment(rawValue: "[\(id)] \(scenario.rawValue): \(reason)"), isIntermittent: false) {
                    try await body(session)
                }
            } else {
                try await body(session)
            }
        } catch {
            session.failed()
            try? await session.teardown()
            throw error
        }
        try await session.teardown()
    }
}

/// Dotted, stable scenario ids (used for deviations and, for HTTP backends, fixture names).
package struct ScenarioID: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral {
    package let rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }
    package init(stringLiteral value: String) { self.rawValue = value }
}

/// Every backend configuration: the registry engine's, S3's and the Platform backend's.
package enum Backends {
    package static let all: [BackendUnderTest] = [
        BackendUnderTest(harness: MemoryHarness()),
        BackendUnderTest(harness: FileHarness()),
        BackendUnderTest(harness: MemoryHarness(variant: .readOnly)),
        BackendUnderTest(harness: MemoryHarness(variant: .bare)),
        BackendUnderTest(harness: FactoryHarness()),
        BackendUnderTest(harness: S3Harness()),
        BackendUnderTest(harness: PlatformHarness(kind: .fake)),
        BackendUnderTest(harness: PlatformHarness(kind: .replay)),
    ] + olderCatalogs

    /// The fake catalog in every other schema variant. They use no fixtures, so they run with the default
    /// `QUILT_FIXTURES=replay` (`swift test`) and not again in the live tier, where they would repeat themselves.
    package static var olderCatalogs: [BackendUnderTest] {
        guard FixtureMode.current == .replay else { return [] }
        return FakeCatalogSchema.Variant.allCases.filter { $0 != .head }.map { BackendUnderTest(harness: PlatformHarness(kind: .fake, schema: $0)) }
    }

    /// Backends that declare every capability in `caps`.
    package static func supporting(_ caps: Capability...) -> [BackendUnderTest] {
        all.filter { Set(caps).isSubset(of: $0.capabilities) }
    }

    /// (backend, capability) pairs where the backend lacks the capability.
    package static var lacking: [(BackendUnderTest, Capability)] {
        all.flatMap { b in Capability.allCases.filter { !b.capabilities.contains($0) }.map { (b, $0) } }
    }
}
