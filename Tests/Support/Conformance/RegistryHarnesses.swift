import Foundation
package import QuiltContract
import QuiltRegistry
import QuiltStorage

/// The registry engine over an in-memory store, in three configurations: everything, read-only (the read-only
/// deployment), and bare (reading packages only), so the `unsupported` checks run for every capability.
package struct MemoryHarness: ConformanceHarness {
    package enum Variant: String { case full = "memory", readOnly = "memory-readonly", bare = "memory-bare" }
    package var variant: Variant = .full
    package init(variant: Variant = .full) { self.variant = variant }
    package var id: String { variant.rawValue }
    package var capabilities: Set<Capability> {
        switch variant {
        case .full: return RegistryEngine.localCapabilities
        case .readOnly: return RegistryEngine.localCapabilities.subtracting(RegistryEngine.writeCapabilities)
        // Package reading only: keeps every refusal branch of the suite exercised.
        case .bare: return []
        }
    }
    package var knownDeviations: [ScenarioID: String] { [:] }

    package func makeSession(scenario: ScenarioID) async throws -> ConformanceSession {
        let pool = MemoryStoragePool()
        let registry = try RegistryURL.memory("conformance-\(UUID().uuidString.prefix(8))")
        let clock = TickingClock()
        let resolver = LocalStorageResolver(memory: pool, files: .allowed)
        let seeder = RegistryEngine(
            backendID: "memory", resolver: resolver, knownRegistries: [registry], clock: { clock.tick() })
        let ops = RegistryEngine(
            backendID: BackendID(rawValue: id), resolver: resolver, capabilities: capabilities,
            knownRegistries: [registry], clock: { clock.tick() })
        let scratch = try makeScratchDirectory(id)
        return ConformanceSession(
            ops: ops, seeder: seeder, registry: registry, scratch: scratch,
            teardown: { try? FileManager.default.removeItem(atPath: scratch) })
    }
}

/// The registry engine over a local directory (quilt3's local-registry layout).
package struct FileHarness: ConformanceHarness {
    package init() {}
    package var id: String { "file" }
    package var capabilities: Set<Capability> { RegistryEngine.localCapabilities }
    package var knownDeviations: [ScenarioID: String] { [:] }

    package func makeSession(scenario: ScenarioID) async throws -> ConformanceSession {
        let scratch = try makeScratchDirectory(id)
        let root = scratch + "/registry"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let registry = try RegistryURL.file(root)
        let clock = TickingClock()
        let engine = RegistryEngine(
            backendID: "file", resolver: LocalStorageResolver(files: .allowed), knownRegistries: [registry], clock: { clock.tick() })
        return ConformanceSession(
            ops: engine, seeder: engine, registry: registry, scratch: scratch,
            teardown: { try? FileManager.default.removeItem(atPath: scratch) })
    }
}
