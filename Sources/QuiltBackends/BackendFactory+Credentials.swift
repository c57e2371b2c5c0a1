package import FoundationEssentials
package import QuiltContract
package import QuiltMode
import QuiltRegistry
package import QuiltStorage

extension BackendFactory {
    /// Builds the backend for `mode` acting for the caller `credentials` (one HTTP request's bearer token, or the
    /// mode's configured token over stdio); `nil` means no caller credentials (auth is not jwt).
    ///
    /// The backend is chosen exactly as ``make(mode:memory:clock:)`` chooses it. The Platform backend forwards the
    /// caller's token to the catalog; an `s3://` registry with auth=jwt exchanges it for AWS credentials at the
    /// registry API (once per token and credential lifetime, through ``TokenCredentialPool/shared``); a local
    /// (file://, memory://) registry records it: `authStatus()` reports method `jwt`, the subject as identity and
    /// whether the token was verified.
    /// `memory` is the caller's pool of `memory://` registries (one per tenant in multi-tenant deployments).
    ///
    /// - Throws: as ``make(mode:memory:clock:)``.
    package static func make(
        mode: Mode, credentials: RequestCredentials?, memory: MemoryStoragePool = sharedMemory,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws(QuiltOpsError) -> any QuiltOps {
        CapabilityGate(try made(mode: mode, credentials: credentials, memory: memory, clock: clock), readOnly: mode.readOnlySetting)
    }

    /// The backend ``make(mode:credentials:memory:clock:)`` serves, before the mode's read-only setting is applied.
    private static func made(
        mode: Mode, credentials: RequestCredentials?, memory: MemoryStoragePool, clock: @escaping @Sendable () -> Date
    ) throws(QuiltOpsError) -> any QuiltOps {
        if mode.api == .platform { return try makePlatform(mode: mode, bearerToken: credentials?.bearerToken ?? mode.jwtToken, clock: clock) }
        if let credentials, mode.auth == .jwt, let registry = mode.registry, registry.kind == .s3 {
            return try makeS3(mode: mode, registry: registry, memory: memory, clock: clock, caller: credentials)
        }
        let backend = try self.backend(mode: mode, memory: memory, clock: clock)
        // Local registries (file://, memory://) need no credentials: the token only gates access, and is recorded.
        guard let credentials, let engine = backend as? RegistryEngine, let registry = mode.registry,
            registry.kind != .s3
        else { return CapabilityGate(backend) }
        let verified = credentials.verified ? "verified here" : "not verified here (the catalog verifies it)"
        var detail = "\(engine.auth.detail) Caller: a bearer token, \(verified)"
        if let tenant = credentials.tenant { detail += ", tenant \(tenant)" }
        detail += "; the token only gates access to this registry."
        return CapabilityGate(RegistryEngine(
            backendID: engine.backendID, resolver: engine.resolver, capabilities: engine.capabilities,
            knownRegistries: engine.knownRegistries, clock: engine.clock,
            auth: AuthStatus(
                authenticated: true, method: "jwt", identity: credentials.subject ?? credentials.tenant,
                catalogURL: engine.auth.catalogURL ?? mode.catalogURL, registry: engine.auth.registry, detail: detail)))
    }
}
