package import QuiltContract
package import QuiltMode
import QuiltPlatform

extension BackendFactory {
    /// Catalog administration for `mode`: the catalog's (api=platform, acting with the caller's token, made on its
    /// first call so a request that administers nothing costs nothing); else none, every call `unsupported` naming
    /// `backendID`.
    package static func admin(mode: Mode, backendID: String, credentials: RequestCredentials?) -> any AdminOps {
        guard mode.api == .platform else { return NoCatalogAdmin(backend: backendID) }
        return DeferredAdmin { () throws(QuiltOpsError) in
            try platformBackend(mode: mode, bearerToken: credentials?.bearerToken ?? mode.jwtToken)
        }
    }
}

/// The catalog's administration, made on its first call (``FirstUse``).
struct DeferredAdmin: AdminOps {
    let adminID = "catalog"
    let adminCapabilities = Set(AdminCapability.allCases)
    private let made: FirstUse<PlatformBackend>

    init(make: @escaping @Sendable () throws(QuiltOpsError) -> PlatformBackend) { made = FirstUse(make) }

    func backend() throws(QuiltOpsError) -> PlatformBackend { try made.get() }

    func users() async throws(QuiltOpsError) -> [AdminUser] { try await backend().users() }
    func user(named name: String) async throws(QuiltOpsError) -> AdminUser { try await backend().user(named: name) }
    func createUser(_ user: NewAdminUser) async throws(QuiltOpsError) -> AdminUser { try await backend().createUser(user) }
    func deleteUser(named name: String) async throws(QuiltOpsError) { try await backend().deleteUser(named: name) }
    func changeUser(named name: String, _ change: AdminUserChange) async throws(QuiltOpsError) -> AdminUser {
        try await backend().changeUser(named: name, change)
    }
    func resetPassword(named name: String) async throws(QuiltOpsError) { try await backend().resetPassword(named: name) }
    func roles() async throws(QuiltOpsError) -> [AdminRole] { try await backend().roles() }
    func ssoConfig() async throws(QuiltOpsError) -> SSOConfig? { try await backend().ssoConfig() }
    func setSSOConfig(_ text: String?) async throws(QuiltOpsError) -> SSOConfig? { try await backend().setSSOConfig(text) }
    func createRole(_ role: AdminRoleInput) async throws(QuiltOpsError) -> AdminRole { try await backend().createRole(role) }
    func updateRole(id: String, _ role: AdminRoleInput) async throws(QuiltOpsError) -> AdminRole { try await backend().updateRole(id: id, role) }
    func deleteRole(id: String) async throws(QuiltOpsError) { try await backend().deleteRole(id: id) }
    func setDefaultRole(id: String) async throws(QuiltOpsError) -> AdminRole { try await backend().setDefaultRole(id: id) }
    func policies() async throws(QuiltOpsError) -> [AdminPolicy] { try await backend().policies() }
    func createPolicy(_ policy: AdminPolicyInput) async throws(QuiltOpsError) -> AdminPolicy { try await backend().createPolicy(policy) }
    func updatePolicy(id: String, _ policy: AdminPolicyInput) async throws(QuiltOpsError) -> AdminPolicy {
        try await backend().updatePolicy(id: id, policy)
    }
    func deletePolicy(id: String) async throws(QuiltOpsError) { try await backend().deletePolicy(id: id) }
    func addBucket(_ name: String, _ settings: AdminBucketSettings) async throws(QuiltOpsError) -> AdminBucket {
        try await backend().addBucket(name, settings)
    }
    func updateBucket(_ name: String, _ settings: AdminBucketSettings) async throws(QuiltOpsError) -> AdminBucket {
        try await backend().updateBucket(name, settings)
    }
    func removeBucket(_ name: String) async throws(QuiltOpsError) { try await backend().removeBucket(name) }
    func apiKeys(_ filter: AdminAPIKeyFilter) async throws(QuiltOpsError) -> [AdminAPIKey] { try await backend().apiKeys(filter) }
    func createAPIKey(name: String, expiresInDays: Int) async throws(QuiltOpsError) -> CreatedAPIKey {
        try await backend().createAPIKey(name: name, expiresInDays: expiresInDays)
    }
    func revokeAPIKey(id: String) async throws(QuiltOpsError) { try await backend().revokeAPIKey(id: id) }
    func eventRules() async throws(QuiltOpsError) -> [PackagerEventRule] { try await backend().eventRules() }
    func setEventRule(name: String, enabled: Bool) async throws(QuiltOpsError) -> PackagerEventRule {
        try await backend().setEventRule(name: name, enabled: enabled)
    }
}
