import Foundation
import QuiltJSON

/// Policy mutations (admins only): create and update (managed or unmanaged), delete. Answers are `Policy`/`Ok`,
/// `InvalidInput` (every bad field) or `OperationError`; the rules live in FakeAdminState+Policies.
extension FakeResolvers {
    static let adminPolicies: [String: FakeResolver] = [
        "Mutation.policyCreateManaged": { _, args, req in
            _ = try admin(req)
            let input = try object(args, "input")
            let made = req.state.admin.createPolicy(
                title: try string(input, "title"), .managed(grants: grants(input)), roles: ids(input["roles"]), buckets: req.state.bucketNames)
            return policyAnswer(made)
        },
        "Mutation.policyCreateUnmanaged": { _, args, req in
            _ = try admin(req)
            let input = try object(args, "input")
            let made = req.state.admin.createPolicy(
                title: try string(input, "title"), .unmanaged(arn: try string(input, "arn")), roles: ids(input["roles"]), buckets: req.state.bucketNames)
            return policyAnswer(made)
        },
        "Mutation.policyUpdateManaged": { _, args, req in
            _ = try admin(req)
            let input = try object(args, "input")
            let changed = req.state.admin.updatePolicy(
                id: try id(args), title: try string(input, "title"), .managed(grants: grants(input)), roles: ids(input["roles"]),
                buckets: req.state.bucketNames)
            return policyAnswer(changed)
        },
        "Mutation.policyUpdateUnmanaged": { _, args, req in
            _ = try admin(req)
            let input = try object(args, "input")
            let changed = req.state.admin.updatePolicy(
                id: try id(args), title: try string(input, "title"), .unmanaged(arn: try string(input, "arn")), roles: ids(input["roles"]),
                buckets: req.state.bucketNames)
            return policyAnswer(changed)
        },
        "Mutation.policyDelete": { _, args, req in
            _ = try admin(req)
            switch req.state.admin.deletePolicy(id: try id(args)) {
            case .success: return ok
            case .failure(let refusal): return typed(refusal)
            }
        },
    ]

    /// A policy change's outcome as a `PolicyResult`.
    static func policyAnswer(_ result: Result<FakeAdminPolicy, FakeAdminRefusal>) -> Typed {
        switch result {
        case .success(let policy): Typed("Policy", policyValue(policy))
        case .failure(let refusal): typed(refusal)
        }
    }

    /// A `ManagedPolicyInput`'s `permissions` (GraphQL validation has checked each has a bucket and a level).
    static func grants(_ input: JSONObject) -> [FakeBucketGrant] {
        (input["permissions"]?.arrayValue ?? []).compactMap { p in
            guard let bucket = p["bucket"]?.stringValue, let level = p["level"]?.stringValue else { return nil }
            return FakeBucketGrant(bucket: bucket, level: level)
        }
    }
}
