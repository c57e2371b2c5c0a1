import Foundation
import QuiltJSON
import QuiltMode
import Testing

/// A token distinctive enough that any leak is found by substring search.
let secretToken = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.SIGNATURE-do-not-print-7f3a"
let secretAWSKey = "wJalrXUtnFEMI-do-not-print-AWS"

/// Every way a `Mode` can be turned into text.
func renderings(_ mode: Mode) -> [String] {
    var dumped = ""
    dump(mode, to: &dumped)
    return [
        mode.explanation(), JSONWriter.compact(mode.jsonDescription()), JSONWriter.pretty(mode.jsonDescription()),
        String(describing: mode), String(reflecting: mode), "\(mode)", dumped,
        Mirror(reflecting: mode).children.map { "\($0.label ?? ""): \($0.value)" }.joined(separator: "\n"),
        mode.warnings.joined(separator: "\n"),
    ]
}

@Suite("The bearer token is stored but never printed")
struct TokenSecrecyTests {
    @Test("A token from QUILT_MCP_JWT_TOKEN is used and shown only as its source")
    func tokenFromVariable() throws {
        let mode = try resolve([], [
            "QUILT_MCP_API": "platform", "QUILT_MCP_AUTH": "jwt", "QUILT_MCP_CATALOG_URL": "https://c.example.com",
            "QUILT_MCP_JWT_TOKEN": secretToken, "AWS_SECRET_ACCESS_KEY": secretAWSKey,
        ])
        #expect(mode.jwtToken == secretToken)
        #expect(mode.jwtTokenSource == .environment("QUILT_MCP_JWT_TOKEN"))
        #expect(mode.source(of: .jwtToken) == .environment("QUILT_MCP_JWT_TOKEN"))
        #expect(mode.aws["AWS_SECRET_ACCESS_KEY"] == secretAWSKey)
        for text in renderings(mode) {
            #expect(!text.contains(secretToken))
            #expect(!text.contains("do-not-print"))
        }
        #expect(mode.explanation().contains("<set, from QUILT_MCP_JWT_TOKEN>"))
        let json = mode.jsonDescription()
        #expect(json["jwt_token"] == .object(["value": "<set, from QUILT_MCP_JWT_TOKEN>", "source": "QUILT_MCP_JWT_TOKEN"]))
        #expect(json["aws_variables"] == .array(["AWS_SECRET_ACCESS_KEY", "HOME"]))
    }

    @Test("A token file is read (trimmed) and shown only by its path")
    func tokenFromFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("quilt-mode-token-\(UUID().uuidString)").path
        try (secretToken + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }

        let mode = try resolve(["--jwt-token-file", path, "--mode", "remote"], [
            "QUILT_MCP_CATALOG_URL": "https://c.example.com", "QUILT_MCP_JWT_TOKEN": "overridden-by-the-flag",
        ])
        #expect(mode.jwtToken == secretToken)
        #expect(mode.jwtTokenSource == .file(path: path, setBy: "--jwt-token-file"))
        #expect(mode.source(of: .jwtToken) == .flag("--jwt-token-file"))
        for text in renderings(mode) { #expect(!text.contains(secretToken)) }
        #expect(mode.explanation().contains("<set, from --jwt-token-file \(path)>"))
    }

    @Test("An empty token file is an error naming the path")
    func emptyTokenFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("quilt-mode-empty-\(UUID().uuidString)").path
        try " \n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = try #require(modeError { () throws(ModeError) -> Mode in
            try resolve([], ["QUILT_MCP_AUTH": "jwt", "QUILT_MCP_JWT_TOKEN_FILE": path])
        })
        #expect(error.ruleIDs == ["token-file"])
        #expect(error.violations[0].message == "QUILT_MCP_JWT_TOKEN_FILE=\(path): the token file is empty")
    }

    @Test("R11: a token nobody uses is ignored with a warning, and an ignored file is not read")
    func ignoredToken() throws {
        let mode = try resolve([], ["QUILT_MCP_JWT_TOKEN": secretToken])
        #expect(mode.jwtToken == nil)
        #expect(mode.jwtTokenSource == .environment("QUILT_MCP_JWT_TOKEN"))
        #expect(mode.warnings == [
            "warning: QUILT_MCP_JWT_TOKEN is ignored: auth=session (default) and api=registry (default) use no bearer token; "
                + "remove it, or use QUILT_MCP_AUTH=jwt",
        ])
        #expect(mode.explanation().contains("<ignored, from QUILT_MCP_JWT_TOKEN>"))
        for text in renderings(mode) { #expect(!text.contains(secretToken)) }

        let unread = try resolve(["--auth", "iam", "--jwt-token-file", "/nonexistent/token"], [:])
        #expect(unread.jwtToken == nil)
        #expect(unread.warnings == [
            "warning: --jwt-token-file /nonexistent/token is ignored: --auth iam and api=registry (default) use no bearer token; "
                + "remove it, or use --auth jwt",
        ])
    }

    @Test("Errors never contain the token")
    func errorsOmitToken() throws {
        let error = try #require(modeError { () throws(ModeError) -> Mode in
            try resolve([], ["QUILT_MCP_AUTH": "jwt", "QUILT_MCP_JWT_TOKEN": secretToken, "QUILT_MCP_TENANCY": "multi",
                             "QUILT_MCP_REGISTRY": "memory://m"])
        })
        #expect(error.ruleIDs == ["R6"])
        #expect(!error.description.contains(secretToken))
    }

    @Test("explanation() lists every setting, its value and source, then the warnings")
    func explanationShape() throws {
        let mode = try resolve(["--port", "9000"], ["FASTMCP_HOST": "0.0.0.0"])
        let lines = mode.explanation().split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("setting") == true)
        for name in SettingName.allCases {
            #expect(lines.contains { $0.hasPrefix(name.rawValue + " ") }, "\(name.rawValue)")
        }
        #expect(lines.contains { $0.hasPrefix("port ") && $0.contains(" 9000 ") && $0.hasSuffix("--port") })
        #expect(lines.contains { $0.hasPrefix("host ") && $0.hasSuffix("FASTMCP_HOST (deprecated)") })
        #expect(lines.suffix(2) == ["warnings:", "  warning: FASTMCP_HOST=0.0.0.0 is deprecated; use QUILT_MCP_HOST=0.0.0.0"])
    }

    @Test("jsonDescription() has value and source per setting, then derived facts and warnings")
    func jsonShape() throws {
        let mode = try resolve(["--read-only"], [:])
        let json = mode.jsonDescription()
        let keys = try #require(json.objectValue).keys
        #expect(keys == SettingName.allCases.map(\.rawValue)
            + ["quilt3_data_directory", "default_local_registry", "aws_variables", "jwt_verification", "warnings"])
        #expect(json["api"] == .object(["value": "registry", "source": "default"]))
        #expect(json["port"] == .object(["value": .number(JSONNumber(8000)), "source": "default"]))
        #expect(json["read_only"] == .object(["value": true, "source": "--read-only"]))
        #expect(json["catalog_url"] == .object(["value": .null, "source": "default"]))
        #expect(json["jwt_token"] == .object(["value": .null, "source": "default"]))
        #expect(json["registry"]?["value"] == .string(testLocalRegistry))
        #expect(json["quilt3_data_directory"] == .string("/home/tester/.local/share/Quilt"))
        #expect(json["jwt_verification"] == .string("off"))
        #expect(json["warnings"] == .array([]))
    }
}
