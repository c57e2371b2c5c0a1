import QuiltContract
import QuiltJSON
import QuiltMode
import Testing

/// One deployment and whether its callers may reach the server's files, with the settings that forbid it.
struct FilesRow: Sendable, CustomTestStringConvertible {
    var title: String
    var arguments: [String]
    var environment: [String: String]
    /// nil: allowed; otherwise the exact `forbiddenBy` text.
    var forbiddenBy: String?
    var testDescription: String { title }
}

@Suite("The server's files: one rule, decided by the mode")
struct ServerFilesTests {
    static let secret = "0123456789abcdef0123456789abcdef"

    static let rows: [FilesRow] = [
        FilesRow(title: "zero configuration (stdio, quilt3's local registry): allowed", arguments: [], environment: [:],
                 forbiddenBy: nil),
        FilesRow(title: "local HTTP without tokens: allowed", arguments: ["--transport", "http"], environment: [:],
                 forbiddenBy: nil),
        FilesRow(title: "local HTTP with auth=jwt: forbidden by the pair",
                 arguments: ["--transport", "http", "--auth", "jwt", "--registry", "memory://m"],
                 environment: ["QUILT_MCP_JWT_SECRET": secret],
                 forbiddenBy: "--transport http with --auth jwt"),
        FilesRow(title: "stateless: forbidden", arguments: ["--state", "stateless", "--auth", "iam", "--registry", "memory://m"],
                 environment: [:], forbiddenBy: "--state stateless"),
        FilesRow(title: "the remote preset: every setting that forbids it is named",
                 arguments: ["--mode", "remote"], environment: ["QUILT_MCP_CATALOG_URL": "https://c.example.com"],
                 forbiddenBy: "locale=remote (from preset remote, --mode remote) and tenancy=multi (from preset remote, "
                     + "--mode remote) and state=stateless (from preset remote, --mode remote) and transport=http (from "
                     + "preset remote, --mode remote) with auth=jwt (from preset remote, --mode remote)"),
    ]

    @Test(arguments: rows)
    func decided(_ row: FilesRow) throws {
        let mode = try resolve(row.arguments, row.environment)
        #expect(mode.serverFiles.forbiddenBy == row.forbiddenBy)
        #expect(mode.serverFiles.isAllowed == (row.forbiddenBy == nil))
    }

    @Test("A forbidden check is `forbidden`, naming what was asked for and the settings")
    func check() throws {
        let mode = try resolve(["--state", "stateless", "--auth", "iam", "--registry", "memory://m"])
        #expect(throws: QuiltOpsError.self) { try mode.serverFiles.check("/etc/passwd") }
        do {
            try mode.serverFiles.check("/etc/passwd")
        } catch {
            #expect(error.kind == "forbidden")
            #expect(error.message.contains("(/etc/passwd): --state stateless"))
        }
        try ServerFileAccess.allowed.check("/etc/passwd")
    }
}

@Suite("Resource bounds: parsed, defaulted, shown")
struct LimitsTests {
    @Test("Defaults are the documented ones")
    func defaults() throws {
        let limits = try resolve().limits
        #expect(limits == Mode.Limits.defaults)
        #expect(limits.requestBytes == 16 << 20 && limits.objectBytes == 64 << 20)
        #expect(limits.requests == 256 && limits.callerRequests == 32)
        #expect(limits.tenantMemoryBytes == 64 << 20 && limits.tenants == 1024)
        #expect(limits.idleSeconds == 75)
    }

    @Test("Sizes take K/M/G (binary) suffixes; flags beat variables")
    func parsed() throws {
        let mode = try resolve(
            ["--max-object-bytes", "512K", "--max-requests", "8"],
            ["QUILT_MCP_MAX_OBJECT_BYTES": "1G", "QUILT_MCP_MAX_REQUEST_BYTES": "2MiB", "QUILT_MCP_TENANT_MEMORY_BYTES": "1048576",
             "QUILT_MCP_MAX_CALLER_REQUESTS": "3", "QUILT_MCP_MAX_TENANTS": "10", "QUILT_MCP_IDLE_TIMEOUT": "5"])
        #expect(mode.limits == Mode.Limits(
            requestBytes: 2 << 20, objectBytes: 512 << 10, requests: 8, callerRequests: 3, tenantMemoryBytes: 1 << 20, tenants: 10,
            idleSeconds: 5))
        #expect(mode.source(of: .maxObjectBytes) == .flag("--max-object-bytes"))
        #expect(mode.source(of: .maxRequestBytes) == .environment("QUILT_MCP_MAX_REQUEST_BYTES"))
    }

    @Test("Malformed bounds stop start-up naming the variable and what is accepted",
          arguments: ["0", "-1", "12X", "", "9999999999999999", "1.5M", "two"])
    func malformed(_ value: String) throws {
        guard !value.isEmpty else { return }  // empty counts as unset
        let error = try #require(modeError { () throws(ModeError) -> Mode in
            try resolve([], ["QUILT_MCP_MAX_OBJECT_BYTES": value])
        })
        #expect(error.ruleIDs == ["invalid-value"])
        #expect(error.description.contains("QUILT_MCP_MAX_OBJECT_BYTES=\(value) is invalid"))
        let count = try #require(modeError { () throws(ModeError) -> Mode in
            try resolve([], ["QUILT_MCP_MAX_REQUESTS": value])
        })
        #expect(count.ruleIDs == ["invalid-value"])
    }
}

@Suite("What a caller may see of the mode")
struct CallerDescriptionTests {
    @Test("Verification on or off, where the secret lives and how tokens are checked never reach a caller",
          arguments: [true, false])
    func hidden(_ verified: Bool) throws {
        var env = ["QUILT_MCP_STATE": "stateless", "QUILT_MCP_AUTH": "jwt", "QUILT_MCP_TRANSPORT": "http",
                   "QUILT_MCP_TENANCY": "multi", "AWS_SECRET_ACCESS_KEY": "aws-secret-value", "AWS_ACCESS_KEY_ID": "AKID"]
        if verified {
            env["QUILT_MCP_JWT_SECRET"] = "0123456789abcdef0123456789abcdef"
            env["QUILT_MCP_REGISTRY"] = "memory://m"
            env["QUILT_MCP_JWT_ISSUER"] = "https://issuer.example"
        } else {
            env["QUILT_MCP_REGISTRY"] = "s3://bucket"
            env["QUILT_MCP_CATALOG_URL"] = "https://c.example.com"
        }
        let mode = try resolve([], env)
        let text = JSONWriter.compact(mode.callerDescription())
        for hidden in ["jwt_secret", "jwt_token", "jwt_jwks_url", "jwt_issuer", "jwt_audience", "jwt_verification",
                       "aws_variables", "AWS_", "QUILT_MCP_JWT_SECRET", "issuer.example", "hs256", "warnings", "/home/"] {
            #expect(!text.contains(hidden), "\(hidden) in \(text)")
        }
        #expect(mode.callerDescription()["tenancy"]?["value"] == "multi")
        #expect(mode.callerDescription()["max_object_bytes"]?["value"] == .number(JSONNumber(64 << 20)))
        #expect(mode.callerDescription()["quilt3_data_directory"] == .null)
        // The operator's view still has them.
        #expect(mode.jsonDescription()["jwt_verification"] == .string(verified ? "hs256" : "off"))
    }

    @Test("On the user's own machine the paths stay (files are theirs), verification still does not")
    func local() throws {
        let mode = try resolve()
        let description = mode.callerDescription()
        #expect(description["quilt3_data_directory"]?.stringValue == "/home/tester/.local/share/Quilt")
        #expect(description["jwt_verification"] == nil)
        #expect(description["warnings"] != nil)
    }
}
