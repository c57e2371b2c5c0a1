import QuiltContract
import QuiltMode
import Testing

struct ParseRow: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var flags: ModeFlags
    var remaining: [String]
    var testDescription: String { arguments.joined(separator: " ") }
}

let parseRows: [ParseRow] = [
    ParseRow(arguments: [], flags: ModeFlags(), remaining: []),
    ParseRow(arguments: ["serve"], flags: ModeFlags(), remaining: ["serve"]),
    ParseRow(arguments: ["--mode", "remote", "serve"], flags: ModeFlags(preset: .remote), remaining: ["serve"]),
    ParseRow(arguments: ["tools", "call", "--api=platform", "package_browse", "--name", "a/b"],
             flags: ModeFlags(api: .platform), remaining: ["tools", "call", "package_browse", "--name", "a/b"]),
    ParseRow(arguments: ["--read-only", "serve"], flags: ModeFlags(readOnly: true), remaining: ["serve"]),
    ParseRow(arguments: ["--read-only=false", "serve"], flags: ModeFlags(readOnly: false), remaining: ["serve"]),
    ParseRow(arguments: ["--port", "9000", "serve", "--host=0.0.0.0", "x"],
             flags: ModeFlags(host: "0.0.0.0", port: 9000), remaining: ["serve", "x"]),
    ParseRow(arguments: ["run", "--", "--api", "platform"], flags: ModeFlags(),
             remaining: ["run", "--", "--api", "platform"]),
    ParseRow(arguments: ["--catalog-url", "https://cat.example.com/", "--registry", "s3://bucket", "--jwt-token-file", "/run/token",
                         "--registry-api-url=https://api.example.com"],
             flags: ModeFlags(registry: try! RegistryURL("s3://bucket"), catalogURL: "https://cat.example.com",
                              registryAPIURL: "https://api.example.com", jwtTokenFile: "/run/token"),
             remaining: []),
    ParseRow(arguments: ["--api", "registry", "--api", "platform"], flags: ModeFlags(api: .platform), remaining: []),
    ParseRow(arguments: ["--unknown", "v", "--auth", "IAM"], flags: ModeFlags(auth: .iam), remaining: ["--unknown", "v"]),
    ParseRow(arguments: ["-v", "--state=stateless", "--locale", "remote", "--transport", "http", "--tenancy", "multi",
                         "--log-level", "debug"],
             flags: ModeFlags(state: .stateless, locale: .remote, transport: .http, tenancy: .multi, logLevel: .debug),
             remaining: ["-v"]),
    ParseRow(arguments: ["package", "create", "--registry=memory://m", "--message", "hi"],
             flags: ModeFlags(registry: try! RegistryURL("memory://m")), remaining: ["package", "create", "--message", "hi"]),
]

struct ParseErrorRow: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var rules: [String]
    var messages: [String]
    var testDescription: String { arguments.joined(separator: " ") }
}

let parseErrorRows: [ParseErrorRow] = [
    ParseErrorRow(arguments: ["--api"], rules: ["missing-value"], messages: ["--api needs a value; accepted: registry, platform"]),
    ParseErrorRow(arguments: ["--api", "--auth", "iam"], rules: ["missing-value"],
                  messages: ["--api needs a value; accepted: registry, platform"]),
    ParseErrorRow(arguments: ["--api=", "serve"], rules: ["missing-value"],
                  messages: ["--api needs a value; accepted: registry, platform"]),
    ParseErrorRow(arguments: ["--jwt-token-file"], rules: ["missing-value"],
                  messages: ["--jwt-token-file needs a value; accepted: a bearer token, or the path of a file holding one"]),
    ParseErrorRow(arguments: ["--api", "graphql"], rules: ["invalid-value"],
                  messages: ["--api graphql is invalid: 'graphql' is not one of them; accepted: registry, platform"]),
    ParseErrorRow(arguments: ["--mode", "cloud"], rules: ["invalid-value"],
                  messages: ["--mode cloud is invalid: 'cloud' is not one of them; accepted: local, remote"]),
    ParseErrorRow(arguments: ["--port", "0", "serve", "--transport", "sse"], rules: ["invalid-value", "invalid-value"],
                  messages: ["--port 0 is invalid: '0' is not a port number; accepted: an integer from 1 to 65535",
                             "--transport sse is invalid: 'sse' is not one of them; accepted: stdio, http"]),
    ParseErrorRow(arguments: ["--read-only=perhaps"], rules: ["invalid-value"],
                  messages: ["--read-only perhaps is invalid: 'perhaps' is not a boolean; accepted: true, false, 1, 0, yes, no, on, off"]),
    ParseErrorRow(arguments: ["--registry", "s3://b/p"], rules: ["invalid-value"],
                  messages: ["--registry s3://b/p is invalid: 's3://b/p' has a path; a quilt registry is a bucket root (s3://bucket).; accepted: s3://bucket (or a bare bucket name), file:///absolute/path or memory://name"]),
]

@Suite("ModeFlags.parse")
struct FlagParsingTests {
    @Test(arguments: parseRows)
    func parse(_ row: ParseRow) throws {
        let (flags, remaining) = try ModeFlags.parse(row.arguments)
        #expect(flags == row.flags)
        #expect(remaining == row.remaining)
    }

    @Test(arguments: parseErrorRows)
    func parseError(_ row: ParseErrorRow) {
        do {
            _ = try ModeFlags.parse(row.arguments)
            Issue.record("expected a ModeError")
        } catch {
            #expect(error.ruleIDs == row.rules)
            #expect(error.violations.map(\.message) == row.messages)
        }
    }

    @Test("Flags built in code are validated by the resolver too")
    func programmaticFlags() {
        let rules = violatedRules { () throws(ModeError) -> Mode in
            try ModeResolver.resolve(flags: ModeFlags(catalogURL: "not a url", port: 0), environment: ["HOME": testHome])
        }
        #expect(rules == ["invalid-value", "invalid-value"])
    }
}

@Suite("Toolsets setting")
struct ToolsetSettingTests {
    @Test("--toolsets and QUILT_MCP_TOOLSETS name sets; all (alone or among others) means every set", arguments: [
        (["--toolsets", "packages,search"], [:], "packages,search"),
        ([], ["QUILT_MCP_TOOLSETS": " Search , packages "], "packages,search"),
        (["--toolsets", "packages,all"], [:], "all"), ([], [:], "packages,objects,search"),
        (["--toolsets", "links"], ["QUILT_MCP_TOOLSETS": "objects"], "links"),
    ] as [([String], [String: String], String)])
    func resolves(arguments: [String], environment: [String: String], expected: String) throws {
        #expect(shown(try resolve(arguments, environment), .toolsets) == expected)
    }

    @Test("An unknown toolset stops start-up naming the accepted ones")
    func unknown() {
        let error = modeError { () throws(ModeError) -> Mode in try resolve(["--toolsets", "packages,admins"]) }
        #expect(error?.ruleIDs == ["invalid-value"])
        #expect(error?.description.contains("'admins' is not one of them") == true, "\(String(describing: error))")
        #expect(error?.description.contains("packages, objects, search, links, query, tabulator, assist, permissions, curate, admin, all") == true, "\(String(describing: error))")
    }
}
