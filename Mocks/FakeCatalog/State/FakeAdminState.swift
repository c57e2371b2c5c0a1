import Foundation
import QuiltJSON
import Synchronization

/// A catalog user as the admin API shows it. Roles are kept by name (the API takes role names).
struct FakeAdminUser: Sendable, Equatable {
    var name: String
    var email: String
    var dateJoined: String
    var lastLogin: String
    var isActive = true
    var isAdmin = false
    var isSsoOnly = false
    var isService = false
    var role: String?
    var extraRoles: [String] = []

    /// The roles the user may assume: the active one, then the extra ones.
    var allRoles: [String] { (role.map { [$0] } ?? []) + extraRoles }

    /// Sets the extra roles, without duplicates and without the active role.
    mutating func setExtraRoles(_ names: [String]) {
        var seen: Set<String> = role.map { [$0] } ?? []
        extraRoles = names.filter { seen.insert($0).inserted }
    }
}

/// An IAM role the catalog knows: managed (built from the catalog's policies) or unmanaged (an ARN only).
struct FakeAdminRole: Sendable, Equatable {
    let id: String
    var name: String
    var arn: String
    /// The ids of the policies a managed role is made of, in the order given; nil for an unmanaged role. A policy's
    /// roles are the roles that list it here, so the two sides always agree.
    var policies: [String]?
}

/// One bucket a policy grants, at `READ` or `READ_WRITE` (a `BucketPermissionLevel`).
struct FakeBucketGrant: Sendable, Equatable {
    let bucket: String
    let level: String
}

/// A catalog policy: managed (bucket grants the catalog makes into IAM) or unmanaged (an ARN only, no grants).
struct FakeAdminPolicy: Sendable, Equatable {
    let id: String
    var title: String
    var arn: String
    let managed: Bool
    /// The buckets a managed policy grants, as its input gave them.
    var grants: [FakeBucketGrant] = []
    /// The seeds' level on every bucket the catalog has, whenever added (nil once the policy's grants are set).
    var everyBucket: String?

    /// What the policy grants on each of `buckets` (the catalog's), in the catalog's order for the seeds and the
    /// input's order otherwise.
    func grants(in buckets: [String]) -> [FakeBucketGrant] {
        if let everyBucket { return buckets.map { FakeBucketGrant(bucket: $0, level: everyBucket) } }
        return grants.filter { buckets.contains($0.bucket) }
    }

    /// The level granted on `bucket` (nil: none).
    func level(on bucket: String) -> String? { everyBucket ?? grants.first { $0.bucket == bucket }?.level }
}

/// The catalog's SSO configuration, with who uploaded it and when.
struct FakeSsoConfig: Sendable, Equatable {
    let text: String
    let timestamp: String
    let uploader: FakeAdminUser
}

/// Why an admin mutation did not happen: the catalog's `InvalidInput` (one entry per bad field) or `OperationError`.
enum FakeAdminRefusal: Error, Sendable {
    case invalid([(path: String, message: String, name: String)])
    case operation(name: String, message: String)

    static func invalid(_ path: String, _ message: String, _ name: String) -> Self { .invalid([(path, message, name)]) }
}

/// The catalog's administration state: users (in creation order) and the SSO config in ``store``; roles, policies
/// and the default role in ``iam``. Seeded the same way every time (two users, three roles, two policies, no SSO
/// config). When a change needs both locks it takes ``store`` first, then ``iam`` (never the other way round).
final class FakeAdminState: Sendable {
    /// Users in creation order and the SSO config.
    struct Store {
        var users: [FakeAdminUser]
        var sso: FakeSsoConfig?
    }

    /// Roles and policies in creation order, the default role, and the numbers the next new ones get.
    struct IAM {
        var roles: [FakeAdminRole]
        var policies: [FakeAdminPolicy]
        var defaultRoleID: String?
        var nextRole = 1
        var nextPolicy = 1
    }

    /// The seeds' `dateJoined` and `lastLogin`.
    static let seedDate = CatalogDateText.format(Date(timeIntervalSince1970: 1_768_469_400))  // 2026-01-15T09:30:00Z

    /// Users and the SSO config (extensions in other files change them under this lock).
    let store: Mutex<Store>
    /// Roles and policies (taken after ``store`` when both are needed).
    let iam: Mutex<IAM>
    private let clock: @Sendable () -> Date

    /// - Parameter clock: "now" for new users and SSO uploads.
    init(clock: @escaping @Sendable () -> Date) {
        self.clock = clock
        let d = Self.seedDate
        store = Mutex(Store(users: [
            FakeAdminUser(name: "admin", email: "admin@example.com", dateJoined: d, lastLogin: d, isAdmin: true, role: "ReadWriteQuiltBucket"),
            FakeAdminUser(name: "analyst", email: "analyst@example.com", dateJoined: d, lastLogin: d, role: "ReadQuiltBucket", extraRoles: ["ExternalAnalytics"]),
        ], sso: nil))
        let arn = "arn:aws:iam::000000000000:"
        iam = Mutex(IAM(
            roles: [
                FakeAdminRole(id: "role-read", name: "ReadQuiltBucket", arn: arn + "role/ReadQuiltBucket", policies: ["policy-read-all"]),
                FakeAdminRole(id: "role-write", name: "ReadWriteQuiltBucket", arn: arn + "role/ReadWriteQuiltBucket", policies: ["policy-write-all"]),
                FakeAdminRole(id: "role-external", name: "ExternalAnalytics", arn: arn + "role/ExternalAnalytics", policies: nil),
            ],
            policies: [
                FakeAdminPolicy(id: "policy-read-all", title: "Read every bucket", arn: arn + "policy/quilt-read-all", managed: true, everyBucket: "READ"),
                FakeAdminPolicy(
                    id: "policy-write-all", title: "Read and write every bucket", arn: arn + "policy/quilt-write-all", managed: true, everyBucket: "READ_WRITE"),
            ],
            defaultRoleID: "role-write"))
    }

    /// "Now" in the catalog's `Datetime` text.
    var now: String { CatalogDateText.format(clock()) }

    // MARK: - Reading

    var users: [FakeAdminUser] { store.withLock { $0.users } }
    func user(_ name: String) -> FakeAdminUser? { store.withLock { s in s.users.first { $0.name == name } } }
    var roles: [FakeAdminRole] { iam.withLock { $0.roles } }
    var policies: [FakeAdminPolicy] { iam.withLock { $0.policies } }
    func role(id: String) -> FakeAdminRole? { iam.withLock { s in s.roles.first { $0.id == id } } }
    func role(named name: String) -> FakeAdminRole? { iam.withLock { s in s.roles.first { $0.name == name } } }
    func policy(id: String) -> FakeAdminPolicy? { iam.withLock { s in s.policies.first { $0.id == id } } }
    var defaultRole: FakeAdminRole? { iam.withLock { s in s.roles.first { $0.id == s.defaultRoleID } } }
    var ssoConfig: FakeSsoConfig? { store.withLock { $0.sso } }

    // MARK: - Users

    /// Creates a user (active, not an admin, joined now).
    func createUser(name: String, email: String, role: String, extraRoles: [String]?) -> Result<FakeAdminUser, FakeAdminRefusal> {
        var errors: [(path: String, message: String, name: String)] = []
        if !Self.validUsername(name) {
            errors.append(("input.name", "'\(name)' is not a valid user name (^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,63}$)", "InvalidUsername"))
        }
        if !Self.validEmail(email) { errors.append(("input.email", "'\(email)' is not an email address", "InvalidEmail")) }
        if self.role(named: role) == nil { errors.append(("input.role", "no role named '\(role)'", "RoleDoesNotExist")) }
        if let e = unknownRoles(extraRoles ?? [], path: "input.extraRoles") { errors.append(e) }
        guard errors.isEmpty else { return .failure(.invalid(errors)) }
        let now = now
        return store.withLock { s in
            if s.users.contains(where: { $0.name == name }) { return .failure(.operation(name: "UserAlreadyExists", message: "a user named \(name) already exists")) }
            if s.users.contains(where: { $0.email.lowercased() == email.lowercased() }) {
                return .failure(.operation(name: "EmailAlreadyInUse", message: "another user has the email \(email)"))
            }
            var user = FakeAdminUser(name: name, email: email, dateJoined: now, lastLogin: now, role: role)
            user.setExtraRoles(extraRoles ?? [])
            s.users.append(user)
            return .success(user)
        }
    }

    /// Deletes a user; `caller` may not delete themself.
    func deleteUser(_ name: String, caller: String?) -> Result<Void, FakeAdminRefusal> {
        guard name != caller else { return .failure(.operation(name: "CannotDeleteSelf", message: "you cannot delete your own user")) }
        return store.withLock { s in
            guard let i = s.users.firstIndex(where: { $0.name == name }) else { return .failure(Self.noUser(name)) }
            s.users.remove(at: i)
            return .success(())
        }
    }

    /// Changes one user under the lock: `change` refuses (returning why) or edits the user, seeing every user.
    func modify(_ name: String, _ change: (inout FakeAdminUser, [FakeAdminUser]) -> FakeAdminRefusal?) -> Result<FakeAdminUser, FakeAdminRefusal> {
        store.withLock { s in
            guard let i = s.users.firstIndex(where: { $0.name == name }) else { return .failure(Self.noUser(name)) }
            var user = s.users[i]
            if let refusal = change(&user, s.users) { return .failure(refusal) }
            s.users[i] = user
            return .success(user)
        }
    }

    /// The `InputError` for the names in `names` that are no role (nil when all are).
    func unknownRoles(_ names: [String], path: String) -> (path: String, message: String, name: String)? {
        let unknown = names.filter { role(named: $0) == nil }
        guard !unknown.isEmpty else { return nil }
        return (path, "no role named \(unknown.map { "'\($0)'" }.joined(separator: ", "))", "RoleDoesNotExist")
    }

    static func noUser(_ name: String) -> FakeAdminRefusal { .operation(name: "UserNotFound", message: "no user named \(name)") }

    /// The catalog's user names: a letter or digit, then up to 63 of letters, digits and `_.@+-`.
    static func validUsername(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        func alnum(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) }
        guard let first = bytes.first, alnum(first), bytes.count <= 64 else { return false }
        return bytes.dropFirst().allSatisfy { alnum($0) || "_.@+-".utf8.contains($0) }
    }

    /// Exactly one `@`, with text on both sides.
    static func validEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty }
    }
}
