import Foundation
import Synchronization

/// What a policy is made of: bucket grants (`ManagedPolicyInput`) or an IAM policy ARN (`UnmanagedPolicyInput`).
enum FakePolicySpec: Sendable {
    case managed(grants: [FakeBucketGrant])
    case unmanaged(arn: String)
}

/// Policies: created, changed, deleted. A policy's `roles` input is applied to the roles (they list their policies),
/// so a policy's roles and the roles' policies always agree. Refusals are the catalog's `InvalidInput` (every bad
/// field at once) or `OperationError`.
extension FakeAdminState {
    /// Creates a policy with the next `policy-<n>` id, attached to `roles` (ids of managed roles).
    /// - Parameter buckets: the buckets the catalog has (grants must name one of them).
    func createPolicy(title: String, _ spec: FakePolicySpec, roles: [String], buckets: [String]) -> Result<FakeAdminPolicy, FakeAdminRefusal> {
        iam.withLock { s in
            let id = "policy-\(s.nextPolicy)"
            if let refusal = Self.policyProblem(id, title, spec, roles: roles, buckets: buckets, in: s) { return .failure(refusal) }
            s.nextPolicy += 1
            var policy = FakeAdminPolicy(id: id, title: title, arn: "", managed: true)
            Self.apply(spec, to: &policy)
            s.policies.append(policy)
            Self.attach(id, to: roles, in: &s)
            return .success(policy)
        }
    }

    /// Replaces a policy's title, grants (managed) or ARN (unmanaged), and roles.
    func updatePolicy(id: String, title: String, _ spec: FakePolicySpec, roles: [String], buckets: [String]) -> Result<FakeAdminPolicy, FakeAdminRefusal> {
        iam.withLock { s in
            guard let i = s.policies.firstIndex(where: { $0.id == id }) else { return .failure(Self.noPolicy(id)) }
            switch (spec, s.policies[i].managed) {
            case (.managed, false): return .failure(.invalid("id", "policy '\(id)' is unmanaged", "PolicyIsUnmanaged"))
            case (.unmanaged, true): return .failure(.invalid("id", "policy '\(id)' is managed", "PolicyIsManaged"))
            default: break
            }
            if let refusal = Self.policyProblem(id, title, spec, roles: roles, buckets: buckets, in: s) { return .failure(refusal) }
            s.policies[i].title = title
            Self.apply(spec, to: &s.policies[i])
            Self.attach(id, to: roles, in: &s)
            return .success(s.policies[i])
        }
    }

    /// Deletes a policy, detaching it from every role.
    func deletePolicy(id: String) -> Result<Void, FakeAdminRefusal> {
        iam.withLock { s in
            guard let i = s.policies.firstIndex(where: { $0.id == id }) else { return .failure(Self.noPolicy(id)) }
            s.policies.remove(at: i)
            Self.attach(id, to: [], in: &s)
            return .success(())
        }
    }

    /// Drops every grant on a bucket the catalog no longer has.
    func forgetBucket(_ bucket: String) {
        iam.withLock { s in
            for i in s.policies.indices { s.policies[i].grants.removeAll { $0.bucket == bucket } }
        }
    }

    // MARK: - Checks

    static func noPolicy(_ id: String) -> FakeAdminRefusal { .invalid("id", "no policy with id '\(id)'", "PolicyDoesNotExist") }

    /// Why the input cannot make policy `id` (nil when it can): every bad field as `InvalidInput`, then a title
    /// another policy has as the `PolicyTitleExists` operation error.
    static func policyProblem(_ id: String, _ title: String, _ spec: FakePolicySpec, roles: [String], buckets: [String], in s: IAM) -> FakeAdminRefusal? {
        var errors: [(path: String, message: String, name: String)] = []
        if title.allSatisfy(\.isWhitespace) { errors.append(("input.title", "the title must not be blank", "InvalidTitle")) }
        switch spec {
        case .managed(let grants):
            let unknown = distinct(grants.map(\.bucket).filter { !buckets.contains($0) })
            if !unknown.isEmpty {
                errors.append(("input.permissions", "the catalog does not have bucket \(unknown.map { "'\($0)'" }.joined(separator: ", "))", "BucketNotFound"))
            }
        case .unmanaged(let arn):
            if !validARN(arn, kind: "policy") {
                errors.append(("input.arn", "'\(arn)' is not an IAM policy ARN (arn:aws:iam::<12 digits>:policy/<name>)", "InvalidArn"))
            }
        }
        let wanted = distinct(roles)
        let unknown = wanted.filter { r in !s.roles.contains { $0.id == r } }
        let unmanaged = wanted.filter { r in s.roles.contains { $0.id == r && $0.policies == nil } }
        let full = s.roles.filter { r in wanted.contains(r.id) && !(r.policies?.contains(id) ?? true) && (r.policies?.count ?? 0) >= maxPoliciesPerRole }
        func quoted(_ list: [String]) -> String { list.map { "'\($0)'" }.joined(separator: ", ") }
        if !unknown.isEmpty { errors.append(("input.roles", "no role with id \(quoted(unknown))", "RoleDoesNotExist")) }
        if !unmanaged.isEmpty { errors.append(("input.roles", "role \(quoted(unmanaged)) is unmanaged and has no policies", "RoleIsUnmanaged")) }
        if !full.isEmpty {
            errors.append(("input.roles", "role \(quoted(full.map(\.id))) already has \(maxPoliciesPerRole) policies", "RoleHasTooManyPoliciesToAttach"))
        }
        if !errors.isEmpty { return .invalid(errors) }
        if s.policies.contains(where: { $0.id != id && $0.title == title }) {
            return .operation(name: "PolicyTitleExists", message: "a policy titled '\(title)' already exists")
        }
        return nil
    }

    // MARK: - Making

    /// Sets a policy's grants and ARN from its input: a managed policy grants each bucket once (the higher level
    /// when one is given twice) and is `policy/quilt-<id>` in the catalog's account; an unmanaged one grants nothing.
    static func apply(_ spec: FakePolicySpec, to policy: inout FakeAdminPolicy) {
        switch spec {
        case .managed(let grants):
            var merged: [FakeBucketGrant] = []
            for g in grants {
                if let i = merged.firstIndex(where: { $0.bucket == g.bucket }) {
                    if g.level == "READ_WRITE" { merged[i] = g }
                } else {
                    merged.append(g)
                }
            }
            policy = FakeAdminPolicy(id: policy.id, title: policy.title, arn: accountARN + "policy/quilt-\(policy.id)", managed: true, grants: merged)
        case .unmanaged(let arn):
            policy = FakeAdminPolicy(id: policy.id, title: policy.title, arn: arn, managed: false)
        }
    }

    /// Makes policy `id` part of exactly the managed roles in `roleIDs` (added last where it is new).
    static func attach(_ id: String, to roleIDs: [String], in s: inout IAM) {
        for i in s.roles.indices {
            guard var ids = s.roles[i].policies else { continue }
            if roleIDs.contains(s.roles[i].id) {
                if !ids.contains(id) { ids.append(id) }
            } else {
                ids.removeAll { $0 == id }
            }
            s.roles[i].policies = ids
        }
    }
}
