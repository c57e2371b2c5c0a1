import Foundation
import QuiltJSON

/// Role mutations (admins only; anyone else gets the GraphQL error "Forbidden: only catalog admins may do this"):
/// create and update (managed or unmanaged), delete, set the default. Refusals are the result union's members; an
/// unknown role id (update), an unknown policy or a malformed ARN are GraphQL errors naming them, as the unions have
/// no member for them. The rules live in FakeAdminState+Roles.
extension FakeResolvers {
    static let adminRoles: [String: FakeResolver] = [
        "Mutation.roleCreateManaged": { _, args, req in
            _ = try admin(req)
            let input = try object(args, "input")
            return try roleAnswer(req.state.admin.createRole(name: try string(input, "name"), .managed(policies: ids(input["policies"]))), "RoleCreateSuccess")
        },
        "Mutation.roleCreateUnmanaged": { _, args, req in
            _ = try admin(req)
            let input = try object(args, "input")
            return try roleAnswer(req.state.admin.createRole(name: try string(input, "name"), .unmanaged(arn: try string(input, "arn"))), "RoleCreateSuccess")
        },
        "Mutation.roleUpdateManaged": { _, args, req in
            _ = try admin(req)
            let input = try object(args, "input")
            let spec = FakeRoleSpec.managed(policies: ids(input["policies"]))
            return try roleAnswer(req.state.admin.updateRole(id: try id(args), name: try string(input, "name"), spec), "RoleUpdateSuccess")
        },
        "Mutation.roleUpdateUnmanaged": { _, args, req in
            _ = try admin(req)
            let input = try object(args, "input")
            let spec = FakeRoleSpec.unmanaged(arn: try string(input, "arn"))
            return try roleAnswer(req.state.admin.updateRole(id: try id(args), name: try string(input, "name"), spec), "RoleUpdateSuccess")
        },
        "Mutation.roleDelete": { _, args, req in
            _ = try admin(req)
            switch req.state.admin.deleteRole(id: try id(args)) {
            case .success: return member("RoleDeleteSuccess")
            case .failure(let refusal): return try refused(refusal)
            }
        },
        "Mutation.roleSetDefault": { _, args, req in
            _ = try admin(req)
            return try roleAnswer(req.state.admin.setDefaultRole(id: try id(args)), "RoleSetDefaultSuccess")
        },
    ]

    /// A result union's member that carries nothing (`{_: Boolean}`), by type name.
    static func member(_ type: String) -> Typed { Typed(type, ["_": .null] as JSONObject) }

    /// A role change's outcome: `success` (a type with a `role`), a refusing member, or a thrown GraphQL error.
    static func roleAnswer(_ result: Result<FakeAdminRole, FakeRoleRefusal>, _ success: String) throws -> Typed {
        switch result {
        case .success(let role): Typed(success, ["role": roleValue(role)] as [String: any Sendable])
        case .failure(let refusal): try refused(refusal)
        }
    }

    /// A refusal as its union member, or thrown as a GraphQL error.
    static func refused(_ refusal: FakeRoleRefusal) throws -> Typed {
        switch refusal {
        case .member(let type): return member(type)
        case .error(let message): throw FakeGraphQLError(message)
        }
    }

    /// An input-object argument (GraphQL validation has made sure a required one is there).
    static func object(_ args: JSONObject, _ name: String) throws -> JSONObject {
        guard let o = args[name]?.objectValue else { throw FakeGraphQLError("argument \(name) is required") }
        return o
    }

    /// An `[ID!]` value: strings, or integers as GraphQL allows (empty when absent).
    static func ids(_ value: JSONValue?) -> [String] {
        (value?.arrayValue ?? []).compactMap { $0.stringValue ?? $0.intValue.map(String.init) }
    }
}
