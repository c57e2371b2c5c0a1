import QuiltMode
import QuiltStorage

/// Per-tenant state of a multi-tenant server: each verified tenant (``QuiltContract/RequestCredentials/cacheKey``,
/// `tenant:<claim>:<tenant>`) gets its own pool of `memory://` registries, so one tenant's in-memory packages are
/// invisible to every other, bounded by ``memoryBytes`` bytes and 64 registries.
///
/// Bounded: beyond ``capacity`` tenants the least recently used is forgotten (its in-memory registries with it).
/// Only verified tenants get a pool (``CallerBackends``), so forgetting one takes a holder of a validly signed token.
actor TenantStore {
    private struct Entry {
        let pool: MemoryStoragePool
        var lastUse: UInt64
    }

    /// The most tenants kept.
    let capacity: Int
    /// The bytes each tenant's registries may hold together.
    let memoryBytes: Int
    /// The most `memory://` registries one tenant may make.
    static let registriesPerTenant = 64
    private var entries: [String: Entry] = [:]
    private var tick: UInt64 = 0

    init(capacity: Int = Mode.Limits.defaults.tenants, memoryBytes: Int = Mode.Limits.defaults.tenantMemoryBytes) {
        self.capacity = max(1, capacity)
        self.memoryBytes = memoryBytes
    }

    /// The pool of `key`, made on first use.
    func pool(for key: String) -> MemoryStoragePool {
        tick += 1
        if var entry = entries[key] {
            entry.lastUse = tick
            entries[key] = entry
            return entry.pool
        }
        if entries.count >= capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
            entries.removeValue(forKey: oldest)
        }
        let quota = MemoryQuota(limit: Int64(memoryBytes), setting: Mode.Limits.variable(.tenantMemoryBytes))
        let pool = MemoryStoragePool(quota: quota, maximumStores: Self.registriesPerTenant)
        entries[key] = Entry(pool: pool, lastUse: tick)
        ServerMetrics.tenants(entries.count)
        return pool
    }

    /// How many tenants are kept.
    var count: Int { entries.count }
}
