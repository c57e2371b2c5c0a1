package import FoundationEssentials
package import QuiltContract
package import QuiltMode
import QuiltRegistry
package import QuiltStorage

/// The only place a backend is chosen: turns a resolved `Mode` into a `QuiltOps`, always behind a `CapabilityGate`
/// (the one place capabilities are enforced).
///
/// Nothing else inspects the mode to decide which backend answers; tools and servers receive the `QuiltOps` this
/// returns. Over HTTP, `make(mode:credentials:memory:)` takes the request's credentials (a per-request JWT) too.
package enum BackendFactory {
    /// In-process memory registries shared by every backend this process makes, so `memory://name` is one store.
    package static let sharedMemory = MemoryStoragePool()

    /// Builds the backend for `mode`, behind a ``CapabilityGate`` (as every backend made here is).
    /// - Throws: `invalidInput` for a missing registry or a malformed `AWS_ENDPOINT_URL…`.
    package static func make(
        mode: Mode, memory: MemoryStoragePool = sharedMemory, clock: @escaping @Sendable () -> Date = { Date() }
    ) throws(QuiltOpsError) -> any QuiltOps {
        CapabilityGate(try backend(mode: mode, memory: memory, clock: clock), readOnly: mode.readOnlySetting)
    }

    /// The backend for `mode`; S3 and Platform backends come gated, local registries not yet.
    static func backend(
        mode: Mode, memory: MemoryStoragePool, clock: @escaping @Sendable () -> Date
    ) throws(QuiltOpsError) -> any QuiltOps {
        switch mode.api {
        case .registry:
            guard let registry = mode.registry else {
                throw .invalidInput(field: "registry", reason: "the registry API needs QUILT_MCP_REGISTRY (or --registry).")
            }
            if registry.kind == .s3 {
                return try makeS3(mode: mode, registry: registry, memory: memory, clock: clock, bearerToken: mode.jwtToken)
            }
            if registry == mode.defaultLocalRegistry, mode.state == .persistent, registry.kind == .file {
                // quilt3 creates its data directory on first use; so do we, so that with zero setup the local
                // registry starts empty rather than missing. A registry named explicitly is never created.
                try? FileManager.default.createDirectory(atPath: registry.location, withIntermediateDirectories: true)
            }
            var capabilities = RegistryEngine.localCapabilities
            if mode.readOnly { capabilities.subtract(RegistryEngine.writeCapabilities) }
            let local = LocalStorageResolver(memory: memory, files: mode.serverFiles)
            // Calls may still name s3:// registries and manifests may point into S3: those resolve through S3,
            // set up on the first such call.
            capabilities.insert(.presign)
            let resolver = localWithS3(mode: mode, local: local)
            return RegistryEngine(
                backendID: BackendID(rawValue: registry.kind.rawValue), resolver: resolver, capabilities: capabilities,
                knownRegistries: [registry], clock: clock,
                auth: AuthStatus(
                    authenticated: true, method: "local", registry: registry.url,
                    detail: "\(registry.url) is on this machine; no credentials are needed."))
        case .platform:
            return try makePlatform(mode: mode, bearerToken: mode.jwtToken, clock: clock)
        }
    }
}
