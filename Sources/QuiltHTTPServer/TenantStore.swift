import QuiltStorage

/// Per-caller state of a multi-tenant server: each caller key (``QuiltOps/RequestCredentials/cacheKey`` —
/// `tenant:<verified tenant>`, or `token-sha256:<digest>` without verification) gets its own pool of
/// `memory://` registries, so one tenant's in-memory packages are invisible to every other.
///
/// Bounded: beyond ``capacity`` keys the least recently used is forgotten (its in-memory registries with it).
actor TenantStore {
    private struct Entry {
        let pool: MemoryStoragePool
        var lastUse: UInt64
    }

    /// The most keys kept.
    let capacity: Int
    private var entries: [String: Entry] = [:]
    private var tick: UInt64 = 0

    init(capacity: Int = 1024) {
        self.capacity = max(1, capacity)
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
        let pool = MemoryStoragePool()
        entries[key] = Entry(pool: pool, lastUse: tick)
        return pool
    }

    /// How many keys are kept.
    var count: Int { entries.count }
}
