import QuiltBackends
import QuiltContract
import QuiltMode
import QuiltStorage

/// The backend for each caller: made per request through ``QuiltBackends/BackendFactory`` with the request's
/// credentials, over the `memory://` pool that caller may use:
/// - tenancy=multi, verified tenant: the tenant's own pool (``TenantStore``), bounded by `tenant_memory_bytes`;
/// - tenancy=multi, token not verified here: no pool at all. An unverified token names nobody, so any string would
///   get its own registries and enough of them would evict every real tenant's;
/// - otherwise: one pool for the process, bounded by `tenant_memory_bytes` like a tenant's.
struct CallerBackends: Sendable {
    let mode: Mode
    let tenants: TenantStore
    /// The pool of a single-tenant server.
    let processPool: MemoryStoragePool
    /// The pool of callers whose tokens nobody verified, in a multi-tenant server.
    let unverifiedPool = MemoryStoragePool(
        refusing: "memory:// registries are kept per verified tenant, and this server does not verify tokens "
            + "(QUILT_MCP_JWT_SECRET_FILE or QUILT_MCP_JWT_JWKS_URL turn verification on); use s3:// registries")

    init(mode: Mode, tenants: TenantStore? = nil) {
        self.mode = mode
        self.tenants = tenants ?? TenantStore(capacity: mode.limits.tenants, memoryBytes: mode.limits.tenantMemoryBytes)
        processPool = MemoryStoragePool(quota: MemoryQuota(
            limit: Int64(mode.limits.tenantMemoryBytes), setting: Mode.Limits.variable(.tenantMemoryBytes)))
    }

    /// The backend acting for `credentials` (nil: auth is not jwt), or the typed error every tool call returns.
    func backend(for credentials: RequestCredentials?) async -> Result<any QuiltOps, QuiltOpsError> {
        let pool: MemoryStoragePool
        if mode.tenancy == .multi, let credentials {
            pool = credentials.tenant != nil ? await tenants.pool(for: credentials.cacheKey) : unverifiedPool
        } else {
            pool = processPool
        }
        do {
            return .success(try BackendFactory.make(mode: mode, credentials: credentials, memory: pool))
        } catch {
            return .failure(error)
        }
    }
}
