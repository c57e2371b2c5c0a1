import QuiltContract
import QuiltJSON
import QuiltMode
import QuiltTools

/// The resources: `auth://status` and `auth://catalog/info`, and with a catalog the `admin://` ones
/// (ResourceHandlers+Admin.swift); all `application/json`.
enum ResourceHandlers {
    static let statusURI = "auth://status"
    static let catalogInfoURI = "auth://catalog/info"

    /// What `resources/list` lists for a deployment in `mode`, as MCP's JSON.
    static func listed(_ mode: Mode) -> [JSONValue] { mode.api == .platform ? withCatalog : always }

    /// The list with a catalog, made once (every stateless request builds its methods).
    static let withCatalog: [JSONValue] = always + admin

    /// The resources every deployment has.
    static let always: [JSONValue] = [
        [
            "name": "auth-status", "uri": .string(statusURI), "title": "Authentication status",
            "description": "Whether the backend is authenticated, how, as whom, against which catalog and registry.",
            "mimeType": "application/json",
        ],
        [
            "name": "catalog-info", "uri": .string(catalogInfoURI), "title": "Backend and deployment mode",
            "description": "The backend, its capabilities, and the resolved deployment mode with where each setting came from.",
            "mimeType": "application/json",
        ],
    ]

    /// The JSON body of resource `uri`; nil when there is no such resource.
    static func body(_ uri: String, context: ServerContext) async -> JSONValue? {
        switch uri {
        case statusURI: return await status(context)
        case catalogInfoURI: return await catalogInfo(context)
        default: return context.mode.api == .platform ? await adminBody(uri, context) : nil
        }
    }

    /// The backend's `authStatus()`; when there is no backend or it fails, an unauthenticated status saying why.
    static func status(_ context: ServerContext) async -> JSONValue {
        let failure: QuiltOpsError
        switch await context.backend() {
        case .success(let ops):
            do {
                let s = try await ops.authStatus()
                return [
                    "authenticated": .bool(s.authenticated), "method": .string(s.method), "identity": optional(s.identity),
                    "catalog_url": optional(s.catalogURL), "registry": optional(s.registry), "detail": .string(s.detail),
                ]
            } catch {
                failure = error
            }
        case .failure(let error):
            failure = error
        }
        return [
            "authenticated": false, "method": "none", "identity": .null,
            "catalog_url": optional(context.mode.catalogURL), "registry": optional(context.mode.registry?.url),
            "detail": .string("\(failure.message) \(ToolError(failure).hint)"), "error": ToolError(failure).json["error"] ?? .null,
        ]
    }

    /// Server, backend id and capabilities, and `Mode.callerDescription()`: each setting a caller may see, with
    /// where it came from.
    static func catalogInfo(_ context: ServerContext) async -> JSONValue {
        var info: JSONObject = [
            "server": ["name": .string(QuiltMCPServer.name), "version": .string(QuiltMCPServer.version)],
        ]
        switch await context.backend() {
        case .success(let ops):
            info["backend"] = .string(ops.backendID.rawValue)
            info["capabilities"] = .array(ops.capabilities.sorted().map { .string($0.rawValue) })
        case .failure(let error):
            info["backend"] = .null
            info["capabilities"] = []
            info["backend_error"] = ToolError(error).json["error"] ?? .null
        }
        info["mode"] = context.mode.callerDescription()
        return .object(info)
    }

    private static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
}
