/// What an ``AdminOps`` backend can administer.
public enum AdminCapability: String, Sendable, Hashable, CaseIterable {
    /// Users: list, read, create, delete, change, reset passwords.
    case users
    /// Roles: list, create, update, delete, set the default.
    case roles
    /// Policies: list, create, update, delete.
    case policies
    /// The SSO configuration: read, set, remove.
    case sso
    /// Buckets in the catalog: add, update, remove.
    case buckets
    /// API keys: list every user's, revoke (catalogs from 2026-06).
    case apiKeys
    /// The packager's event rules: list, turn on or off (catalogs from 2025-07).
    case packager
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
