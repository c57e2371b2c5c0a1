import QuiltContract
import QuiltJSON
import QuiltTools

/// The catalog administration resources (api=platform): `admin://users`, `admin://roles`, `admin://config/sso` and
/// `admin://config/tabulator`, read as the caller. A caller who is not a catalog admin reads the refusal: the body
/// is `{"error": {kind, message, hint}}`, as a failed tool call's.
extension ResourceHandlers {
    static let admin: [JSONValue] = [
        item("admin-users", "admin://users", "Catalog users", "Every user: email, active, admin, roles (catalog admins)."),
        item("admin-roles", "admin://roles", "Catalog roles", "Every role, managed or not, its policies, and the default (catalog admins)."),
        item("admin-sso-config", "admin://config/sso", "SSO configuration", "The stored SSO configuration text, when and by whom (catalog admins)."),
        item("admin-tabulator-config", "admin://config/tabulator", "Tabulator open query", "Whether Tabulator's open query is on (catalog admins)."),
    ]

    static func item(_ name: String, _ uri: String, _ title: String, _ description: String) -> JSONValue {
        ["name": .string(name), "uri": .string(uri), "title": .string(title), "description": .string(description), "mimeType": "application/json"]
    }

    /// The body of admin resource `uri`; nil when there is no such resource.
    static func adminBody(_ uri: String, _ context: ServerContext) async -> JSONValue? {
        let admin = context.admin
        do throws(QuiltOpsError) {
            switch uri {
            case "admin://users":
                let users = try await admin.users()
                return ["users": .array(users.map(AdminTools.encode)), "count": .number(JSONNumber(users.count))]
            case "admin://roles":
                let roles = try await admin.roles()
                return ["roles": .array(roles.map(AdminTools.encode)), "count": .number(JSONNumber(roles.count))]
            case "admin://config/sso":
                return ["sso_config": try await admin.ssoConfig().map(AdminTools.encode) ?? .null]
            case "admin://config/tabulator":
                return ["open_query_enabled": .bool(try await context.tabulator.tabulatorOpenQuery())]
            default:
                return nil
            }
        } catch {
            return ToolError(error).json
        }
    }
}
