import FakeCatalog
import Foundation
import QuiltContract
import QuiltTestSupport
import Testing

/// The catalog administration contract (`AdminOps`): on the catalog as an admin (the fake catalog live in every
/// schema a deployed catalog has had, and `Fixtures/platform/admin.*.json` replayed; `Fixtures/platform/record.sh
/// 'AdminScenarios'` re-records), as a user who is not an admin, and on every backend without a catalog.
@Suite("Conformance: catalog administration")
struct AdminScenarios {
    /// The catalog as a catalog admin: the fake (HEAD, then each older schema) and the replayed recordings.
    static let asAdmin: [BackendUnderTest] =
        [PlatformHarness(kind: .fake, subject: "admin"), PlatformHarness(kind: .replay, subject: "admin")].map(BackendUnderTest.init)
        + (FixtureMode.current == .replay
            ? FakeCatalogSchema.Variant.allCases.filter { $0.isCatalog && $0 != .head }.map {
                BackendUnderTest(harness: PlatformHarness(kind: .fake, schema: $0, subject: "admin"))
            } : [])
    static let noCatalog = Backends.all.filter { !$0.id.hasPrefix("platform") }

    /// The administration of a session's backend: the backend itself where it is a catalog (under its capability gate).
    static func admin(_ ops: any QuiltOps) -> (any AdminOps)? {
        (ops as? any AdminOps) ?? ((ops as? CapabilityGate)?.base as? any AdminOps)
    }

    /// Runs `body` with the session's administration: the backend itself where it is a catalog.
    static func run(_ backend: BackendUnderTest, _ scenario: ScenarioID, _ body: @Sendable (any AdminOps) async throws -> Void) async throws {
        try await backend.run(scenario) { s in
            let admin = try #require(Self.admin(s.ops), "\(backend.id) is no AdminOps")
            try await body(admin)
        }
    }

    @Test("Users are listed and read by name; an unknown name is not found", arguments: asAdmin)
    func readUsers(_ backend: BackendUnderTest) async throws {
        try await Self.run(backend, "admin.users.read") { admin in
            #expect(admin.adminCapabilities == Set(AdminCapability.allCases))
            let users = try await admin.users()
            #expect(users.map(\.name).starts(with: ["admin", "analyst"]), "\(users.map(\.name))")
            let analyst = try await admin.user(named: "analyst")
            #expect(analyst.email == "analyst@example.com" && !analyst.isAdmin && analyst.isActive)
            #expect(analyst.role?.name == "ReadQuiltBucket" && analyst.role?.kind == .managed)
            #expect(analyst.extraRoles.map(\.name) == ["ExternalAnalytics"] && analyst.extraRoles.first?.kind == .unmanaged)
            #expect(analyst.dateJoined?.hasPrefix("2026-01-15") == true)
            let missing = await expectError("not_found") { _ = try await admin.user(named: "nobody-here") }
            #expect(missing == .notFound(.admin(kind: "user", name: "nobody-here")))
        }
    }

    @Test("A user is created, changed change by change, and deleted; each answer is the user after the change", arguments: asAdmin)
    func userLifecycle(_ backend: BackendUnderTest) async throws {
        try await Self.run(backend, "admin.users.lifecycle") { admin in
            let made = try await admin.createUser(NewAdminUser(name: "newcomer", email: "newcomer@example.com", role: "ReadQuiltBucket"))
            #expect(made.name == "newcomer" && made.isActive && !made.isAdmin && made.role?.name == "ReadQuiltBucket" && made.extraRoles.isEmpty)
            #expect(try await admin.users().map(\.name).contains("newcomer"))

            #expect(try await admin.changeUser(named: "newcomer", .email("new@example.com")).email == "new@example.com")
            #expect(try await admin.changeUser(named: "newcomer", .admin(true)).isAdmin)
            #expect(try await !admin.changeUser(named: "newcomer", .active(false)).isActive)

            var user = try await admin.changeUser(named: "newcomer", .role("ReadWriteQuiltBucket", extraRoles: ["ExternalAnalytics"], append: false))
            #expect(user.role?.name == "ReadWriteQuiltBucket" && user.extraRoles.map(\.name) == ["ExternalAnalytics"])
            user = try await admin.changeUser(named: "newcomer", .role("ReadWriteQuiltBucket", extraRoles: nil, append: false))
            #expect(user.extraRoles.isEmpty, "no extra roles without append: replaced by none")
            user = try await admin.changeUser(named: "newcomer", .addRoles(["ExternalAnalytics", "ReadQuiltBucket"]))
            #expect(Set(user.extraRoles.map(\.name)) == ["ExternalAnalytics", "ReadQuiltBucket"])
            user = try await admin.changeUser(named: "newcomer", .role("ReadWriteQuiltBucket", extraRoles: ["ReadQuiltBucket"], append: true))
            #expect(Set(user.extraRoles.map(\.name)) == ["ExternalAnalytics", "ReadQuiltBucket"], "append keeps what was there, once")

            let noFallback = await expectError("invalid_input") {
                _ = try await admin.changeUser(named: "newcomer", .removeRoles(["ReadWriteQuiltBucket"], fallback: nil))
            }
            #expect(noFallback.map { if case .invalidInput("fallback", _) = $0 { true } else { false } } == true, "\(String(describing: noFallback))")
            user = try await admin.changeUser(named: "newcomer", .removeRoles(["ReadWriteQuiltBucket", "ExternalAnalytics"], fallback: "ReadQuiltBucket"))
            #expect(user.role?.name == "ReadQuiltBucket" && user.extraRoles.isEmpty, "\(user)")

            try await admin.resetPassword(named: "newcomer")
            try await admin.deleteUser(named: "newcomer")
            _ = await expectError("not_found") { _ = try await admin.user(named: "newcomer") }
            _ = await expectError("not_found") { try await admin.deleteUser(named: "newcomer") }
            _ = await expectError("not_found") { _ = try await admin.changeUser(named: "newcomer", .admin(false)) }
        }
    }

    @Test("Refusals name the argument: a taken name or email conflicts, an unknown role or bad email is invalid", arguments: asAdmin)
    func userRefusals(_ backend: BackendUnderTest) async throws {
        try await Self.run(backend, "admin.users.refusals") { admin in
            func field(_ error: QuiltOpsError?) -> String? { if case .invalidInput(let f, _)? = error { f } else { nil } }
            _ = await expectError("conflict") {
                _ = try await admin.createUser(NewAdminUser(name: "analyst", email: "other@example.com", role: "ReadQuiltBucket"))
            }
            _ = await expectError("conflict") {
                _ = try await admin.createUser(NewAdminUser(name: "someone", email: "analyst@example.com", role: "ReadQuiltBucket"))
            }
            let email = await expectError("invalid_input") {
                _ = try await admin.createUser(NewAdminUser(name: "someone", email: "not-an-email", role: "ReadQuiltBucket"))
            }
            #expect(field(email) == "email")
            let role = await expectError("invalid_input") {
                _ = try await admin.createUser(NewAdminUser(name: "someone", email: "s@example.com", role: "NoSuchRole"))
            }
            #expect(field(role) == "role")
            let extra = await expectError("invalid_input") {
                _ = try await admin.changeUser(named: "analyst", .role("ReadQuiltBucket", extraRoles: ["NoSuchRole"], append: false))
            }
            #expect(field(extra) == "extra_roles")
            _ = await expectError("forbidden") { try await admin.deleteUser(named: "admin") }
            let names = try await admin.users().map(\.name)
            #expect(!names.contains("someone"), "nothing refused was created")
            let analyst = try await admin.user(named: "analyst")
            #expect(analyst.extraRoles.map(\.name) == ["ExternalAnalytics"], "nothing refused was changed")
        }
    }

    @Test("Roles: managed and unmanaged, their policies, and the default", arguments: asAdmin)
    func roles(_ backend: BackendUnderTest) async throws {
        try await Self.run(backend, "admin.roles") { admin in
            let roles = try await admin.roles()
            #expect(roles.map(\.name) == ["ReadQuiltBucket", "ReadWriteQuiltBucket", "ExternalAnalytics"], "\(roles)")
            #expect(roles.map(\.kind) == [.managed, .managed, .unmanaged])
            #expect(roles.filter { $0.isDefault == true }.map(\.name) == ["ReadWriteQuiltBucket"])
            #expect(roles.first?.policies == ["Read every bucket"] && roles.last?.policies == nil)
            #expect(roles.allSatisfy { $0.arn?.hasPrefix("arn:aws:iam::") == true && $0.id != nil })
        }
    }

    @Test("SSO: none at first, set (the catalog checks it), read back, removed", arguments: asAdmin)
    func sso(_ backend: BackendUnderTest) async throws {
        try await Self.run(backend, "admin.sso") { admin in
            #expect(try await admin.ssoConfig() == nil)
            let text = "provider: okta\ndefault_role: ReadQuiltBucket\n"
            let stored = try #require(try await admin.setSSOConfig(text))
            #expect(stored.text == text && stored.uploader == "admin" && stored.timestamp != nil)
            #expect(try await admin.ssoConfig() == stored)
            let refused = await expectError("invalid_input") { _ = try await admin.setSSOConfig("[1, 2]") }
            #expect(refused.map { if case .invalidInput("config", _) = $0 { true } else { false } } == true)
            #expect(try await admin.ssoConfig()?.text == text, "a refused configuration replaces nothing")
            #expect(try await admin.setSSOConfig(nil) == nil)
            #expect(try await admin.ssoConfig() == nil)
        }
    }

    @Test("A user who is not a catalog admin is refused every read and change, and nothing changes")
    func nonAdmin() async throws {
        let backend = BackendUnderTest(harness: PlatformHarness(kind: .fake, subject: "analyst"))
        try await Self.run(backend, "admin.non-admin") { admin in
            _ = await expectError("forbidden") { _ = try await admin.users() }
            _ = await expectError("forbidden") { _ = try await admin.user(named: "analyst") }
            _ = await expectError("forbidden") { _ = try await admin.roles() }
            _ = await expectError("forbidden") { _ = try await admin.ssoConfig() }
            _ = await expectError("forbidden") { _ = try await admin.changeUser(named: "analyst", .admin(true)) }
            _ = await expectError("forbidden") { _ = try await admin.setSSOConfig("provider: okta") }
            _ = await expectError("forbidden") {
                _ = try await admin.createUser(NewAdminUser(name: "sneaky", email: "s@example.com", role: "ReadQuiltBucket"))
            }
        }
    }

    @Test("Without a catalog every requirement is unsupported, never an empty success", arguments: noCatalog)
    func withoutCatalog(_ backend: BackendUnderTest) async throws {
        try await backend.run("admin.unsupported") { s in
            let admin: any AdminOps = Self.admin(s.ops) ?? NoCatalogAdmin(backend: s.ops.backendID.rawValue)
            #expect(admin.adminCapabilities.isEmpty)
            _ = await expectError("unsupported") { _ = try await admin.users() }
            _ = await expectError("unsupported") { _ = try await admin.user(named: "x") }
            _ = await expectError("unsupported") { _ = try await admin.createUser(NewAdminUser(name: "x", email: "x@y.z", role: "r")) }
            _ = await expectError("unsupported") { try await admin.deleteUser(named: "x") }
            _ = await expectError("unsupported") { _ = try await admin.changeUser(named: "x", .active(true)) }
            _ = await expectError("unsupported") { try await admin.resetPassword(named: "x") }
            _ = await expectError("unsupported") { _ = try await admin.roles() }
            _ = await expectError("unsupported") { _ = try await admin.ssoConfig() }
            _ = await expectError("unsupported") { _ = try await admin.setSSOConfig(nil) }
        }
    }
}
