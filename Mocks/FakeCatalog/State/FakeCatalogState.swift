package import Foundation
package import QuiltContract
import QuiltJSON
package import QuiltRegistry
import QuiltStorage
import Synchronization

/// What the fake catalog knows: its buckets (in memory) and, through the project's registry engine over them,
/// every package; what a mutation writes, later queries read. Search sessions for `searchMore*` live here too, and the
/// catalog's administration: users, roles and policies (``admin``), bucket settings, API keys and packager rules.
package final class FakeCatalogState: Sendable {
    /// The registry engine over the fake's buckets (every capability).
    package let engine: RegistryEngine
    let buckets: FakeBucketResolver
    private let searches = Mutex<[String: [JSONValue]]>([:])
    private let issuedKeys = Mutex<Set<String>>([])
    private let tabulator = Mutex<[String: [(name: String, config: String)]]>([:])
    private let openQuery = Mutex(false)
    /// Users, roles, policies and the SSO config (the catalog's admin API).
    let admin: FakeAdminState
    /// What admins set on buckets through `bucketAdd`/`bucketUpdate`.
    let bucketSettings = FakeBucketSettings()
    /// API keys (catalogs from 2026-06).
    let apiKeys: FakeAPIKeyState
    /// Packager event rules (catalogs from 2025-07).
    let packager = FakePackagerState()

    /// - Parameter clock: "now" for pushes (a ticking clock in tests makes every push its own timestamp).
    package init(buckets: [String], clock: @escaping @Sendable () -> Date = { Date() }) throws(QuiltOpsError) {
        let resolver = FakeBucketResolver()
        for b in buckets { try resolver.add(b) }
        self.buckets = resolver
        engine = RegistryEngine(backendID: "fake-catalog", resolver: resolver, clock: clock)
        admin = FakeAdminState(clock: clock)
        apiKeys = FakeAPIKeyState(clock: clock)
    }

    /// Adds a bucket (no-op when it exists).
    package func addBucket(_ name: String) throws(QuiltOpsError) { try buckets.add(name) }

    /// Every bucket, in the order they were added.
    package var bucketNames: [String] { buckets.names }

    package func hasBucket(_ name: String) -> Bool { buckets.has(name) }

    /// Takes a bucket out of the catalog (its objects stay, and come back if it is added again), with its settings
    /// and the policies' grants on it; false when the catalog does not have it.
    func removeBucket(_ name: String) -> Bool {
        guard buckets.remove(name) else { return false }
        bucketSettings.remove(name)
        admin.forgetBucket(name)
        return true
    }

    /// The storage behind `bucket` (the fake's S3 endpoint reads and writes it).
    func storage(_ bucket: String) throws(QuiltOpsError) -> any ObjectStorage {
        try buckets.storage(for: try RegistryURL.s3(bucket))
    }

    // MARK: - Search sessions

    /// Keeps the hits after the first page and returns the cursor for `searchMore*`.
    func saveSearch(_ rest: [JSONValue]) -> String? {
        guard !rest.isEmpty else { return nil }
        let id = UUID().uuidString.lowercased()
        searches.withLock { $0[id] = rest }
        return id
    }

    /// The hits a cursor stands for. Cursors can be used again (a retried request gets the same page), as the
    /// catalog's own, which encode the search rather than point at server state.
    func search(after id: String) -> [JSONValue]? { searches.withLock { $0[id] } }

    // MARK: - Tabulator

    /// A bucket's Tabulator tables, in the order they were made.
    func tabulatorTables(_ bucket: String) -> [(name: String, config: String)] { tabulator.withLock { $0[bucket] ?? [] } }

    /// Sets (nil config: deletes) a table; returns the bucket's tables after the change.
    func setTabulatorTable(_ bucket: String, _ name: String, _ config: String?) -> [(name: String, config: String)] {
        tabulator.withLock { all in
            var tables = all[bucket] ?? []
            if let config {
                if let i = tables.firstIndex(where: { $0.name == name }) { tables[i].config = config } else { tables.append((name, config)) }
            } else {
                tables.removeAll { $0.name == name }
            }
            all[bucket] = tables
            return tables
        }
    }

    /// Renames a table; nil when there is no `name` or `newName` is taken.
    func renameTabulatorTable(_ bucket: String, _ name: String, _ newName: String) -> [(name: String, config: String)]? {
        tabulator.withLock { all in
            var tables = all[bucket] ?? []
            guard let i = tables.firstIndex(where: { $0.name == name }), !tables.contains(where: { $0.name == newName }) else { return nil }
            tables[i].name = newName
            all[bucket] = tables
            return tables
        }
    }

    var tabulatorOpenQuery: Bool {
        get { openQuery.withLock { $0 } }
    }
    func setTabulatorOpenQuery(_ enabled: Bool) { openQuery.withLock { $0 = enabled } }

    // MARK: - Credentials

    /// Records an access key id handed out by `/api/auth/get_credentials`; the fake S3 accepts only these.
    func issue(_ accessKeyId: String) { issuedKeys.withLock { _ = $0.insert(accessKeyId) } }
    func wasIssued(_ accessKeyId: String) -> Bool { issuedKeys.withLock { $0.contains(accessKeyId) } }
}
