import Foundation
import Synchronization

/// Why a role mutation did not happen: a member of the mutation's result union (by its type name), or a GraphQL
/// error (the unions have no member for an unknown role id, an unknown policy or a malformed ARN).
enum FakeRoleRefusal: Error, Sendable, Equatable {
    case member(String)
    case error(String)
}

/// What a role is made of: policy ids (`ManagedRoleInput`) or an IAM role ARN (`UnmanagedRoleInput`).
enum FakeRoleSpec: Sendable {
    case managed(policies: [String])
    case unmanaged(arn: String)
}

/// Roles: created, changed (renaming keeps users' assignments), deleted, and the default role. Every check and
/// change happens under the locks, so two admins cannot both take a name.
extension FakeAdminState {
    /// The most policies a managed role may have.
    static let maxPoliciesPerRole = 10
    /// The account the catalog's own (managed) roles and policies live in.
    static let accountARN = "arn:aws:iam::000000000000:"

    /// Creates a role with the next `role-<n>` id.
    func createRole(name: String, _ spec: FakeRoleSpec) -> Result<FakeAdminRole, FakeRoleRefusal> {
        iam.withLock { s in
            if let refusal = Self.nameProblem(name, in: s, except: nil) ?? Self.specProblem(spec, in: s) { return .failure(refusal) }
            let role = FakeAdminRole(id: "role-\(s.nextRole)", name: name, arn: Self.roleARN(name, spec), policies: Self.policyIDs(spec))
            s.nextRole += 1
            s.roles.append(role)
            return .success(role)
        }
    }

    /// Replaces a role's name and policies (managed) or ARN (unmanaged); users holding it keep it under its new name.
    func updateRole(id: String, name: String, _ spec: FakeRoleSpec) -> Result<FakeAdminRole, FakeRoleRefusal> {
        store.withLock { people in
            iam.withLock { s -> Result<FakeAdminRole, FakeRoleRefusal> in
                guard let i = s.roles.firstIndex(where: { $0.id == id }) else { return .failure(.error("no role with id '\(id)'")) }
                let old = s.roles[i]
                switch (spec, old.policies) {
                case (.managed, nil): return .failure(.member("RoleIsUnmanaged"))
                case (.unmanaged, _?): return .failure(.member("RoleIsManaged"))
                default: break
                }
                if let refusal = Self.nameProblem(name, in: s, except: id) { return .failure(refusal) }
                if name != old.name, people.sso?.text.contains(old.name) == true { return .failure(.member("RoleNameUsedBySsoConfig")) }
                if let refusal = Self.specProblem(spec, in: s) { return .failure(refusal) }
                s.roles[i] = FakeAdminRole(id: id, name: name, arn: Self.roleARN(name, spec), policies: Self.policyIDs(spec))
                if name != old.name { Self.rename(old.name, to: name, in: &people) }
                return .success(s.roles[i])
            }
        }
    }

    /// Deletes a role nobody holds, that is not the default and that the SSO config does not name.
    func deleteRole(id: String) -> Result<Void, FakeRoleRefusal> {
        store.withLock { people in
            iam.withLock { s -> Result<Void, FakeRoleRefusal> in
                guard let i = s.roles.firstIndex(where: { $0.id == id }) else { return .failure(.member("RoleDoesNotExist")) }
                let name = s.roles[i].name
                if people.sso?.text.contains(name) == true { return .failure(.member("RoleNameUsedBySsoConfig")) }
                if s.defaultRoleID == id || people.users.contains(where: { $0.allRoles.contains(name) }) { return .failure(.member("RoleAssigned")) }
                s.roles.remove(at: i)
                return .success(())
            }
        }
    }

    /// Makes a role the one new users get; refused while an SSO config (which assigns roles itself) is set.
    func setDefaultRole(id: String) -> Result<FakeAdminRole, FakeRoleRefusal> {
        store.withLock { people in
            iam.withLock { s -> Result<FakeAdminRole, FakeRoleRefusal> in
                guard let role = s.roles.first(where: { $0.id == id }) else { return .failure(.member("RoleDoesNotExist")) }
                if people.sso != nil { return .failure(.member("SsoConfigConflict")) }
                s.defaultRoleID = id
                return .success(role)
            }
        }
    }

    // MARK: - Checks

    /// Why `name` cannot be a role's (nil when it can): malformed, reserved, or another role's (in any case).
    static func nameProblem(_ name: String, in s: IAM, except id: String?) -> FakeRoleRefusal? {
        let allowed = "+=,.@_-".utf8
        guard (1...64).contains(name.utf8.count), name.utf8.allSatisfy({ alnum($0) || allowed.contains($0) }) else { return .member("RoleNameInvalid") }
        let lower = name.lowercased()
        if lower == "default" || lower.hasPrefix("quilt-") { return .member("RoleNameReserved") }
        if s.roles.contains(where: { $0.id != id && $0.name.lowercased() == lower }) { return .member("RoleNameExists") }
        return nil
    }

    /// Why the policies or ARN cannot make a role (nil when they can): too many policies (a union member), unknown
    /// policies or a malformed ARN (GraphQL errors naming them).
    static func specProblem(_ spec: FakeRoleSpec, in s: IAM) -> FakeRoleRefusal? {
        switch spec {
        case .managed(let ids):
            let unique = distinct(ids)
            if unique.count > maxPoliciesPerRole { return .member("RoleHasTooManyPoliciesToAttach") }
            let unknown = unique.filter { id in !s.policies.contains { $0.id == id } }
            guard unknown.isEmpty else { return .error("no policy with id \(unknown.map { "'\($0)'" }.joined(separator: ", "))") }
        case .unmanaged(let arn):
            guard validARN(arn, kind: "role") else { return .error("'\(arn)' is not an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>)") }
        }
        return nil
    }

    /// `arn:aws:iam::<12 digits>:<kind>/<name>`, the name (with an optional path) of IAM's characters.
    static func validARN(_ arn: String, kind: String) -> Bool {
        let prefix = "arn:aws:iam::"
        guard arn.hasPrefix(prefix) else { return false }
        let rest = arn.dropFirst(prefix.count)
        let account = rest.prefix(12), tail = rest.dropFirst(12)
        guard account.count == 12, account.utf8.allSatisfy({ (0x30...0x39).contains($0) }), tail.hasPrefix(":\(kind)/") else { return false }
        let name = tail.dropFirst(kind.count + 2)
        return !name.isEmpty && name.utf8.allSatisfy { alnum($0) || "+=,.@_/-".utf8.contains($0) }
    }

    static func alnum(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) }

    /// `list` without repeats, in first-seen order.
    static func distinct(_ list: [String]) -> [String] {
        var seen: Set<String> = []
        return list.filter { seen.insert($0).inserted }
    }

    // MARK: - Making

    /// A managed role's ARN is the catalog account's role of its name; an unmanaged role's is its input's.
    static func roleARN(_ name: String, _ spec: FakeRoleSpec) -> String {
        switch spec {
        case .managed: accountARN + "role/" + name
        case .unmanaged(let arn): arn
        }
    }

    static func policyIDs(_ spec: FakeRoleSpec) -> [String]? {
        if case .managed(let ids) = spec { return distinct(ids) }
        return nil
    }

    /// Renames a role in every user's assignments (and in the SSO uploader's copy).
    static func rename(_ old: String, to new: String, in people: inout Store) {
        func renamed(_ user: FakeAdminUser) -> FakeAdminUser {
            var u = user
            if u.role == old { u.role = new }
            u.extraRoles = u.extraRoles.map { $0 == old ? new : $0 }
            return u
        }
        people.users = people.users.map(renamed)
        if let sso = people.sso { people.sso = FakeSsoConfig(text: sso.text, timestamp: sso.timestamp, uploader: renamed(sso.uploader)) }
    }
}
