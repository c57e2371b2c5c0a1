import QuiltContract

/// Tier 3: the Python server's variables mapped onto the settings, one deprecation warning per variable set.
struct LegacyLayer: Sendable {
    var layer = Layer()
    var warnings: [String] = []
    var violations: [ModeError.Violation] = []
    /// Settings a malformed legacy value was meant for.
    var failed: Set<SettingName> = []

    /// Maps every legacy variable set in `environment` (empty = unset), in ``LegacyVariable/all`` order.
    init(_ environment: [String: String]) {
        let env = environment
        let deployment = env.setValue(LegacyVariable.deployment.name)
        if let raw = deployment { mapDeployment(raw) }
        if let raw = env.setValue(LegacyVariable.multiuser.name) { mapMultiuser(raw, deploymentSet: deployment != nil) }
        if let raw = env.setValue(LegacyVariable.statelessMode.name) {
            mapBoolean(LegacyVariable.statelessMode, raw, setting: .state, ifTrue: "stateless", ifFalse: "persistent")
        }
        if let raw = env.setValue(LegacyVariable.requireJWT.name) { mapRequireJWT(raw) }
        if let raw = env.setValue(LegacyVariable.multitenant.name) {
            mapBoolean(LegacyVariable.multitenant, raw, setting: .tenancy, ifTrue: "multi", ifFalse: "single")
        }
        if let raw = env.setValue(LegacyVariable.disableSession.name) { mapDisableSession(raw) }
        if let raw = env.setValue(LegacyVariable.fastmcpTransport.name) { mapTransport(raw) }
        let addr = env.setValue(LegacyVariable.fastmcpAddr.name)
        if let raw = env.setValue(LegacyVariable.fastmcpHost.name) {
            if addr != nil {
                warn(LegacyVariable.fastmcpHost, raw, "is deprecated and ignored because FASTMCP_ADDR is set; use QUILT_MCP_HOST")
            } else {
                mapSame(LegacyVariable.fastmcpHost, raw, setting: .host)
            }
        }
        if let raw = addr { mapSame(LegacyVariable.fastmcpAddr, raw, setting: .host) }
        if let raw = env.setValue(LegacyVariable.fastmcpPort.name) { mapSame(LegacyVariable.fastmcpPort, raw, setting: .port) }
        if let raw = env.setValue(LegacyVariable.catalogURL.name) { mapSame(LegacyVariable.catalogURL, raw, setting: .catalogURL) }
        if let raw = env.setValue(LegacyVariable.registryURL.name) {
            mapSame(LegacyVariable.registryURL, raw, setting: .registryAPIURL)
        }
        if let raw = env.setValue(LegacyVariable.athenaWorkgroup.name) {
            mapSame(LegacyVariable.athenaWorkgroup, raw, setting: .athenaWorkgroup)
        }
        if let raw = env.setValue(LegacyVariable.athenaResultLocation.name) {
            mapSame(LegacyVariable.athenaResultLocation, raw, setting: .athenaOutputLocation)
        }
    }

    // MARK: - Mappings

    private mutating func mapDeployment(_ raw: String) {
        let v = LegacyVariable.deployment
        switch raw.trimmingWhitespace().lowercased() {
        case "remote":
            choosePreset(.remote, platform: false, variable: v, raw: raw)
            warn(v, raw, "is deprecated; use QUILT_MCP_MODE=remote")
        case "local":
            choosePreset(.local, platform: true, variable: v, raw: raw)
            warn(v, raw, "is deprecated; use QUILT_MCP_MODE=local QUILT_MCP_API=platform")
        case "legacy":
            choosePreset(.local, platform: false, variable: v, raw: raw)
            warn(v, raw, "is deprecated; use QUILT_MCP_MODE=local")
        default:
            failed.formUnion([.mode, .api])
            violations.append(.init(
                rule: .invalidValue,
                message: "\(v.name)=\(raw) is invalid: '\(raw.trimmingWhitespace())' is not a deployment; accepted: remote, local, legacy (\(v.name) is deprecated; use QUILT_MCP_MODE=local or QUILT_MCP_MODE=remote)"))
        }
    }

    private mutating func mapMultiuser(_ raw: String, deploymentSet: Bool) {
        let v = LegacyVariable.multiuser
        if deploymentSet {
            warn(v, raw, "is deprecated and ignored because QUILT_DEPLOYMENT is set; use QUILT_MCP_MODE")
            return
        }
        guard let on = boolean(v, raw, for: [.mode, .api]) else { return }
        if on {
            choosePreset(.local, platform: true, variable: v, raw: raw)
            warn(v, raw, "is deprecated; use QUILT_MCP_MODE=local QUILT_MCP_API=platform")
        } else {
            choosePreset(.local, platform: false, variable: v, raw: raw)
            warn(v, raw, "is deprecated; use QUILT_MCP_MODE=local")
        }
    }

    private mutating func mapRequireJWT(_ raw: String) {
        let v = LegacyVariable.requireJWT
        guard let on = boolean(v, raw, for: [.auth]) else { return }
        if on {
            set(.auth, "jwt", v, raw)
            warn(v, raw, "is deprecated; use QUILT_MCP_AUTH=jwt")
        } else {
            warn(v, raw, "is deprecated and has no effect; use QUILT_MCP_AUTH to choose the auth")
        }
    }

    private mutating func mapDisableSession(_ raw: String) {
        let v = LegacyVariable.disableSession
        guard let on = boolean(v, raw, for: [.auth]) else { return }
        if !on {
            warn(v, raw, "is deprecated and has no effect; use QUILT_MCP_AUTH to choose the auth")
        } else if let auth = layer[.auth], auth.raw == "jwt" {
            warn(v, raw, "is deprecated and ignored because \(auth.userText) sets auth=jwt; use QUILT_MCP_AUTH")
        } else {
            set(.auth, "iam", v, raw)
            warn(v, raw, "is deprecated; use QUILT_MCP_AUTH=iam")
        }
    }

    private mutating func mapTransport(_ raw: String) {
        let v = LegacyVariable.fastmcpTransport
        switch raw.trimmingWhitespace().lowercased() {
        case "stdio":
            set(.transport, "stdio", v, raw)
            warn(v, raw, "is deprecated; use QUILT_MCP_TRANSPORT=stdio")
        case "http", "streamable-http":
            set(.transport, "http", v, raw)
            warn(v, raw, "is deprecated; use QUILT_MCP_TRANSPORT=http")
        case "sse":
            set(.transport, "http", v, raw)
            warn(v, raw, "is deprecated; use QUILT_MCP_TRANSPORT=http (SSE is not served; clients must use streamable HTTP at /mcp)")
        default:
            failed.insert(.transport)
            violations.append(.init(
                rule: .invalidValue,
                message: "\(v.name)=\(raw) is invalid: '\(raw.trimmingWhitespace())' is not a transport; accepted: stdio, http, streamable-http, sse (\(v.name) is deprecated; use QUILT_MCP_TRANSPORT=stdio or QUILT_MCP_TRANSPORT=http)"))
        }
    }

    private mutating func mapBoolean(
        _ v: LegacyVariable, _ raw: String, setting: SettingName, ifTrue: String, ifFalse: String
    ) {
        guard let on = boolean(v, raw, for: [setting]) else { return }
        let value = on ? ifTrue : ifFalse
        set(setting, value, v, raw)
        warn(v, raw, "is deprecated; use \(SettingDescriptor.of(setting).variables[0])=\(value)")
    }

    /// The value is passed through unchanged; the resolver validates it and reports it under this variable's name.
    private mutating func mapSame(_ v: LegacyVariable, _ raw: String, setting: SettingName) {
        set(setting, raw, v, raw)
        warn(v, raw, "is deprecated; use \(SettingDescriptor.of(setting).variables[0])=\(raw)")
    }

    // MARK: - Helpers

    private mutating func choosePreset(_ preset: Mode.Preset, platform: Bool, variable v: LegacyVariable, raw: String) {
        let userText = "\(v.name)=\(raw)"
        layer.applyPreset(preset, via: v.name, userText: userText)
        layer[.mode] = Assignment(raw: preset.rawValue, source: .legacy(v.name), userText: userText)
        if platform {
            layer[.api] = Assignment(raw: Mode.API.platform.rawValue, source: .legacy(v.name), userText: userText)
        }
    }

    private mutating func set(_ setting: SettingName, _ value: String, _ v: LegacyVariable, _ raw: String) {
        layer[setting] = Assignment(raw: value, source: .legacy(v.name), userText: "\(v.name)=\(raw)")
    }

    private mutating func boolean(_ v: LegacyVariable, _ raw: String, for settings: Set<SettingName>) -> Bool? {
        if let b = BooleanText.parse(raw) { return b }
        failed.formUnion(settings)
        violations.append(.init(
            rule: .invalidValue,
            message: "\(v.name)=\(raw) is invalid: '\(raw.trimmingWhitespace())' is not a boolean; accepted: \(BooleanText.accepted) (\(v.name) is deprecated; use \(v.replacement.filter { $0 != "`" }))"))
        return nil
    }

    private mutating func warn(_ v: LegacyVariable, _ raw: String, _ text: String) {
        warnings.append("warning: \(v.name)=\(raw) \(text)")
    }
}
