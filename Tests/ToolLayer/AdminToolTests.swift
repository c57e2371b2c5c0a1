import FakeCatalog
import Foundation
import QuiltContract
import QuiltHTTP
import QuiltJSON
import QuiltPlatform
import QuiltS3
import QuiltTestSupport
import QuiltTools
import Testing

/// The `admin` toolset through `ToolCatalog.call`, on the fake catalog as an admin (live over loopback) and on a
/// registry without a catalog; the Python server's names and the consent questions.
@Suite("Admin tools")
struct AdminToolTests {
    /// A tool context on a fresh fake catalog, acting as `subject` (`admin` is a catalog admin).
    static func withCatalog(_ subject: String = "admin", _ body: (ToolContext) async throws -> Void) async throws {
        let target = try await FakeTarget.start(bucket: "admin-tools-bucket", subject: subject)
        defer { target.catalog.stop() }
        let backend = target.backend(transport: LiveHTTPTransport.shared, retry: .none, clock: { Date() })
        var context = ToolContext(ops: backend, defaultRegistry: try RegistryURL.s3("admin-tools-bucket"))
        context.admin = backend
        try await body(context)
    }

    static func call(_ context: ToolContext, _ tool: String, _ arguments: String = "{}") async throws(ToolError) -> JSONValue {
        try await ToolCatalog.call(tool, arguments: ToolSession.object(arguments), context: context)
    }

    static func failure(_ context: ToolContext, _ tool: String, _ arguments: String = "{}") async -> QuiltOpsError? {
        do {
            _ = try await call(context, tool, arguments)
            return nil
        } catch {
            return error.error
        }
    }

    @Test("Users, roles and SSO through the tools, with the Python server's parameter names")
    func tools() async throws {
        try await Self.withCatalog { ctx in
            let listed = try await Self.call(ctx, "admin_users_list")
            #expect(listed["count"] == 2 && listed["users"]?[1]?["extra_roles"]?[0]?["type"] == "unmanaged", "\(listed)")
            let made = try await Self.call(
                ctx, "admin_user_create",
                #"{"name": "pat", "email": "pat@example.com", "role": "ReadQuiltBucket", "extra_roles": null, "quilt_ops": null}"#)
            #expect(made["user"]?["name"] == "pat" && made["user"]?["role"]?["name"] == "ReadQuiltBucket", "\(made)")
            let changed = try await Self.call(
                ctx, "admin_user_set_role", #"{"name": "pat", "role": "ReadWriteQuiltBucket", "extra_roles": ["ExternalAnalytics"], "append": false}"#)
            #expect(changed["user"]?["role"]?["name"] == "ReadWriteQuiltBucket" && changed["user"]?["extra_roles"]?[0]?["name"] == "ExternalAnalytics")
            #expect(try await Self.call(ctx, "admin_user_set_admin", #"{"name": "pat", "admin": true}"#)["user"]?["is_admin"] == true)
            let roles = try await Self.call(ctx, "admin_roles_list")
            #expect(roles["count"] == 3 && roles["roles"]?[1]?["is_default"] == true, "\(roles)")
            // The Python server's config is an object, sent to the catalog as JSON text.
            let sso = try await Self.call(ctx, "admin_sso_config_set", #"{"config": {"provider": "okta"}, "confirm": true}"#)
            #expect(sso["sso_config"]?["text"] == #"{"provider":"okta"}"# && sso["sso_config"]?["uploader"] == "admin", "\(sso)")
            #expect(try await Self.call(ctx, "admin_sso_config_remove", #"{"confirm": true}"#)["removed"] == true)
            #expect(try await Self.call(ctx, "admin_sso_config_get")["sso_config"] == .null)
            #expect(try await Self.call(ctx, "admin_user_delete", #"{"name": "pat", "confirm": true}"#)["deleted"] == "pat")
            #expect(await Self.failure(ctx, "admin_user_get", #"{"name": "pat"}"#) == .notFound(.admin(kind: "user", name: "pat")))
        }
    }

    @Test("Refusals: a non-null quilt_ops, a bad argument by name, a non-admin's call, a registry without a catalog")
    func refusals() async throws {
        try await Self.withCatalog { ctx in
            #expect(await Self.failure(ctx, "admin_user_get", #"{"name": "analyst", "quilt_ops": {"x": 1}}"#)?.kind == "invalid_input")
            let role = await Self.failure(ctx, "admin_user_add_roles", #"{"name": "analyst", "roles": ["NoSuchRole"]}"#)
            guard case .invalidInput("roles", _)? = role else { Issue.record("\(String(describing: role))"); return }
        }
        try await Self.withCatalog("analyst") { ctx in
            #expect(await Self.failure(ctx, "admin_users_list")?.kind == "forbidden")
        }
        try await withSession(ToolBackend(kind: .memory)) { s in
            var context = ToolContext(ops: s.ops, defaultRegistry: s.registry)
            context.admin = NoCatalogAdmin(backend: s.ops.backendID.rawValue)
            for tool in ToolCatalog.toolsets.first(where: { $0.name == "admin" })?.tools.map(\.definition.name) ?? [] {
                let arguments = ToolCatalog.tool(named: tool)?.definition.parameters.filter(\.required).map { p -> String in
                    let sample: String = switch p.kind {
                    case .boolean: "true"
                    case .stringArray: #"["r"]"#
                    default: #""x@y.z""#
                    }
                    return "\"\(p.name)\": " + sample
                } ?? []
                let confirm = ToolCatalog.tool(named: tool)?.consent == nil ? [] : [#""confirm": true"#]
                let error = await Self.failure(context, tool, "{" + (arguments + confirm).joined(separator: ", ") + "}")
                #expect(error?.kind == "unsupported", "\(tool): \(String(describing: error))")
            }
        }
    }

    @Test("Consent: deleting a user and resetting a password ask; SSO set and remove ask only when a configuration is there")
    func consent() async throws {
        try await Self.withCatalog { ctx in
            let delete = await ToolCatalog.consentQuestion("admin_user_delete", arguments: ["name": "analyst"], context: ctx)
            #expect(delete?.contains("analyst") == true)
            #expect(await ToolCatalog.consentQuestion("admin_user_reset_password", arguments: ["name": "analyst"], context: ctx) != nil)
            #expect(await ToolCatalog.consentQuestion("admin_sso_config_set", arguments: ["config": "provider: okta"], context: ctx) == nil)
            _ = try await Self.call(ctx, "admin_sso_config_set", #"{"config": "provider: okta"}"#)
            #expect(await ToolCatalog.consentQuestion("admin_sso_config_set", arguments: ["config": "provider: x"], context: ctx) != nil)
            #expect(await ToolCatalog.consentQuestion("admin_sso_config_remove", arguments: [:], context: ctx) != nil)
            #expect(await ToolCatalog.consentQuestion("admin_user_set_email", arguments: ["name": "analyst", "email": "a@b.c"], context: ctx) == nil)
        }
    }
}
