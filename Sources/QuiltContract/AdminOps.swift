/// Catalog administration: the catalog's users, their roles, the roles and policies there are, and single sign-on.
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

    // MARK: - Single sign-on

    /// The SSO configuration (the YAML or JSON text the catalog stores), nil when none is set.
    func ssoConfig() async throws(QuiltOpsError) -> SSOConfig?

    /// Stores `text` as the SSO configuration, or removes it when nil; returns what is stored after.
    /// - Throws: `.invalidInput(field: "config")` for a configuration the catalog refuses.
    func setSSOConfig(_ text: String?) async throws(QuiltOpsError) -> SSOConfig?
}

/// What an ``AdminOps`` backend can administer.
public enum AdminCapability: String, Sendable, Hashable, CaseIterable {
    /// Users: list, read, create, delete, change, reset passwords.
    case users
    /// Roles: list.
    case roles
    /// The SSO configuration: read, set, remove.
    case sso
}

/// A role a user can hold.
public struct AdminRole: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// The catalog made the IAM role and keeps its policies.
        case managed
        /// An IAM role made elsewhere that the catalog only names.
        case unmanaged
    }
    public var id: String?
    public var name: String
    public var arn: String?
    public var kind: Kind
    /// The titles of a managed role's policies (nil where not read).
    public var policies: [String]?
    /// Whether new users get this role (nil where not read).
    public var isDefault: Bool?
    public init(id: String?, name: String, arn: String?, kind: Kind, policies: [String]? = nil, isDefault: Bool? = nil) {
        self.id = id
        self.name = name
        self.arn = arn
        self.kind = kind
        self.policies = policies
        self.isDefault = isDefault
    }
}

/// A catalog user as an admin sees it.
public struct AdminUser: Sendable, Hashable {
    public var name: String
    public var email: String
    public var isActive: Bool
    public var isAdmin: Bool
    /// Signs in only through SSO (has no password).
    public var isSsoOnly: Bool
    /// A service account.
    public var isService: Bool
    /// ISO 8601, as the catalog gives it.
    public var dateJoined: String?
    public var lastLogin: String?
    /// The active role; nil for a user without one.
    public var role: AdminRole?
    public var extraRoles: [AdminRole]
    public init(
        name: String, email: String, isActive: Bool, isAdmin: Bool, isSsoOnly: Bool, isService: Bool,
        dateJoined: String?, lastLogin: String?, role: AdminRole?, extraRoles: [AdminRole]
    ) {
        self.name = name
        self.email = email
        self.isActive = isActive
        self.isAdmin = isAdmin
        self.isSsoOnly = isSsoOnly
        self.isService = isService
        self.dateJoined = dateJoined
        self.lastLogin = lastLogin
        self.role = role
        self.extraRoles = extraRoles
    }
}

/// A user to create: name, email, active role and any extra roles (role names).
public struct NewAdminUser: Sendable, Hashable {
    public var name: String
    public var email: String
    public var role: String
    public var extraRoles: [String]?
    public init(name: String, email: String, role: String, extraRoles: [String]? = nil) {
        self.name = name
        self.email = email
        self.role = role
        self.extraRoles = extraRoles
    }
}

/// One change to a user (``AdminOps/changeUser(named:_:)``). Role arguments are role names.
public enum AdminUserChange: Sendable, Hashable {
    case email(String)
    case admin(Bool)
    case active(Bool)
    /// The active role, and the extra roles: replacing them, or added to them with `append`; nil extra roles with
    /// `append` false leaves the user none.
    case role(String, extraRoles: [String]?, append: Bool)
    case addRoles([String])
    /// Removes roles; `fallback` becomes the active role when the active one is removed.
    case removeRoles([String], fallback: String?)
}

/// The catalog's SSO configuration.
public struct SSOConfig: Sendable, Hashable {
    /// The configuration as stored (YAML or JSON text).
    public var text: String
    /// When it was stored (ISO 8601).
    public var timestamp: String?
    /// Who stored it.
    public var uploader: String?
    public init(text: String, timestamp: String?, uploader: String?) {
        self.text = text
        self.timestamp = timestamp
        self.uploader = uploader
    }
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
    public func ssoConfig() async throws(QuiltOpsError) -> SSOConfig? { throw refuse("reading the SSO configuration") }
    public func setSSOConfig(_ text: String?) async throws(QuiltOpsError) -> SSOConfig? { throw refuse("changing the SSO configuration") }
}
