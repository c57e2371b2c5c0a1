import Foundation
import QuiltMode
import QuiltOps
import QuiltRegistry
import QuiltStorage

/// The only place a backend is chosen: turns a resolved `Mode` into a `QuiltOps`.
///
/// Nothing else inspects the mode to decide which backend answers; tools and servers receive the `QuiltOps` this
/// returns. Later issues add request credentials (per-request JWT) as a second input.
public enum BackendFactory {
    /// In-process memory registries shared by every backend this process makes, so `memory://name` is one store.
    public static let sharedMemory = MemoryStoragePool()

    /// Builds the backend for `mode`.
    /// - Throws: `QuiltOpsError.unsupported` when the mode asks for a backend this build does not have yet
    ///   (S3 registries: issue #3; the Platform backend: issue #4), naming the setting to change.
    public static func make(
        mode: Mode, memory: MemoryStoragePool = sharedMemory, clock: @escaping @Sendable () -> Date = { Date() }
    ) throws(QuiltOpsError) -> any QuiltOps {
        switch mode.api {
        case .registry:
            guard let registry = mode.registry else {
                throw .invalidInput(field: "registry", reason: "the registry API needs QUILT_MCP_REGISTRY (or --registry).")
            }
            if registry.kind == .s3 {
                throw .unsupported(
                    operation: "S3 registries (\(registry.url)); use a file:// or memory:// registry until S3 support lands",
                    backend: "registry")
            }
            var capabilities = RegistryEngine.localCapabilities
            if mode.readOnly { capabilities.subtract(RegistryEngine.writeCapabilities) }
            let resolver = LocalStorageResolver(memory: memory, allowsFiles: mode.state == .persistent)
            return RegistryEngine(
                backendID: BackendID(rawValue: registry.kind.rawValue), resolver: resolver, capabilities: capabilities,
                knownRegistries: [registry], clock: clock,
                auth: AuthStatus(
                    authenticated: true, method: "local", registry: registry.url,
                    detail: "\(registry.url) is on this machine; no credentials are needed."))
        case .platform:
            throw .unsupported(
                operation: "the catalog (GraphQL) API; set QUILT_MCP_API=registry until the Platform backend lands",
                backend: "platform")
        }
    }
}
