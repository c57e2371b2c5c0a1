import QuiltBackends
import QuiltMode
import QuiltOps
import QuiltStorage

/// The backend for each caller: made per request through ``QuiltBackends/BackendFactory`` with the request's
/// credentials, over the caller's own `memory://` pool when tenancy is multi (one shared pool otherwise).
struct CallerBackends: Sendable {
    let mode: Mode
    let tenants: TenantStore

    init(mode: Mode, tenants: TenantStore = TenantStore()) {
        self.mode = mode
        self.tenants = tenants
    }

    /// The backend acting for `credentials` (nil: auth is not jwt), or the typed error every tool call returns.
    func backend(for credentials: RequestCredentials?) async -> Result<any QuiltOps, QuiltOpsError> {
        let pool: MemoryStoragePool
        if mode.tenancy == .multi, let credentials {
            pool = await tenants.pool(for: credentials.cacheKey)
        } else {
            pool = BackendFactory.sharedMemory
        }
        do {
            return .success(try BackendFactory.make(mode: mode, credentials: credentials, memory: pool))
        } catch {
            return .failure(error)
        }
    }
}
