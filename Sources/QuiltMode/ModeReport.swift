import QuiltContract
import QuiltJSON

/// The displayed form of a mode, shared by ``Mode/explanation()``, ``Mode/jsonDescription()`` and reflection.
/// The token is shown only as where it came from; AWS values are never shown.
enum ModeReport {
    struct Row: Sendable {
        var name: String
        /// Display text; `(none)` for an unset optional setting.
        var value: String
        /// JSON form of the value.
        var json: JSONValue
        var source: String
    }

    /// One row per ``SettingName``, in order.
    static func rows(_ mode: Mode) -> [Row] {
        SettingName.allCases.map { name in
            let (text, json) = value(name, of: mode)
            return Row(name: name.rawValue, value: text, json: json, source: mode.source(of: name).description)
        }
    }

    /// The derived facts: quilt3 data directory, default local registry, names of the AWS variables.
    static func derivedRows(_ mode: Mode) -> [(name: String, value: String, json: JSONValue)] {
        let names = mode.aws.keys.sorted()
        return [
            ("quilt3_data_directory", mode.quilt3DataDirectory ?? none,
             mode.quilt3DataDirectory.map(JSONValue.string) ?? .null),
            ("default_local_registry", mode.defaultLocalRegistry?.url ?? none,
             mode.defaultLocalRegistry.map { .string($0.url) } ?? .null),
            ("aws_variables", names.isEmpty ? none : names.joined(separator: ", ") + " (values not shown)",
             .array(names.map(JSONValue.string))),
            ("jwt_verification", mode.jwtVerification?.description ?? verificationOff(mode),
             mode.jwtVerification.map { .string($0.kind) } ?? .string("off")),
        ]
    }

    static let none = "(none)"

    /// The token phrase: `<set, from QUILT_MCP_JWT_TOKEN>`, `<ignored, from …>` or `(none)`.
    static func tokenPhrase(_ mode: Mode) -> String? {
        guard let source = mode.jwtTokenSource else { return nil }
        return mode.jwtToken != nil ? "<set, from \(source)>" : "<ignored, from \(source)>"
    }

    /// Why tokens are not verified here.
    static func verificationOff(_ mode: Mode) -> String {
        mode.auth == .jwt ? "off (bearer tokens are passed on unverified)" : "off (auth is not jwt)"
    }

    /// The secret phrase: `<set, from QUILT_MCP_JWT_SECRET>`, `<ignored, from …>` or nil.
    static func secretPhrase(_ mode: Mode) -> String? {
        guard let source = mode.jwtSecretSource else { return nil }
        return mode.jwtVerification?.hs256Secret != nil ? "<set, from \(source)>" : "<ignored, from \(source)>"
    }

    private static func value(_ name: SettingName, of mode: Mode) -> (String, JSONValue) {
        func text(_ s: String?) -> (String, JSONValue) { (s ?? none, s.map(JSONValue.string) ?? .null) }
        func count(_ n: Int) -> (String, JSONValue) { (String(n), .number(JSONNumber(n))) }
        func list(_ items: [String]) -> (String, JSONValue) {
            items.isEmpty ? text(nil) : (items.joined(separator: ","), .array(items.map(JSONValue.string)))
        }
        switch name {
        case .mode: return text(mode.preset.rawValue)
        case .api: return text(mode.api.rawValue)
        case .auth: return text(mode.auth.rawValue)
        case .state: return text(mode.state.rawValue)
        case .locale: return text(mode.locale.rawValue)
        case .transport: return text(mode.transport.rawValue)
        case .registry: return text(mode.registry?.url)
        case .catalogURL: return text(mode.catalogURL)
        case .registryAPIURL: return text(mode.registryAPIURL)
        case .host: return text(mode.host)
        case .port: return (String(mode.port), .number(JSONNumber(mode.port)))
        case .tenancy: return text(mode.tenancy.rawValue)
        case .logLevel: return text(mode.logLevel.rawValue)
        case .readOnly: return (mode.readOnly ? "true" : "false", .bool(mode.readOnly))
        case .toolsets: return list(mode.toolsets.map { names in Mode.toolsetNames.filter(names.contains) } ?? ["all"])
        case .jwtToken: return text(tokenPhrase(mode))
        case .jwtSecret: return text(secretPhrase(mode))
        case .requestStateKey: return text(mode.requestStateKeySource.map { "<set, from \($0)>" })
        case .jwtJWKSURL: return text(mode.jwtJWKSURL)
        case .jwtIssuer: return text(mode.jwtIssuer)
        case .jwtAudience: return text(mode.jwtAudience)
        case .maxRequestBytes: return count(mode.limits.requestBytes)
        case .maxObjectBytes: return count(mode.limits.objectBytes)
        case .maxRequests: return count(mode.limits.requests)
        case .maxCallerRequests: return count(mode.limits.callerRequests)
        case .tenantMemoryBytes: return count(mode.limits.tenantMemoryBytes)
        case .maxTenants: return count(mode.limits.tenants)
        case .idleTimeout: return count(mode.limits.idleSeconds)
        case .metricsPort: return mode.metricsPort.map(count) ?? text(nil)
        case .resourceURL: return text(mode.protectedResource.resource)
        case .oauthAuthorizationServers: return list(mode.protectedResource.authorizationServers)
        case .oauthScopes: return list(mode.protectedResource.scopes)
        case .athenaWorkgroup: return text(mode.analytics.workgroup)
        case .athenaOutputLocation: return text(mode.analytics.outputLocation)
        case .athenaAllowWrites: return (mode.analytics.allowWrites ? "true" : "false", .bool(mode.analytics.allowWrites))
        }
    }
}
