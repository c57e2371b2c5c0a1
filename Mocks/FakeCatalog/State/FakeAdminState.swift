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
    let name: String
    let arn: String
    /// The ids of the policies a managed role is made of; nil for an unmanaged role.
    let policies: [String]?
}

/// A catalog policy: the same access level on every bucket the catalog has.
struct FakeAdminPolicy: Sendable, Equatable {
    let id: String
    let title: String
    let arn: String
    let managed: Bool
    /// `READ` or `READ_WRITE` (a `BucketPermissionLevel`).
    let level: String
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

/// The catalog's administration state: users (in creation order), roles, policies and the SSO config. Seeded the
/// same way every time (two users, three roles, two policies, no SSO config); every change happens under one lock.
final class FakeAdminState: Sendable {
    private struct Store {
        var users: [FakeAdminUser]
        var sso: FakeSsoConfig?
    }

    /// The seeds' `dateJoined` and `lastLogin`.
    static let seedDate = CatalogDateText.format(Date(timeIntervalSince1970: 1_768_469_400))  // 2026-01-15T09:30:00Z

    let policies = [
        FakeAdminPolicy(id: "policy-read-all", title: "Read every bucket", arn: "arn:aws:iam::000000000000:policy/quilt-read-all", managed: true, level: "READ"),
        FakeAdminPolicy(
            id: "policy-write-all", title: "Read and write every bucket", arn: "arn:aws:iam::000000000000:policy/quilt-write-all", managed: true,
            level: "READ_WRITE"),
    ]
    let roles = [
        FakeAdminRole(id: "role-read", name: "ReadQuiltBucket", arn: "arn:aws:iam::000000000000:role/ReadQuiltBucket", policies: ["policy-read-all"]),
        FakeAdminRole(id: "role-write", name: "ReadWriteQuiltBucket", arn: "arn:aws:iam::000000000000:role/ReadWriteQuiltBucket", policies: ["policy-write-all"]),
        FakeAdminRole(id: "role-external", name: "ExternalAnalytics", arn: "arn:aws:iam::000000000000:role/ExternalAnalytics", policies: nil),
    ]
    let defaultRoleID = "role-write"
    private let store: Mutex<Store>
    private let clock: @Sendable () -> Date

    /// - Parameter clock: "now" for new users and SSO uploads.
    init(clock: @escaping @Sendable () -> Date) {
        self.clock = clock
        let d = Self.seedDate
        store = Mutex(Store(users: [
            FakeAdminUser(name: "admin", email: "admin@example.com", dateJoined: d, lastLogin: d, isAdmin: true, role: "ReadWriteQuiltBucket"),
            FakeAdminUser(name: "analyst", email: "analyst@example.com", dateJoined: d, lastLogin: d, role: "ReadQuiltBucket", extraRoles: ["ExternalAnalytics"]),
        ], sso: nil))
    }

    /// "Now" in the catalog's `Datetime` text.
    var now: String { CatalogDateText.format(clock()) }

    // MARK: - Reading

    var users: [FakeAdminUser] { store.withLock { $0.users } }
    func user(_ name: String) -> FakeAdminUser? { store.withLock { s in s.users.first { $0.name == name } } }
    func role(id: String) -> FakeAdminRole? { roles.first { $0.id == id } }
    func role(named name: String) -> FakeAdminRole? { roles.first { $0.name == name } }
    func policy(id: String) -> FakeAdminPolicy? { policies.first { $0.id == id } }
    var defaultRole: FakeAdminRole? { role(id: defaultRoleID) }
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

    // MARK: - SSO

    /// Stores (or, with nil text, removes) the SSO config; returns what is stored now.
    func setSsoConfig(_ text: String?, uploader: FakeAdminUser) -> Result<FakeSsoConfig?, FakeAdminRefusal> {
        guard let text else {
            store.withLock { $0.sso = nil }
            return .success(nil)
        }
        if let reason = Self.ssoProblem(text) { return .failure(.invalid("config", reason, "InvalidSsoConfig")) }
        let config = FakeSsoConfig(text: text, timestamp: now, uploader: uploader)
        store.withLock { $0.sso = config }
        return .success(config)
    }

    /// Why `text` is no SSO config (nil when it is one): it must be a JSON object, or YAML with a `key: value` line.
    static func ssoProblem(_ text: String) -> String? {
        if text.allSatisfy(\.isWhitespace) { return "the SSO config is empty" }
        if let json = try? JSONParser.parse(text) {
            return json.objectValue == nil ? "the SSO config must be a mapping, not a JSON \(json.kindName)" : nil
        }
        let mapping = text.split(whereSeparator: \.isNewline).contains { line in
            let t = line.trimmingCharacters(in: .whitespaces)
            guard !t.hasPrefix("#"), let colon = t.firstIndex(of: ":") else { return false }
            let key = t[..<colon].trimmingCharacters(in: .whitespaces), rest = t[t.index(after: colon)...]
            return !key.isEmpty && rest.first?.isWhitespace == true && !rest.trimmingCharacters(in: .whitespaces).isEmpty
        }
        return mapping ? nil : "the SSO config is neither JSON nor YAML with a 'key: value' line"
    }
}

extension JSONValue {
    /// The JSON kind, for messages.
    fileprivate var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
