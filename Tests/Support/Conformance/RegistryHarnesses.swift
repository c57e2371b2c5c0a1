import Foundation
import QuiltContract
import QuiltRegistry
import QuiltStorage
import QuiltTestSupport

/// The registry engine over an in-memory store, in three configurations: everything, read-only (the read-only
/// deployment), and bare (reading packages only), so the `unsupported` checks run for every capability.
struct MemoryHarness: ConformanceHarness {
    enum Variant: String { case full = "memory", readOnly = "memory-readonly", bare = "memory-bare" }
    var variant: Variant = .full
    var id: String { variant.rawValue }
    var capabilities: Set<Capability> {
        switch variant {
        case .full: return RegistryEngine.localCapabilities
        case .readOnly: return RegistryEngine.localCapabilities.subtracting(RegistryEngine.writeCapabilities)
        // Package reading only: keeps every refusal branch of the suite exercised.
        case .bare: return []
        }
    }
    var knownDeviations: [ScenarioID: String] { [:] }

    func makeSession(scenario: ScenarioID) async throws -> ConformanceSession {
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
struct FileHarness: ConformanceHarness {
    var id: String { "file" }
    var capabilities: Set<Capability> { RegistryEngine.localCapabilities }
    var knownDeviations: [ScenarioID: String] { [:] }

    func makeSession(scenario: ScenarioID) async throws -> ConformanceSession {
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
