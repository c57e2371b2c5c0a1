import Hummingbird
import QuiltContract
import QuiltJSON
import QuiltMode
import QuiltServer

/// `GET /health`: always answered, without authentication, with a summary of the mode and no secrets, URLs,
/// paths, or whether tokens are verified here: `{"status": "ok", "server": "quilt-mcp", "version", "transport": "streamable-http", "mode": {…}}`.
enum HealthEndpoint {
    static func body(_ mode: Mode, sessions: Bool) -> JSONValue {
        let backend: String
        switch mode.api {
        case .platform: backend = "platform"
        case .registry: backend = mode.registry?.kind.rawValue ?? "none"
        }
        return [
            "status": "ok", "server": .string(QuiltMCPServer.name), "version": .string(QuiltMCPServer.version),
            "transport": "streamable-http",
            "mode": [
                "preset": .string(mode.preset.rawValue), "api": .string(mode.api.rawValue),
                "auth": .string(mode.auth.rawValue), "state": .string(mode.state.rawValue),
                "locale": .string(mode.locale.rawValue), "tenancy": .string(mode.tenancy.rawValue),
                "read_only": .bool(mode.readOnly), "backend": .string(backend),
                "sessions": .bool(sessions),
            ],
        ]
    }
}
