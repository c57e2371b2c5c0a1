import QuiltContract
import QuiltJSON

/// Catalog administration (the `admin` toolset, off by default): users, roles and SSO, with the Python server's
/// `admin_user_*` and `admin_sso_config_*` names and parameters. A catalog admin's token is needed; on a registry
/// without a catalog every tool answers `unsupported`. Deleting a user, resetting a password and replacing or
/// removing the SSO configuration ask for consent first.
package enum AdminTools {
    static let all = [
        usersList, userGet, userCreate, userDelete, userSetEmail, userSetAdmin, userSetActive, userResetPassword, userSetRole,
        userAddRoles, userRemoveRoles, rolesList, ssoGet, ssoSet, ssoRemove,
    ]

    static let name = Param("name", .string(pattern: nil, minLength: 1), "The user's name (login).", required: true)
    static let roles = Param("roles", .stringArray(minItems: 1), "Role names.", required: true)
    static let reads = ToolAnnotations(readOnly: true, idempotent: true)
    static let changes = ToolAnnotations(readOnly: false, destructive: false, idempotent: true)

    // MARK: - Users

    static let usersList = Tool(
        ToolDefinition(
            name: "admin_users_list", title: "Catalog users",
            description: "Every catalog user: email, active, admin, SSO-only, service, joined, last login, role and extra roles.",
            parameters: [], annotations: reads)
    ) { (_, ctx) throws(QuiltOpsError) in
        let users = try await engine(ctx, "admin_users_list").users()
        return ["users": .array(users.map(encode)), "count": .number(JSONNumber(users.count))]
    }

    static let userGet = userTool("admin_user_get", "A catalog user", "One user by name, with their roles.", [name], reads) { args, admin throws(QuiltOpsError) in
        try await admin.user(named: args.string("name") ?? "")
    }

    static let userCreate = userTool(
        "admin_user_create", "Create a catalog user", "Creates a user with an email, an active role and any extra roles.",
        [
            name, Param("email", .string(pattern: nil, minLength: 3), "Their email.", required: true),
            Param("role", .string(pattern: nil, minLength: 1), "Active role (admin_roles_list names them).", required: true),
            Param("extra_roles", .stringArray(minItems: 0), "Further roles they may switch to."),
        ], ToolAnnotations(readOnly: false, destructive: false, idempotent: false)
    ) { args, admin throws(QuiltOpsError) in
        try await admin.createUser(NewAdminUser(
            name: args.string("name") ?? "", email: args.string("email") ?? "", role: args.string("role") ?? "",
            extraRoles: args["extra_roles"]?.arrayValue?.compactMap(\.stringValue)))
    }

    static let userDelete = Tool(
        ToolDefinition(
            name: "admin_user_delete", title: "Delete a catalog user", description: "Deletes a user from the catalog.",
            parameters: [name], annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: true)),
        consent: { (args, _) throws(QuiltOpsError) in "Delete the catalog user \(args.string("name") ?? "")? They can no longer sign in." },
        pythonNames: PythonName.adminOps
    ) { (args, ctx) throws(QuiltOpsError) in
        let user = args.string("name") ?? ""
        try await engine(ctx, "admin_user_delete").deleteUser(named: user)
        return ["deleted": .string(user)]
    }

    static let userSetEmail = change("admin_user_set_email", "Change a user's email", [Param("email", .string(pattern: nil, minLength: 3), "The new email.", required: true)]) {
        args throws(QuiltOpsError) in .email(args.string("email") ?? "")
    }
    static let userSetAdmin = change("admin_user_set_admin", "Make a user an admin, or not", [Param("admin", .boolean, "Admin or not.", required: true)]) {
        args throws(QuiltOpsError) in .admin(args.bool("admin") ?? false)
    }
    static let userSetActive = change("admin_user_set_active", "Activate or deactivate a user", [Param("active", .boolean, "Active or not (an inactive user cannot sign in).", required: true)]) {
        args throws(QuiltOpsError) in .active(args.bool("active") ?? false)
    }
    static let userSetRole = change(
        "admin_user_set_role", "Set a user's roles",
        [
            Param("role", .string(pattern: nil, minLength: 1), "The active role.", required: true),
            Param("extra_roles", .stringArray(minItems: 0), "Extra roles: replacing theirs, or added with append."),
            Param("append", .boolean, "Add extra_roles to theirs instead of replacing them.", default: false),
        ]
    ) { args throws(QuiltOpsError) in
        .role(args.string("role") ?? "", extraRoles: args["extra_roles"]?.arrayValue?.compactMap(\.stringValue), append: args.bool("append") ?? false)
    }
    static let userAddRoles = change("admin_user_add_roles", "Add roles to a user", [roles]) { args throws(QuiltOpsError) in
        .addRoles(args["roles"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }
    static let userRemoveRoles = change(
        "admin_user_remove_roles", "Remove roles from a user",
        [roles, Param("fallback", .string(pattern: nil, minLength: 1), "The active role if theirs is removed.")]
    ) { args throws(QuiltOpsError) in
        .removeRoles(args["roles"]?.arrayValue?.compactMap(\.stringValue) ?? [], fallback: args.string("fallback"))
    }

    static let userResetPassword = Tool(
        ToolDefinition(
            name: "admin_user_reset_password", title: "Reset a user's password",
            description: "Sends the user a password reset; their current password stops working.",
            parameters: [name], annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: false)),
        consent: { (args, _) throws(QuiltOpsError) in "Reset the password of \(args.string("name") ?? "")? Their current password stops working." },
        pythonNames: PythonName.adminOps
    ) { (args, ctx) throws(QuiltOpsError) in
        let user = args.string("name") ?? ""
        try await engine(ctx, "admin_user_reset_password").resetPassword(named: user)
        return ["password_reset": .string(user)]
    }

    // MARK: - Roles and SSO

    static let rolesList = Tool(
        ToolDefinition(
            name: "admin_roles_list", title: "Catalog roles",
            description: "Every role: managed (the catalog keeps its policies) or unmanaged (an IAM role it names), its ARN, policies, and which is the default.",
            parameters: [], annotations: reads)
    ) { (_, ctx) throws(QuiltOpsError) in
        let roles = try await engine(ctx, "admin_roles_list").roles()
        return ["roles": .array(roles.map(encode)), "count": .number(JSONNumber(roles.count))]
    }

    static let ssoGet = Tool(
        ToolDefinition(
            name: "admin_sso_config_get", title: "The SSO configuration",
            description: "The stored SSO configuration text, when it was stored and by whom; null when none is set.",
            parameters: [], annotations: reads)
    ) { (_, ctx) throws(QuiltOpsError) in
        ["sso_config": try await engine(ctx, "admin_sso_config_get").ssoConfig().map(encode) ?? .null]
    }

    static let ssoSet = Tool(
        ToolDefinition(
            name: "admin_sso_config_set", title: "Set the SSO configuration",
            description: "Stores the SSO configuration (YAML text, or an object sent as JSON), replacing any there is.",
            parameters: [Param("config", .anyJSON, "The configuration: YAML or JSON text, or an object.", required: true)],
            annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: true)),
        consent: { (_, ctx) throws(QuiltOpsError) in
            guard try await engine(ctx, "admin_sso_config_set").ssoConfig() != nil else { return nil }
            return "Replace the catalog's SSO configuration? Sign-in follows the new one at once."
        },
        pythonNames: PythonName.adminOps
    ) { (args, ctx) throws(QuiltOpsError) in
        let text: String
        switch args["config"] {
        case .string(let s)?: text = s
        case .object(let o)?: text = JSONWriter.compact(.object(o))
        default: throw .invalidInput(field: "config", reason: "give the configuration as YAML or JSON text, or as an object.")
        }
        return ["sso_config": try await engine(ctx, "admin_sso_config_set").setSSOConfig(text).map(encode) ?? .null]
    }

    static let ssoRemove = Tool(
        ToolDefinition(
            name: "admin_sso_config_remove", title: "Remove the SSO configuration",
            description: "Removes the SSO configuration; users then sign in with passwords only.",
            parameters: [], annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: true)),
        consent: { (_, ctx) throws(QuiltOpsError) in
            guard try await engine(ctx, "admin_sso_config_remove").ssoConfig() != nil else { return nil }
            return "Remove the catalog's SSO configuration? Users who sign in only through SSO can no longer sign in."
        },
        pythonNames: PythonName.adminOps
    ) { (_, ctx) throws(QuiltOpsError) in
        _ = try await engine(ctx, "admin_sso_config_remove").setSSOConfig(nil)
        return ["sso_config": .null, "removed": true]
    }
}
