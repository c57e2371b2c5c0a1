import FakeCatalog
import Foundation
import QuiltContract
import QuiltTestSupport
import Testing

/// Roles, policies, buckets, API keys and the packager's event rules (`AdminOps`), on the same catalogs as
/// ``AdminScenarios``. API keys (2026-06 on) and event rules (2025-07 on) are `unsupported` on older schemas.
@Suite("Conformance: catalog governance")
struct AdminGovernanceScenarios {
    /// The schema a target's catalog serves (the replayed recordings were made on HEAD's).
    static func schema(_ backend: BackendUnderTest) -> FakeCatalogSchema.Variant {
        (backend.harness as? PlatformHarness)?.schema ?? .head
    }

    static func field(_ error: QuiltOpsError?) -> String? { if case .invalidInput(let f, _)? = error { f } else { nil } }

    @Test("Roles: created managed and unmanaged, renamed, re-pointed, made default, deleted; refusals by type", arguments: AdminScenarios.asAdmin)
    func roles(_ backend: BackendUnderTest) async throws {
        try await AdminScenarios.run(backend, "admin.roles.lifecycle") { admin in
            let managed = try await admin.createRole(.managed(name: "Curators", policies: ["policy-read-all"]))
            #expect(managed.kind == .managed && managed.name == "Curators" && managed.id != nil)
            let external = try await admin.createRole(.unmanaged(name: "Partner", arn: "arn:aws:iam::123456789012:role/Partner"))
            // ARNs are compared without their account: fixtures scrub every ARN's account (SecretPatterns).
            #expect(external.kind == .unmanaged && external.arn?.hasSuffix(":role/Partner") == true)
            let id = try #require(managed.id), externalID = try #require(external.id)
            let renamed = try await admin.updateRole(id: id, .managed(name: "Stewards", policies: ["policy-write-all"]))
            #expect(renamed.name == "Stewards" && renamed.id == id)
            #expect(try await admin.roles().first { $0.id == id }?.policies == ["Read and write every bucket"])
            let moved = try await admin.updateRole(id: externalID, .unmanaged(name: "Partner", arn: "arn:aws:iam::123456789012:role/Other"))
            #expect(moved.arn?.hasSuffix(":role/Other") == true)
            #expect(try await admin.setDefaultRole(id: id).isDefault == true)
            #expect(try await admin.roles().filter { $0.isDefault == true }.map(\.name) == ["Stewards"])

            _ = await expectError("conflict") { _ = try await admin.createRole(.managed(name: "Stewards", policies: [])) }
            #expect(Self.field(await expectError("invalid_input") { _ = try await admin.createRole(.managed(name: "no spaces allowed", policies: [])) }) == "name")
            #expect(Self.field(await expectError("invalid_input") { _ = try await admin.createRole(.managed(name: "quilt-internal", policies: [])) }) == "name")
            #expect(Self.field(await expectError("invalid_input") {
                _ = try await admin.updateRole(id: externalID, .managed(name: "Partner", policies: []))
            }) == "role")
            _ = await expectError("conflict") { try await admin.deleteRole(id: id) }  // the default
            _ = await expectError("conflict") { try await admin.deleteRole(id: "role-read") }  // analyst holds it
            _ = await expectError("not_found") { try await admin.deleteRole(id: "role-nobody") }
            _ = try await admin.setDefaultRole(id: "role-write")
            try await admin.deleteRole(id: id)
            try await admin.deleteRole(id: externalID)
            #expect(try await admin.roles().map(\.name) == ["ReadQuiltBucket", "ReadWriteQuiltBucket", "ExternalAnalytics"])
            _ = try await admin.setSSOConfig("provider: okta\n")
            _ = await expectError("conflict") { _ = try await admin.setDefaultRole(id: "role-read") }
            _ = try await admin.setSSOConfig(nil)
        }
    }

    @Test("Policies: managed from bucket permissions and unmanaged by ARN, attached to roles, changed, deleted", arguments: AdminScenarios.asAdmin)
    func policies(_ backend: BackendUnderTest) async throws {
        try await AdminScenarios.run(backend, "admin.policies.lifecycle") { admin in
            let bucket = try #require(try await admin.policies().first?.permissions.first?.bucket, "the seeded policy names the catalog's bucket")
            let made = try await admin.createPolicy(.managed(title: "Curate", permissions: [AdminBucketPermission(bucket: bucket, level: .read)], roles: ["role-read"]))
            #expect(made.managed && made.permissions == [AdminBucketPermission(bucket: bucket, level: .read)] && made.roles == ["ReadQuiltBucket"])
            #expect(try await admin.roles().first { $0.id == "role-read" }?.policies?.contains("Curate") == true)
            let changed = try await admin.updatePolicy(
                id: made.id, .managed(title: "Curate all", permissions: [AdminBucketPermission(bucket: bucket, level: .readWrite)], roles: []))
            #expect(changed.title == "Curate all" && changed.permissions.first?.level == .readWrite && changed.roles.isEmpty)
            let outside = try await admin.createPolicy(.unmanaged(title: "Outside", arn: "arn:aws:iam::123456789012:policy/outside", roles: ["role-write"]))
            #expect(!outside.managed && outside.arn?.hasSuffix(":policy/outside") == true && outside.permissions.isEmpty)

            #expect(Self.field(await expectError("invalid_input") {
                _ = try await admin.createPolicy(.unmanaged(title: "Bad", arn: "arn:aws:s3:::not-a-policy", roles: []))
            }) == "arn")
            #expect(Self.field(await expectError("invalid_input") {
                _ = try await admin.createPolicy(.managed(title: "Nowhere", permissions: [AdminBucketPermission(bucket: "no-such-bucket", level: .read)], roles: []))
            }) == "permissions")
            _ = await expectError("conflict") { _ = try await admin.createPolicy(.managed(title: "Outside", permissions: [], roles: [])) }
            #expect(Self.field(await expectError("invalid_input") {
                _ = try await admin.updatePolicy(id: outside.id, .managed(title: "Outside", permissions: [], roles: []))
            }) == "policy")
            try await admin.deletePolicy(id: made.id)
            try await admin.deletePolicy(id: outside.id)
            _ = await expectError("not_found") { try await admin.deletePolicy(id: made.id) }
            #expect(try await admin.policies().map(\.title) == ["Read every bucket", "Read and write every bucket"])
        }
    }

    @Test("Buckets: added with settings, changed setting by setting (the rest kept), removed; refusals by type", arguments: AdminScenarios.asAdmin)
    func buckets(_ backend: BackendUnderTest) async throws {
        try await AdminScenarios.run(backend, "admin.buckets") { admin in
            let added = try await admin.addBucket(
                "governed-bucket", AdminBucketSettings(title: "Governed", description: "Curated data", tags: ["curated"], fileExtensionsToIndex: [".csv"]))
            #expect(added.name == "governed-bucket" && added.settings.title == "Governed" && added.settings.tags == ["curated"])
            let changed = try await admin.updateBucket("governed-bucket", AdminBucketSettings(title: "Governed data", indexContentBytes: 4096))
            #expect(changed.settings.title == "Governed data" && changed.settings.indexContentBytes == 4096)
            #expect(changed.settings.description == "Curated data" && changed.settings.fileExtensionsToIndex == [".csv"], "settings not given stay")

            _ = await expectError("conflict") { _ = try await admin.addBucket("governed-bucket", AdminBucketSettings(title: "Again")) }
            _ = await expectError("not_found") { _ = try await admin.addBucket("Not_A_Bucket", AdminBucketSettings(title: "Bad")) }
            #expect(Self.field(await expectError("invalid_input") {
                _ = try await admin.updateBucket("governed-bucket", AdminBucketSettings(fileExtensionsToIndex: ["csv"]))
            }) == "file_extensions_to_index")
            #expect(Self.field(await expectError("invalid_input") { _ = try await admin.addBucket("other-bucket", AdminBucketSettings()) }) == "title")
            try await admin.removeBucket("governed-bucket")
            _ = await expectError("not_found") { try await admin.removeBucket("governed-bucket") }
            _ = await expectError("not_found") { _ = try await admin.updateBucket("governed-bucket", AdminBucketSettings(title: "Gone")) }
        }
    }

    @Test("API keys: every user's listed and filtered, revoked by id; none before catalog 2026-06", arguments: AdminScenarios.asAdmin)
    func apiKeys(_ backend: BackendUnderTest) async throws {
        let hasKeys = [.head, .jun2026].contains(Self.schema(backend))
        try await AdminScenarios.run(backend, "admin.api-keys") { admin in
            guard hasKeys else {
                _ = await expectError("unsupported") { _ = try await admin.apiKeys(AdminAPIKeyFilter()) }
                _ = await expectError("unsupported") { try await admin.revokeAPIKey(id: "key-seed-1") }
                return
            }
            let keys = try await admin.apiKeys(AdminAPIKeyFilter())
            #expect(keys.map(\.name) == ["nightly-sync", "dashboards"] && keys.map(\.status) == ["EXPIRED", "ACTIVE"], "\(keys)")
            #expect(try await admin.apiKeys(AdminAPIKeyFilter(email: "admin@example.com")).map(\.fingerprint) == ["qk_seed0002"])
            try await admin.revokeAPIKey(id: "key-seed-1")
            #expect(try await admin.apiKeys(AdminAPIKeyFilter()).map(\.id) == ["key-seed-2"])
            _ = await expectError("not_found") { try await admin.revokeAPIKey(id: "key-seed-1") }
        }
    }

    /// Live only: the secret the catalog answers must not be recorded in a fixture.
    @Test("A new API key's secret is in the answer only, and its description hides it", arguments: AdminScenarios.asAdmin.filter { !$0.id.contains("replay") })
    func apiKeyCreate(_ backend: BackendUnderTest) async throws {
        guard [.head, .jun2026].contains(Self.schema(backend)) else { return }
        try await AdminScenarios.run(backend, "admin.api-key-create") { admin in
            let made = try await admin.createAPIKey(name: "ci", expiresInDays: 30)
            #expect(made.secret.hasPrefix("qk_") && made.key.status == "ACTIVE" && made.key.userEmail == "admin@example.com")
            #expect(!"\(made)".contains(made.secret) && !String(reflecting: made).contains(made.secret))
            #expect(try await admin.apiKeys(AdminAPIKeyFilter(name: "ci")).map(\.fingerprint) == [made.key.fingerprint])
            #expect(Self.field(await expectError("invalid_input") { _ = try await admin.createAPIKey(name: "ci", expiresInDays: 0) }) == "expires_in_days")
            #expect(Self.field(await expectError("invalid_input") { _ = try await admin.createAPIKey(name: " ", expiresInDays: 30) }) == "name")
        }
    }

    @Test("Packager event rules: listed and turned on or off; none before catalog 2025-07", arguments: AdminScenarios.asAdmin)
    func eventRules(_ backend: BackendUnderTest) async throws {
        let hasRules = Self.schema(backend) != .nov2024
        try await AdminScenarios.run(backend, "admin.packager") { admin in
            guard hasRules else {
                _ = await expectError("unsupported") { _ = try await admin.eventRules() }
                return
            }
            let rules = try await admin.eventRules()
            #expect(rules == [PackagerEventRule(name: "package-on-upload", enabled: false), PackagerEventRule(name: "readme-on-push", enabled: true)])
            #expect(try await admin.setEventRule(name: "package-on-upload", enabled: true).enabled)
            let after = try await admin.eventRules()
            #expect(after.allSatisfy { $0.enabled })
            _ = await expectError("not_found") { _ = try await admin.setEventRule(name: "no-such-rule", enabled: true) }
        }
    }
}
