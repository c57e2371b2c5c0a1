import QuiltContract
import QuiltMode
import Testing

/// A home directory for tests: resolution never touches the real one (it only builds paths from it).
let testHome = "/home/tester"
let testLocalRegistry = "file:///home/tester/.local/share/Quilt/packages"

/// Resolves with `arguments` parsed as flags and `environment` (HOME added unless given).
func resolve(_ arguments: [String] = [], _ environment: [String: String] = [:], home: Bool = true) throws(ModeError) -> Mode {
    var env = environment
    if home, env["HOME"] == nil { env["HOME"] = testHome }
    return try ModeResolver.resolve(arguments: arguments, environment: env).mode
}

/// The rule ids `body` throws, or [] when it does not throw.
func violatedRules(_ body: () throws(ModeError) -> Mode) -> [String] {
    do {
        _ = try body()
        return []
    } catch {
        return error.ruleIDs
    }
}

/// The error `body` throws, or nil.
func modeError(_ body: () throws(ModeError) -> Mode) -> ModeError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

/// A setting's value as text, read from the `Mode` properties (not from the resolver's own tables).
func shown(_ mode: Mode, _ name: SettingName) -> String {
    switch name {
    case .mode: return mode.preset.rawValue
    case .api: return mode.api.rawValue
    case .auth: return mode.auth.rawValue
    case .state: return mode.state.rawValue
    case .locale: return mode.locale.rawValue
    case .transport: return mode.transport.rawValue
    case .registry: return mode.registry?.url ?? "nil"
    case .catalogURL: return mode.catalogURL ?? "nil"
    case .registryAPIURL: return mode.registryAPIURL ?? "nil"
    case .host: return mode.host
    case .port: return String(mode.port)
    case .tenancy: return mode.tenancy.rawValue
    case .logLevel: return mode.logLevel.rawValue
    case .readOnly: return mode.readOnly ? "true" : "false"
    case .toolsets: return mode.toolsets.map { Mode.toolsetNames.filter($0.contains).joined(separator: ",") } ?? "all"
    case .jwtToken: return mode.jwtToken == nil ? "nil" : "set"
    case .jwtSecret: return mode.jwtVerification?.hs256Secret == nil ? "nil" : "set"
    case .requestStateKey: return mode.requestStateKey == nil ? "nil" : "set"
    case .jwtJWKSURL: return mode.jwtJWKSURL ?? "nil"
    case .jwtIssuer: return mode.jwtIssuer ?? "nil"
    case .jwtAudience: return mode.jwtAudience ?? "nil"
    case .maxRequestBytes: return String(mode.limits.requestBytes)
    case .maxObjectBytes: return String(mode.limits.objectBytes)
    case .maxRequests: return String(mode.limits.requests)
    case .maxCallerRequests: return String(mode.limits.callerRequests)
    case .tenantMemoryBytes: return String(mode.limits.tenantMemoryBytes)
    case .maxTenants: return String(mode.limits.tenants)
    case .idleTimeout: return String(mode.limits.idleSeconds)
    case .metricsPort: return mode.metricsPort.map(String.init) ?? "nil"
    case .resourceURL: return mode.protectedResource.resource ?? "nil"
    case .oauthAuthorizationServers:
        return mode.protectedResource.authorizationServers.isEmpty ? "nil" : mode.protectedResource.authorizationServers.joined(separator: ",")
    case .oauthScopes: return mode.protectedResource.scopes.isEmpty ? "nil" : mode.protectedResource.scopes.joined(separator: ",")
    case .athenaWorkgroup: return mode.analytics.workgroup ?? "nil"
    case .athenaOutputLocation: return mode.analytics.outputLocation ?? "nil"
    case .athenaAllowWrites: return mode.analytics.allowWrites ? "true" : "false"
    }
}

/// An expected setting: value text (as ``shown(_:_:)``) and source description.
struct Expect: Sendable, CustomStringConvertible {
    var name: SettingName
    var value: String
    var source: String
    init(_ name: SettingName, _ value: String, _ source: String) {
        self.name = name
        self.value = value
        self.source = source
    }
    var description: String { "\(name.rawValue)=\(value) [\(source)]" }
}

/// Checks every expectation against `mode`.
func check(_ mode: Mode, _ expectations: [Expect], sourceLocation: SourceLocation = #_sourceLocation) {
    for e in expectations {
        #expect(shown(mode, e.name) == e.value, "\(e.name.rawValue)", sourceLocation: sourceLocation)
        #expect(mode.source(of: e.name).description == e.source, "\(e.name.rawValue)", sourceLocation: sourceLocation)
    }
}

/// The start-up warnings other than the missing request-state key's, which every remote HTTP mode without a shared
/// key gets (RequestStateKeySettingTests covers it), so other suites compare only what they are about.
func otherWarnings(_ mode: Mode) -> [String] {
    mode.warnings.filter { !$0.contains("no request-state key") }
}
