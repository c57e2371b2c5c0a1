import FakeCatalog
import Foundation
import QuiltBackends
import QuiltContract
import QuiltJSON
import QuiltMode
import Testing

/// `BackendFactory.admin` chooses catalog administration from the mode: the catalog's with api=platform (acting
/// with the configured token, or the request's own), none on a registry; a read-only deployment changes nothing.
@Suite("Factory: catalog administration")
struct FactoryAdminTests {
    static func environment(_ catalog: FakeCatalogServer, token: String) -> [String: String] {
        [
            "HOME": NSTemporaryDirectory(), "QUILT_MCP_API": "platform", "QUILT_MCP_AUTH": "jwt", "QUILT_MCP_CATALOG_URL": catalog.url,
            "QUILT_MCP_JWT_TOKEN": token, "AWS_ENDPOINT_URL_S3": catalog.s3Endpoint, "QUILT_MCP_REGISTRY": "s3://factory-admin-bucket",
        ]
    }

    @Test("api=platform: the configured admin's token, or the request's own (a non-admin is refused)")
    func platform() async throws {
        let catalog = try await FakeCatalogServer.start(FakeCatalogOptions(buckets: ["factory-admin-bucket"]))
        defer { catalog.stop() }
        let (mode, _) = try ModeResolver.resolve(arguments: [], environment: Self.environment(catalog, token: try await catalog.mintToken(subject: "admin")))
        let admin = BackendFactory.admin(mode: mode, backendID: "platform", credentials: nil)
        #expect(admin.adminCapabilities == Set(AdminCapability.allCases))
        #expect(try await admin.users().map(\.name) == ["admin", "analyst"])
        let caller = RequestCredentials(bearerToken: try await catalog.mintToken(subject: "analyst"), verified: false, claims: [:], tenant: nil)
        let asCaller = BackendFactory.admin(mode: mode, backendID: "platform", credentials: caller)
        await #expect(throws: QuiltOpsError.self) { _ = try await asCaller.users() }
    }

    @Test("A read-only deployment refuses every change before sending it; reads work")
    func readOnly() async throws {
        let catalog = try await FakeCatalogServer.start(FakeCatalogOptions(buckets: ["factory-admin-bucket"]))
        defer { catalog.stop() }
        let env = Self.environment(catalog, token: try await catalog.mintToken(subject: "admin"))
        let (mode, _) = try ModeResolver.resolve(arguments: ["--read-only"], environment: env)
        let admin = BackendFactory.admin(mode: mode, backendID: "platform", credentials: nil)
        #expect(try await admin.user(named: "analyst").isActive)
        let changes: [@Sendable () async throws -> Void] = [
            { _ = try await admin.changeUser(named: "analyst", .active(false)) },
            { _ = try await admin.createUser(NewAdminUser(name: "x", email: "x@example.com", role: "ReadQuiltBucket")) },
            { try await admin.deleteUser(named: "analyst") },
            { try await admin.resetPassword(named: "analyst") },
            { _ = try await admin.setSSOConfig("provider: okta") },
        ]
        for change in changes {
            do {
                try await change()
                Issue.record("a change succeeded on a read-only deployment")
            } catch let error as QuiltOpsError {
                guard case .readOnly = error else { Issue.record("\(error)"); continue }
            }
        }
        #expect(try await admin.user(named: "analyst").isActive, "nothing was sent")
        let users = try await admin.users(), sso = try await admin.ssoConfig()
        #expect(users.count == 2 && sso == nil)
    }

    @Test("Without a catalog: no capability, and unsupported naming the backend")
    func registry() async throws {
        let (mode, _) = try ModeResolver.resolve(arguments: ["--registry", "memory://factory-admin"], environment: ["HOME": NSTemporaryDirectory()])
        let admin = BackendFactory.admin(mode: mode, backendID: "memory", credentials: nil)
        #expect(admin.adminCapabilities.isEmpty)
        do {
            _ = try await admin.users()
            Issue.record("listed users without a catalog")
        } catch {
            guard case .unsupported(_, let backend) = error else { Issue.record("\(error)"); return }
            #expect(backend.hasPrefix("memory") && backend.contains("api=platform"))
        }
    }
}
