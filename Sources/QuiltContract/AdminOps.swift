/// Catalog administration: the catalog's users, roles, policies, buckets, API keys, the packager's event rules and
/// single sign-on.
///
/// Only a catalog has these (the Platform backend, over the catalog's GraphQL, as a catalog admin); a registry
/// without a catalog declares no capability and answers every requirement with `.unsupported`. Writes are never
/// retried (a lost answer is reported, not repeated). Errors: `QuiltOpsError` only:
/// - `.forbidden` for a caller who is not a catalog admin (the catalog refuses the whole `admin` part for them);
/// - `.notFound(.admin(kind: "user", …))` for a user name the catalog does not have;
/// - `.invalidInput(field:)` naming the argument the catalog refused (`name`, `email`, `role`, `extra_roles`,
///   `roles`, `fallback`, `config`), in the catalog's words;
/// - `.conflict` for a name or email another user has;
/// - `.readOnly` for every change on a read-only deployment, before anything is sent.
public protocol AdminOps: Sendable {
    /// `catalog`, or the backend that has no catalog to administer.
    var adminID: String { get }
    /// What this backend can administer; empty without a catalog.
    var adminCapabilities: Set<AdminCapability> { get }

    // MARK: - Users

    /// Every user of the catalog, in the catalog's order.
    /// - Throws: `.forbidden` for a caller who is not an admin.
    func users() async throws(QuiltOpsError) -> [AdminUser]

    /// The user named `name`.
    /// - Throws: `.notFound(.admin(kind: "user", name:))`.
    func user(named name: String) async throws(QuiltOpsError) -> AdminUser

    /// Creates a user, who signs in by the catalog's invitation (or SSO); returns the user as created.
    /// - Throws: `.invalidInput` for a bad name or email or a role that does not exist; `.conflict` for a name or
    ///   email another user has.
    func createUser(_ user: NewAdminUser) async throws(QuiltOpsError) -> AdminUser

    /// Deletes the user named `name`.
    /// - Throws: `.notFound` for no such user; `.forbidden` when the catalog refuses (deleting oneself).
    func deleteUser(named name: String) async throws(QuiltOpsError)

    /// Makes one change to the user named `name`; returns the user after it.
    /// - Throws: `.notFound` for no such user; `.invalidInput` for a role that does not exist, a bad email, or
    ///   removing the active role without a fallback; `.forbidden` when the catalog refuses (an admin demoting or
    ///   deactivating themself).
    func changeUser(named name: String, _ change: AdminUserChange) async throws(QuiltOpsError) -> AdminUser

    /// Sends the user a password reset.
    /// - Throws: `.notFound` for no such user; `.invalidInput(field: "name")` for a user who signs in only by SSO.
    func resetPassword(named name: String) async throws(QuiltOpsError)

    // MARK: - Roles

    /// Every role: managed roles (the catalog keeps their policies) and unmanaged ones (an IAM role it only names),
    /// with which is the default for new users.
    func roles() async throws(QuiltOpsError) -> [AdminRole]

    /// Creates a role; returns it.
    /// - Throws: `.invalidInput(field: "name")` for an invalid or reserved name, `(field: "policies")` for too many
    ///   policies or one that does not exist, `(field: "arn")` for a bad ARN; `.conflict` for a name that is taken.
    func createRole(_ role: AdminRoleInput) async throws(QuiltOpsError) -> AdminRole

    /// Replaces the role `id` (name, and policies or ARN); users keep it under its new name.
    /// - Throws: as ``createRole(_:)``; `.invalidInput(field: "role")` for the other kind of role; `.conflict` when
    ///   the SSO configuration names it; `.notFound` for no such role.
    func updateRole(id: String, _ role: AdminRoleInput) async throws(QuiltOpsError) -> AdminRole

    /// Deletes the role `id`.
    /// - Throws: `.notFound`; `.conflict` while users hold it (or it is the default, or SSO names it).
    func deleteRole(id: String) async throws(QuiltOpsError)

    /// Makes role `id` the one new users get; returns it.
    /// - Throws: `.notFound`; `.conflict` while an SSO configuration decides roles.
    func setDefaultRole(id: String) async throws(QuiltOpsError) -> AdminRole

    // MARK: - Policies

    /// Every policy: its bucket permissions (managed) or ARN (unmanaged), and the roles that have it.
    func policies() async throws(QuiltOpsError) -> [AdminPolicy]

    /// Creates a policy; returns it.
    /// - Throws: `.invalidInput` naming `title`, `permissions`, `roles` or `arn`; `.conflict` for a taken title.
    func createPolicy(_ policy: AdminPolicyInput) async throws(QuiltOpsError) -> AdminPolicy

    /// Replaces the policy `id`.
    /// - Throws: as ``createPolicy(_:)``; `.notFound` for no such policy; `.invalidInput(field: "policy")` for the
    ///   other kind of policy.
    func updatePolicy(id: String, _ policy: AdminPolicyInput) async throws(QuiltOpsError) -> AdminPolicy

    /// Deletes the policy `id`.
    /// - Throws: `.notFound`.
    func deletePolicy(id: String) async throws(QuiltOpsError)

    // MARK: - Buckets

    /// Adds an S3 bucket to the catalog with `settings` (a title at least); returns what the catalog keeps.
    /// - Throws: `.conflict` for a bucket already there; `.notFound(.bucket)` for a bucket that does not exist;
    ///   `.invalidInput` naming the setting refused; `.forbidden` when the catalog's role may not use the bucket.
    func addBucket(_ name: String, _ settings: AdminBucketSettings) async throws(QuiltOpsError) -> AdminBucket

    /// Changes the settings given (the others stay as they are); returns what the catalog keeps.
    /// - Throws: `.notFound(.bucket)`; `.invalidInput` naming the setting refused.
    func updateBucket(_ name: String, _ settings: AdminBucketSettings) async throws(QuiltOpsError) -> AdminBucket

    /// Removes the bucket from the catalog (its objects stay in S3).
    /// - Throws: `.notFound(.bucket)`; `.conflict` while the catalog is indexing it.
    func removeBucket(_ name: String) async throws(QuiltOpsError)

    // MARK: - API keys

    /// Every user's API keys that match `filter` (never their secrets).
    /// - Throws: `.unsupported` before catalog 2026-06.
    func apiKeys(_ filter: AdminAPIKeyFilter) async throws(QuiltOpsError) -> [AdminAPIKey]

    /// Creates an API key for the caller, valid for `expiresInDays` (1–365); the secret is in the answer only.
    /// - Throws: `.invalidInput` naming `name` or `expires_in_days`; `.unsupported` before catalog 2026-06.
    func createAPIKey(name: String, expiresInDays: Int) async throws(QuiltOpsError) -> CreatedAPIKey

    /// Revokes the API key `id` (any user's).
    /// - Throws: `.notFound` for no such key; `.unsupported` before catalog 2026-06.
    func revokeAPIKey(id: String) async throws(QuiltOpsError)

    // MARK: - Packager

    /// The packager's event rules.
    /// - Throws: `.unsupported` before catalog 2025-07.
    func eventRules() async throws(QuiltOpsError) -> [PackagerEventRule]

    /// Turns the event rule `name` on or off; returns it.
    /// - Throws: `.notFound` for no such rule; `.unsupported` before catalog 2025-07.
    func setEventRule(name: String, enabled: Bool) async throws(QuiltOpsError) -> PackagerEventRule

    // MARK: - Single sign-on

    /// The SSO configuration (the YAML or JSON text the catalog stores), nil when none is set.
    func ssoConfig() async throws(QuiltOpsError) -> SSOConfig?

    /// Stores `text` as the SSO configuration, or removes it when nil; returns what is stored after.
    /// - Throws: `.invalidInput(field: "config")` for a configuration the catalog refuses.
    func setSSOConfig(_ text: String?) async throws(QuiltOpsError) -> SSOConfig?
}

/// The ``AdminOps`` of a backend without a catalog: no capability, and `.unsupported` naming the backend for every
/// requirement (never an empty success).
public struct NoCatalogAdmin: AdminOps {
    /// The backend, as ``QuiltOpsError/unsupported(operation:backend:)`` names it.
    public let backend: String
    public init(backend: String) { self.backend = backend }

    public var adminID: String { "none" }
    public var adminCapabilities: Set<AdminCapability> { [] }

    func refuse(_ operation: String) -> QuiltOpsError {
        .unsupported(operation: operation, backend: "\(backend) (catalog administration needs a catalog: api=platform)")
    }

    public func users() async throws(QuiltOpsError) -> [AdminUser] { throw refuse("listing catalog users") }
    public func user(named name: String) async throws(QuiltOpsError) -> AdminUser { throw refuse("reading a catalog user") }
    public func createUser(_ user: NewAdminUser) async throws(QuiltOpsError) -> AdminUser { throw refuse("creating a catalog user") }
    public func deleteUser(named name: String) async throws(QuiltOpsError) { throw refuse("deleting a catalog user") }
    public func changeUser(named name: String, _ change: AdminUserChange) async throws(QuiltOpsError) -> AdminUser {
        throw refuse("changing a catalog user")
    }
    public func resetPassword(named name: String) async throws(QuiltOpsError) { throw refuse("resetting a password") }
    public func roles() async throws(QuiltOpsError) -> [AdminRole] { throw refuse("listing catalog roles") }
    public func createRole(_ role: AdminRoleInput) async throws(QuiltOpsError) -> AdminRole { throw refuse("creating a role") }
    public func updateRole(id: String, _ role: AdminRoleInput) async throws(QuiltOpsError) -> AdminRole { throw refuse("changing a role") }
    public func deleteRole(id: String) async throws(QuiltOpsError) { throw refuse("deleting a role") }
    public func setDefaultRole(id: String) async throws(QuiltOpsError) -> AdminRole { throw refuse("setting the default role") }
    public func policies() async throws(QuiltOpsError) -> [AdminPolicy] { throw refuse("listing policies") }
    public func createPolicy(_ policy: AdminPolicyInput) async throws(QuiltOpsError) -> AdminPolicy { throw refuse("creating a policy") }
    public func updatePolicy(id: String, _ policy: AdminPolicyInput) async throws(QuiltOpsError) -> AdminPolicy {
        throw refuse("changing a policy")
    }
    public func deletePolicy(id: String) async throws(QuiltOpsError) { throw refuse("deleting a policy") }
    public func addBucket(_ name: String, _ settings: AdminBucketSettings) async throws(QuiltOpsError) -> AdminBucket {
        throw refuse("adding a bucket to a catalog")
    }
    public func updateBucket(_ name: String, _ settings: AdminBucketSettings) async throws(QuiltOpsError) -> AdminBucket {
        throw refuse("changing a catalog bucket")
    }
    public func removeBucket(_ name: String) async throws(QuiltOpsError) { throw refuse("removing a bucket from a catalog") }
    public func apiKeys(_ filter: AdminAPIKeyFilter) async throws(QuiltOpsError) -> [AdminAPIKey] { throw refuse("listing API keys") }
    public func createAPIKey(name: String, expiresInDays: Int) async throws(QuiltOpsError) -> CreatedAPIKey {
        throw refuse("creating an API key")
    }
    public func revokeAPIKey(id: String) async throws(QuiltOpsError) { throw refuse("revoking an API key") }
    public func eventRules() async throws(QuiltOpsError) -> [PackagerEventRule] { throw refuse("listing the packager's event rules") }
    public func setEventRule(name: String, enabled: Bool) async throws(QuiltOpsError) -> PackagerEventRule {
        throw refuse("changing a packager event rule")
    }
    public func ssoConfig() async throws(QuiltOpsError) -> SSOConfig? { throw refuse("reading the SSO configuration") }
    public func setSSOConfig(_ text: String?) async throws(QuiltOpsError) -> SSOConfig? { throw refuse("changing the SSO configuration") }
}
