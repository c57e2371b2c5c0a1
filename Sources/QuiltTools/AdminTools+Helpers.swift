package import QuiltContract
package import QuiltJSON

extension AdminTools {
    /// The deployment's catalog administration; `unsupported` where the tool layer was given none.
    static func engine(_ ctx: ToolContext, _ tool: String) throws(QuiltOpsError) -> any AdminOps {
        guard let admin = ctx.admin else { throw .unsupported(operation: tool, backend: ctx.ops.backendID.rawValue) }
        return admin
    }

    /// A tool over the deployment's catalog administration (`unsupported` where there is none).
    static func tool(
        _ name: String, _ title: String, _ description: String, _ parameters: [Param], _ annotations: ToolAnnotations,
        pythonNames: [String: PythonName] = [:],
        _ body: @escaping @Sendable (Arguments, any AdminOps) async throws(QuiltOpsError) -> JSONValue
    ) -> Tool {
        Tool(
            ToolDefinition(name: name, title: title, description: description, parameters: parameters, annotations: annotations),
            pythonNames: pythonNames
        ) { (args, ctx) throws(QuiltOpsError) in try await body(args, try engine(ctx, name)) }
    }

    /// A tool of the Python server's that answers one user (`{"user": …}`), its leaked `quilt_ops` taken as null.
    static func userTool(
        _ name: String, _ title: String, _ description: String, _ parameters: [Param], _ annotations: ToolAnnotations,
        _ body: @escaping @Sendable (Arguments, any AdminOps) async throws(QuiltOpsError) -> AdminUser
    ) -> Tool {
        tool(name, title, description, parameters, annotations, pythonNames: PythonName.adminOps) { args, admin throws(QuiltOpsError) in
            ["user": encode(try await body(args, admin))]
        }
    }

    /// A tool that makes one ``AdminUserChange`` to the user `name` and answers the user after it.
    static func change(
        _ name: String, _ title: String, _ parameters: [Param],
        _ make: @escaping @Sendable (Arguments) throws(QuiltOpsError) -> AdminUserChange
    ) -> Tool {
        userTool(name, title, title + " (the user after the change is answered).", [Self.name] + parameters, changes) { args, admin throws(QuiltOpsError) in
            try await admin.changeUser(named: args.string("name") ?? "", try make(args))
        }
    }

    package static func encode(_ user: AdminUser) -> JSONValue {
        [
            "name": .string(user.name), "email": .string(user.email), "is_active": .bool(user.isActive), "is_admin": .bool(user.isAdmin),
            "is_sso_only": .bool(user.isSsoOnly), "is_service": .bool(user.isService), "date_joined": optional(user.dateJoined),
            "last_login": optional(user.lastLogin), "role": user.role.map(encode) ?? .null, "extra_roles": .array(user.extraRoles.map(encode)),
        ]
    }

    package static func encode(_ role: AdminRole) -> JSONValue {
        var o: JSONObject = ["id": optional(role.id), "name": .string(role.name), "arn": optional(role.arn), "type": .string(role.kind.rawValue)]
        if let policies = role.policies { o["policies"] = .array(policies.map(JSONValue.string)) }
        if let isDefault = role.isDefault { o["is_default"] = .bool(isDefault) }
        return .object(o)
    }

    package static func encode(_ config: SSOConfig) -> JSONValue {
        ["text": .string(config.text), "timestamp": optional(config.timestamp), "uploader": optional(config.uploader)]
    }

    static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
}
