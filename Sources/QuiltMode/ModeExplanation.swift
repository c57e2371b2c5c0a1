import QuiltContract
package import QuiltJSON

extension Mode {
    /// A human-readable table, one line per setting (`name  value  source`), then the derived facts, then the
    /// warnings (or `warnings: none`). The token appears only as `<set, from QUILT_MCP_JWT_TOKEN>` (or
    /// `<ignored, from …>`); AWS variables appear by name only. Never fails.
    package func explanation() -> String {
        let rows = ModeReport.rows(self)
        let derived = ModeReport.derivedRows(self)
        let nameWidth = (rows.map(\.name) + derived.map(\.name) + ["setting"]).map(\.count).max() ?? 0
        let valueWidth = (rows.map(\.value) + ["value"]).map(\.count).max() ?? 0
        func pad(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }

        var lines = [pad("setting", nameWidth) + "  " + pad("value", valueWidth) + "  source"]
        for row in rows {
            lines.append(pad(row.name, nameWidth) + "  " + pad(row.value, valueWidth) + "  " + row.source)
        }
        for row in derived { lines.append(pad(row.name, nameWidth) + "  " + row.value) }
        if warnings.isEmpty {
            lines.append("warnings: none")
        } else {
            lines.append("warnings:")
            lines.append(contentsOf: warnings.map { "  " + $0 })
        }
        return lines.joined(separator: "\n")
    }

    /// The mode as JSON: `{"mode": {"value": "local", "source": "default"}, "api": {…}, …, "jwt_token": {"value":
    /// "<set, from QUILT_MCP_JWT_TOKEN>" or null, "source": …}, "quilt3_data_directory": …,
    /// "default_local_registry": …, "aws_variables": [names], "warnings": […]}`. Settings in ``SettingName`` order;
    /// `port` is a number, `read_only` a boolean, unset optional settings `null`. Never contains the token or AWS
    /// values. Never fails.
    package func jsonDescription() -> JSONValue {
        var object = JSONObject()
        for row in ModeReport.rows(self) {
            object[row.name] = .object(JSONObject([("value", row.json), ("source", .string(row.source))]))
        }
        for row in ModeReport.derivedRows(self) { object[row.name] = row.json }
        object["warnings"] = .array(warnings.map(JSONValue.string))
        return .object(object)
    }

    /// The settings never shown to a caller: how tokens are verified (keys, their sources, issuer and audience)
    /// tells an attacker what to forge, and where the secrets live.
    static let operatorOnly: Set<String> = [
        SettingName.jwtToken.rawValue, SettingName.jwtSecret.rawValue, SettingName.jwtJWKSURL.rawValue,
        SettingName.jwtIssuer.rawValue, SettingName.jwtAudience.rawValue, SettingName.requestStateKey.rawValue,
        "jwt_verification", "aws_variables",
    ]

    /// The mode as a caller may see it (`auth://catalog/info`): ``jsonDescription()`` without anything about token
    /// verification or AWS variables, and — where callers may not reach the server's files — without its paths
    /// (`quilt3_data_directory` and `default_local_registry` are null) or its start-up warnings. Never fails.
    package func callerDescription() -> JSONValue {
        guard case .object(var object) = jsonDescription() else { return .null }
        for name in Self.operatorOnly { object[name] = nil }
        if !serverFiles.isAllowed {
            object["quilt3_data_directory"] = .null
            object["default_local_registry"] = .null
            object["warnings"] = nil
        }
        return .object(object)
    }
}
