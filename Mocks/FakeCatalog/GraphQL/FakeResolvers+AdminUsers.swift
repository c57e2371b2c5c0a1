import Foundation
import QuiltJSON

/// The user a `mutate(name:)` object acts on.
struct FakeUserTarget: Sendable {
    let name: String
}

/// Catalog users under `admin.user` (refused to non-admins at the `admin` root): list, get, create, and the
/// `mutate(name:)` object's changes. Every change answers the catalog's union member (`User`/`Ok`, `InvalidInput`,
/// `OperationError`), never a GraphQL error.
extension FakeResolvers {
    static let adminUsers: [String: FakeResolver] = [
        "UserAdminQueries.list": { _, _, req in req.state.admin.users.map { userValue($0, req.state.admin) as any Sendable } },
        "UserAdminQueries.get": { _, args, req in req.state.admin.user(try string(args, "name")).map { userValue($0, req.state.admin) } },
        "UserAdminMutations.create": { _, args, req in
            guard let input = args["input"]?.objectValue else { throw FakeGraphQLError("argument input is required") }
            let made = req.state.admin.createUser(
                name: try string(input, "name"), email: try string(input, "email"), role: try string(input, "role"),
                extraRoles: strings(input["extraRoles"]))
            return userResult(made, req)
        },
        "UserAdminMutations.mutate": { _, args, req in
            let name = try string(args, "name")
            return req.state.admin.user(name) == nil ? nil : FakeUserTarget(name: name)
        },
        "MutateUserAdminMutations.delete": { s, _, req in
            switch req.state.admin.deleteUser(try target(s), caller: req.user?.name) {
            case .success: return ok
            case .failure(let refusal): return typed(refusal)
            }
        },
        "MutateUserAdminMutations.setEmail": { s, args, req in try setEmail(try target(s), try string(args, "email"), req) },
        "MutateUserAdminMutations.setRole": { s, args, req in
            try setRole(try target(s), try string(args, "role"), strings(args["extraRoles"]), append: args["append"]?.boolValue ?? false, req)
        },
        "MutateUserAdminMutations.addRoles": { s, args, req in
            let roles = strings(args["roles"]) ?? []
            if let error = req.state.admin.unknownRoles(roles, path: "roles") { return typed(.invalid([error])) }
            return userResult(req.state.admin.modify(try target(s)) { user, _ in
                user.setExtraRoles(user.extraRoles + roles)
                return nil
            }, req)
        },
        "MutateUserAdminMutations.removeRoles": { s, args, req in
            try removeRoles(try target(s), strings(args["roles"]) ?? [], fallback: args["fallback"]?.stringValue, req)
        },
        "MutateUserAdminMutations.setAdmin": { s, args, req in
            guard let flag = args["admin"]?.boolValue else { throw FakeGraphQLError("argument admin is required") }
            let name = try target(s)
            if !flag && name == req.user?.name { return typed(.operation(name: "CannotChangeSelf", message: "you cannot remove your own admin rights")) }
            return userResult(req.state.admin.modify(name) { user, _ in
                user.isAdmin = flag
                return nil
            }, req)
        },
        "MutateUserAdminMutations.setActive": { s, args, req in
            guard let active = args["active"]?.boolValue else { throw FakeGraphQLError("argument active is required") }
            let name = try target(s)
            if !active && name == req.user?.name { return typed(.operation(name: "CannotChangeSelf", message: "you cannot deactivate yourself")) }
            return userResult(req.state.admin.modify(name) { user, _ in
                user.isActive = active
                return nil
            }, req)
        },
        "MutateUserAdminMutations.resetPassword": { s, _, req in
            let name = try target(s)
            let done = req.state.admin.modify(name) { user, _ in
                user.isSsoOnly ? .operation(name: "SsoOnlyUser", message: "\(name) signs in with SSO only and has no password") : nil
            }
            switch done {
            case .success: return ok
            case .failure(let refusal): return typed(refusal)
            }
        },
    ]

    /// `Ok`, as an `OperationResult`.
    static var ok: Typed { Typed("Ok", ["_": .null] as JSONObject) }

    /// The user name a `MutateUserAdminMutations` field acts on.
    static func target(_ source: any Sendable) throws -> String {
        guard let t = source as? FakeUserTarget else { throw FakeGraphQLError("the fake catalog lost the user to change") }
        return t.name
    }

    /// A list-of-strings argument (nil when absent or null).
    static func strings(_ value: JSONValue?) -> [String]? {
        guard let list = value?.arrayValue else { return nil }
        return list.compactMap(\.stringValue)
    }

    /// A change's outcome as a `UserResult`.
    static func userResult(_ result: Result<FakeAdminUser, FakeAdminRefusal>, _ req: FakeRequest) -> Typed {
        switch result {
        case .success(let user): Typed("User", userValue(user, req.state.admin))
        case .failure(let refusal): typed(refusal)
        }
    }

    /// Checks the address, then sets it unless another user has it.
    static func setEmail(_ name: String, _ email: String, _ req: FakeRequest) throws -> Typed {
        guard FakeAdminState.validEmail(email) else { return typed(.invalid("email", "'\(email)' is not an email address", "InvalidEmail")) }
        return userResult(req.state.admin.modify(name) { user, all in
            if all.contains(where: { $0.name != user.name && $0.email.lowercased() == email.lowercased() }) {
                return .operation(name: "EmailAlreadyInUse", message: "another user has the email \(email)")
            }
            user.email = email
            return nil
        }, req)
    }

    /// Sets the active role and replaces (or, with `append`, adds to) the extra roles; every role must exist.
    static func setRole(_ name: String, _ role: String, _ extras: [String]?, append: Bool, _ req: FakeRequest) throws -> Typed {
        let state = req.state.admin
        var errors: [(path: String, message: String, name: String)] = []
        if state.role(named: role) == nil { errors.append(("role", "no role named '\(role)'", "RoleDoesNotExist")) }
        if let e = state.unknownRoles(extras ?? [], path: "extraRoles") { errors.append(e) }
        guard errors.isEmpty else { return typed(.invalid(errors)) }
        return userResult(state.modify(name) { user, _ in
            let kept = append ? user.extraRoles : []
            user.role = role
            user.setExtraRoles(kept + (extras ?? []))
            return nil
        }, req)
    }

    /// Removes extra roles; removing the active role makes `fallback` (which must exist) the active one.
    static func removeRoles(_ name: String, _ roles: [String], fallback: String?, _ req: FakeRequest) throws -> Typed {
        let state = req.state.admin
        return userResult(state.modify(name) { user, _ in
            if let active = user.role, roles.contains(active) {
                guard let fallback else {
                    return .invalid("fallback", "removing the user's active role needs a fallback role", "FallbackRequired")
                }
                guard state.role(named: fallback) != nil else { return .invalid("fallback", "no role named '\(fallback)'", "RoleDoesNotExist") }
                user.role = fallback
            }
            user.setExtraRoles(user.extraRoles.filter { !roles.contains($0) })
            return nil
        }, req)
    }
}
