import QuiltContract
import QuiltJSON

/// Roles, policies, buckets, API keys and the packager's event rules (the `admin` toolset). Roles and policies are
/// named by name/title or id; an update changes only what it is given. Deleting or removing asks first.
enum AdminGovernanceTools {
    static let all = [
        roleGet, roleCreate, roleUpdate, roleDelete, roleSetDefault, policiesList, policyGet, policyCreate, policyUpdate, policyDelete, bucketAdd,
        bucketUpdate, bucketRemove, apiKeysList, apiKeyCreate, apiKeyRevoke, eventRulesList, eventRuleSet,
    ]

    static let role = Param("role", .string(pattern: nil, minLength: 1), "The role's name or id.", required: true)
    static let policy = Param("policy", .string(pattern: nil, minLength: 1), "The policy's title or id.", required: true)
    static let arn = Param("arn", .string(pattern: "^arn:", minLength: 1), "An IAM ARN made elsewhere: the role or policy is then unmanaged.")
    static let policyNames = Param("policies", .stringArray(minItems: 0), "Policy titles or ids (a managed role's).")
    static let roleNames = Param("roles", .stringArray(minItems: 0), "Names or ids of the managed roles that get the policy.")
    static let permissions = Param(
        "permissions",
        .objectArray(minItems: 0, items: [
            "type": "object", "required": ["bucket", "level"], "additionalProperties": false,
            "properties": ["bucket": ["type": "string"], "level": ["enum": ["READ", "READ_WRITE"]]],
        ]),
        "Bucket permissions of a managed policy: {bucket, level READ or READ_WRITE}.")
    static let bucketName = Param("name", .string(pattern: nil, minLength: 3), "The S3 bucket's name.", required: true)
    static let changes = ToolAnnotations(readOnly: false, destructive: false, idempotent: true)
    static let removes = ToolAnnotations(readOnly: false, destructive: true, idempotent: true)

    // MARK: - Roles

    static let roleGet = AdminTools.tool(
        "admin_role_get", "A catalog role", "One role by name or id: managed or unmanaged, its ARN, policies, and whether it is the default.", [role],
        ToolAnnotations(readOnly: true, idempotent: true)
    ) { args, admin throws(QuiltOpsError) in
        ["role": AdminTools.encode(try await findRole(args.string("role") ?? "", admin))]
    }

    static let roleCreate = AdminTools.tool(
        "admin_role_create", "Create a role",
        "A managed role with policies (the catalog writes its IAM role), or with arn an unmanaged one naming an IAM role made elsewhere.",
        [Param("name", .string(pattern: nil, minLength: 1), "The role's name.", required: true), policyNames, arn],
        ToolAnnotations(readOnly: false, destructive: false, idempotent: false)
    ) { args, admin throws(QuiltOpsError) in
        let name = args.string("name") ?? ""
        let input: AdminRoleInput = if let arn = args.string("arn") {
            .unmanaged(name: name, arn: arn)
        } else {
            .managed(name: name, policies: try await policyIDs(args, admin) ?? [])
        }
        return ["role": AdminTools.encode(try await admin.createRole(input))]
    }

    static let roleUpdate = AdminTools.tool(
        "admin_role_update", "Change a role", "Renames a role, or sets its policies (managed) or ARN (unmanaged); what is not given stays.",
        [role, Param("new_name", .string(pattern: nil, minLength: 1), "A new name (users keep the role)."), policyNames, arn], changes
    ) { args, admin throws(QuiltOpsError) in
        let current = try await findRole(args.string("role") ?? "", admin)
        let name = args.string("new_name") ?? current.name
        let id = current.id ?? current.name
        let input: AdminRoleInput
        switch current.kind {
        case .managed:
            if args.has("arn") { throw .invalidInput(field: "arn", reason: "'\(current.name)' is a managed role: give policies, not an ARN.") }
            var policies = try await policyIDs(args, admin)
            if policies == nil { policies = try await policyIDs(titles: current.policies ?? [], admin) }
            input = .managed(name: name, policies: policies ?? [])
        case .unmanaged:
            if args.has("policies") { throw .invalidInput(field: "policies", reason: "'\(current.name)' is an unmanaged role: give its ARN.") }
            input = .unmanaged(name: name, arn: args.string("arn") ?? current.arn ?? "")
        }
        return ["role": AdminTools.encode(try await admin.updateRole(id: id, input))]
    }

    static let roleDelete = Tool(
        ToolDefinition(name: "admin_role_delete", title: "Delete a role", description: "Deletes a role no user holds.", parameters: [role], annotations: removes),
        consent: { (args, _) throws(QuiltOpsError) in "Delete the catalog role \(args.string("role") ?? "")?" }
    ) { (args, ctx) throws(QuiltOpsError) in
        let admin = try AdminTools.engine(ctx, "admin_role_delete")
        let found = try await findRole(args.string("role") ?? "", admin)
        try await admin.deleteRole(id: found.id ?? found.name)
        return ["deleted": .string(found.name)]
    }

    static let roleSetDefault = AdminTools.tool(
        "admin_role_set_default", "Set the default role", "The role new users get (not while an SSO configuration assigns roles).", [role], changes
    ) { args, admin throws(QuiltOpsError) in
        let found = try await findRole(args.string("role") ?? "", admin)
        return ["role": AdminTools.encode(try await admin.setDefaultRole(id: found.id ?? found.name))]
    }

    // MARK: - Policies

    static let policiesList = AdminTools.tool(
        "admin_policies_list", "Catalog policies", "Every policy: managed (bucket permissions) or unmanaged (ARN), and the roles that have it.", [],
        ToolAnnotations(readOnly: true, idempotent: true)
    ) { _, admin throws(QuiltOpsError) in
        let policies = try await admin.policies()
        return ["policies": .array(policies.map(encode)), "count": .number(JSONNumber(policies.count))]
    }

    static let policyGet = AdminTools.tool(
        "admin_policy_get", "A catalog policy", "One policy by title or id: its permissions or ARN, and the roles that have it.", [policy],
        ToolAnnotations(readOnly: true, idempotent: true)
    ) { args, admin throws(QuiltOpsError) in
        ["policy": encode(try await findPolicy(args.string("policy") ?? "", admin))]
    }

    static let policyCreate = AdminTools.tool(
        "admin_policy_create", "Create a policy", "A managed policy from bucket permissions, or with arn an unmanaged one; attached to roles.",
        [Param("title", .string(pattern: nil, minLength: 1), "The policy's title.", required: true), permissions, arn, roleNames],
        ToolAnnotations(readOnly: false, destructive: false, idempotent: false)
    ) { args, admin throws(QuiltOpsError) in
        let title = args.string("title") ?? "", roles = try await roleIDs(args, admin) ?? []
        let input: AdminPolicyInput = if let arn = args.string("arn") {
            .unmanaged(title: title, arn: arn, roles: roles)
        } else {
            .managed(title: title, permissions: try bucketPermissions(args) ?? [], roles: roles)
        }
        return ["policy": encode(try await admin.createPolicy(input))]
    }

    static let policyUpdate = AdminTools.tool(
        "admin_policy_update", "Change a policy", "Sets a policy's title, permissions (managed) or ARN (unmanaged), or roles; what is not given stays.",
        [policy, Param("title", .string(pattern: nil, minLength: 1), "A new title."), permissions, arn, roleNames], changes
    ) { args, admin throws(QuiltOpsError) in
        let current = try await findPolicy(args.string("policy") ?? "", admin)
        let title = args.string("title") ?? current.title
        var given = try await roleIDs(args, admin)
        if given == nil { given = try await roleIDs(names: current.roles, admin) }
        let roles = given ?? []
        let input: AdminPolicyInput
        if current.managed {
            if args.has("arn") { throw .invalidInput(field: "arn", reason: "'\(current.title)' is a managed policy: give permissions.") }
            input = .managed(title: title, permissions: try bucketPermissions(args) ?? current.permissions, roles: roles)
        } else {
            if args.has("permissions") { throw .invalidInput(field: "permissions", reason: "'\(current.title)' is an unmanaged policy: give its ARN.") }
            input = .unmanaged(title: title, arn: args.string("arn") ?? current.arn ?? "", roles: roles)
        }
        return ["policy": encode(try await admin.updatePolicy(id: current.id, input))]
    }

    static let policyDelete = Tool(
        ToolDefinition(name: "admin_policy_delete", title: "Delete a policy", description: "Deletes a policy (its roles lose it).", parameters: [policy], annotations: removes),
        consent: { (args, _) throws(QuiltOpsError) in "Delete the catalog policy \(args.string("policy") ?? "")? Roles that have it lose its permissions." }
    ) { (args, ctx) throws(QuiltOpsError) in
        let admin = try AdminTools.engine(ctx, "admin_policy_delete")
        let found = try await findPolicy(args.string("policy") ?? "", admin)
        try await admin.deletePolicy(id: found.id)
        return ["deleted": .string(found.title)]
    }
}
