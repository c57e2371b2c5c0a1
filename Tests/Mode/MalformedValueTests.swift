import QuiltContract
import QuiltMode
import Testing

/// Malformed values: each names the flag/variable as the user set it and what is accepted.
struct MalformedRow: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var environment: [String: String]
    var rules: [String]
    /// The exact message of the first violation.
    var message: String
    var testDescription: String {
        (arguments + environment.keys.sorted().map { "\($0)=\(environment[$0]!)" }).joined(separator: " ")
    }
}

let malformedRows: [MalformedRow] = [
    MalformedRow(arguments: [], environment: ["QUILT_MCP_API": "graphql"], rules: ["invalid-value"],
                 message: "QUILT_MCP_API=graphql is invalid: 'graphql' is not one of them; accepted: registry, platform"),
    MalformedRow(arguments: [], environment: ["QUILT_MCP_AUTH": "oauth"], rules: ["invalid-value"],
                 message: "QUILT_MCP_AUTH=oauth is invalid: 'oauth' is not one of them; accepted: session, iam, jwt"),
    MalformedRow(arguments: [], environment: ["QUILT_MCP_MODE": "cloud"], rules: ["invalid-value"],
                 message: "QUILT_MCP_MODE=cloud is invalid: 'cloud' is not one of them; accepted: local, remote"),
    MalformedRow(arguments: [], environment: ["QUILT_MCP_LOG_LEVEL": "verbose"], rules: ["invalid-value"],
                 message: "QUILT_MCP_LOG_LEVEL=verbose is invalid: 'verbose' is not one of them; accepted: error, warning, info, debug"),
    MalformedRow(arguments: [], environment: ["QUILT_MCP_PORT": "0"], rules: ["invalid-value"],
                 message: "QUILT_MCP_PORT=0 is invalid: '0' is not a port number; accepted: an integer from 1 to 65535"),
    MalformedRow(arguments: [], environment: ["QUILT_MCP_PORT": "70000"], rules: ["invalid-value"],
                 message: "QUILT_MCP_PORT=70000 is invalid: '70000' is not a port number; accepted: an integer from 1 to 65535"),
    MalformedRow(arguments: [], environment: ["QUILT_MCP_PORT": "-1"], rules: ["invalid-value"],
                 message: "QUILT_MCP_PORT=-1 is invalid: '-1' is not a port number; accepted: an integer from 1 to 65535"),
    MalformedRow(arguments: [], environment: ["FASTMCP_PORT": "http"], rules: ["invalid-value"],
                 message: "FASTMCP_PORT=http is invalid: 'http' is not a port number; accepted: an integer from 1 to 65535"),
    MalformedRow(arguments: [], environment: ["QUILT_MCP_CATALOG_URL": "catalog.example.com"], rules: ["invalid-value"],
                 message: "QUILT_MCP_CATALOG_URL=catalog.example.com is invalid: 'catalog.example.com' is not an http(s) URL "
                     + "(did you mean https://catalog.example.com?); accepted: an http(s) URL such as https://your-catalog.example.com"),
    MalformedRow(arguments: [], environment: ["QUILT_MCP_CATALOG_URL": "ftp://catalog.example.com"], rules: ["invalid-value"],
                 message: "QUILT_MCP_CATALOG_URL=ftp://catalog.example.com is invalid: 'ftp://catalog.example.com' is not an "
                     + "http(s) URL; accepted: an http(s) URL such as https://your-catalog.example.com"),
    MalformedRow(arguments: [], environment: ["QUILT_MCP_REGISTRY_API_URL": "https://"], rules: ["invalid-value"],
                 message: "QUILT_MCP_REGISTRY_API_URL=https:// is invalid: 'https://' has no host; accepted: an http(s) URL such as https://your-catalog.example.com"),
    MalformedRow(arguments: [], environment: ["QUILT_CATALOG_URL": "https://user:pw@c.example.com"], rules: ["invalid-value"],
                 message: "QUILT_CATALOG_URL=https://user:pw@c.example.com is invalid: 'https://user:pw@c.example.com' contains "
                     + "credentials; put no user or password in the URL; accepted: an http(s) URL such as https://your-catalog.example.com"),
    MalformedRow(arguments: [], environment: ["QUILT_MCP_REGISTRY": "s3://bucket/prefix"], rules: ["invalid-value"],
                 message: "QUILT_MCP_REGISTRY=s3://bucket/prefix is invalid: 's3://bucket/prefix' has a path; a quilt registry "
                     + "is a bucket root (s3://bucket).; accepted: s3://bucket (or a bare bucket name), file:///absolute/path or memory://name"),
    MalformedRow(arguments: [], environment: ["QUILT_MCP_READ_ONLY": "maybe"], rules: ["invalid-value"],
                 message: "QUILT_MCP_READ_ONLY=maybe is invalid: 'maybe' is not a boolean; accepted: true, false, 1, 0, yes, no, on, off"),
    MalformedRow(arguments: [], environment: ["QUILT_MCP_HOST": "local host"], rules: ["invalid-value"],
                 message: "QUILT_MCP_HOST=local host is invalid: 'local host' is not a host name or address; accepted: a host "
                     + "name or IP address such as 127.0.0.1 or 0.0.0.0"),
    MalformedRow(arguments: [], environment: ["QUILT_DEPLOYMENT": "cloud"], rules: ["invalid-value"],
                 message: "QUILT_DEPLOYMENT=cloud is invalid: 'cloud' is not a deployment; accepted: remote, local, legacy "
                     + "(QUILT_DEPLOYMENT is deprecated; use QUILT_MCP_MODE=local or QUILT_MCP_MODE=remote)"),
    MalformedRow(arguments: [], environment: ["FASTMCP_TRANSPORT": "grpc"], rules: ["invalid-value"],
                 message: "FASTMCP_TRANSPORT=grpc is invalid: 'grpc' is not a transport; accepted: stdio, http, streamable-http, "
                     + "sse (FASTMCP_TRANSPORT is deprecated; use QUILT_MCP_TRANSPORT=stdio or QUILT_MCP_TRANSPORT=http)"),
    MalformedRow(arguments: [], environment: ["QUILT_MULTITENANT_MODE": "maybe"], rules: ["invalid-value"],
                 message: "QUILT_MULTITENANT_MODE=maybe is invalid: 'maybe' is not a boolean; accepted: true, false, 1, 0, yes, "
                     + "no, on, off (QUILT_MULTITENANT_MODE is deprecated; use QUILT_MCP_TENANCY)"),
    // Every malformed value is reported, not just the first.
    MalformedRow(arguments: [], environment: ["QUILT_MCP_API": "x", "QUILT_MCP_AUTH": "y", "QUILT_MCP_PORT": "z"],
                 rules: ["invalid-value", "invalid-value", "invalid-value"],
                 message: "QUILT_MCP_API=x is invalid: 'x' is not one of them; accepted: registry, platform"),
    // A malformed value is reported even when a higher tier overrides it.
    MalformedRow(arguments: ["--port", "9000"], environment: ["QUILT_MCP_PORT": "abc"], rules: ["invalid-value"],
                 message: "QUILT_MCP_PORT=abc is invalid: 'abc' is not a port number; accepted: an integer from 1 to 65535"),
    // Malformed values and rule violations are reported together.
    MalformedRow(arguments: [], environment: ["QUILT_MCP_STATE": "stateless", "QUILT_MCP_PORT": "abc"],
                 rules: ["invalid-value", "R1", "R9"],
                 message: "QUILT_MCP_PORT=abc is invalid: 'abc' is not a port number; accepted: an integer from 1 to 65535"),
    // Rules involving a malformed setting are not checked (state falls back to its default meanwhile).
    MalformedRow(arguments: [], environment: ["QUILT_MCP_STATE": "ephemeral", "QUILT_MCP_TENANCY": "multi"],
                 rules: ["invalid-value", "R5", "R6"],
                 message: "QUILT_MCP_STATE=ephemeral is invalid: 'ephemeral' is not one of them; accepted: persistent, stateless"),
    MalformedRow(arguments: [], environment: ["QUILT_MCP_REGISTRY": "./registry", "QUILT_MCP_STATE": "stateless", "QUILT_MCP_AUTH": "iam"],
                 rules: ["invalid-value"],
                 message: "QUILT_MCP_REGISTRY=./registry is invalid: './registry' is a local path; write a directory registry as "
                     + "file:///absolute/path; accepted: s3://bucket (or a bare bucket name), file:///absolute/path or memory://name"),
    MalformedRow(arguments: [], environment: ["QUILT_MCP_REGISTRY": "team/registry", "QUILT_MCP_STATE": "stateless", "QUILT_MCP_AUTH": "iam"],
                 rules: ["invalid-value"],
                 message: "QUILT_MCP_REGISTRY=team/registry is invalid: 'team/registry' is neither a registry URL nor an S3 bucket name; "
                     + "use s3://bucket, file:///absolute/path or memory://name; accepted: s3://bucket (or a bare bucket name), "
                     + "file:///absolute/path or memory://name"),
    MalformedRow(arguments: [], environment: ["QUILT_MCP_JWT_TOKEN": "t", "QUILT_MCP_JWT_TOKEN_FILE": "/run/token"],
                 rules: ["token-conflict"],
                 message: "QUILT_MCP_JWT_TOKEN and QUILT_MCP_JWT_TOKEN_FILE=/run/token are both set; set only one of them"),
    MalformedRow(arguments: [], environment: ["QUILT_MCP_AUTH": "jwt", "QUILT_MCP_TRANSPORT": "http", "QUILT_MCP_API": "platform",
                                              "QUILT_MCP_CATALOG_URL": "https://c.example.com",
                                              "QUILT_MCP_JWT_TOKEN_FILE": "/nonexistent/quilt-token"],
                 rules: ["token-file"],
                 message: "QUILT_MCP_JWT_TOKEN_FILE=/nonexistent/quilt-token: the token file does not exist"),
    MalformedRow(arguments: ["--jwt-token-file", "/"], environment: ["QUILT_MCP_API": "platform", "QUILT_MCP_CATALOG_URL": "https://c.example.com"],
                 rules: ["token-file"],
                 message: "--jwt-token-file /: the token file is a directory"),
]

@Suite("Malformed values")
struct MalformedValueTests {
    @Test(arguments: malformedRows)
    func malformed(_ row: MalformedRow) throws {
        let error = try #require(modeError { () throws(ModeError) -> Mode in try resolve(row.arguments, row.environment) })
        #expect(error.ruleIDs == row.rules)
        #expect(error.violations.first?.message == row.message)
    }

    @Test("A bare bucket name is an S3 registry, as the tools' registry argument reads it",
          arguments: [(["--registry", "my-bucket"], [:]), ([], ["QUILT_MCP_REGISTRY": "my-bucket"])] as [([String], [String: String])])
    func bareBucket(arguments: [String], environment: [String: String]) throws {
        #expect(try resolve(arguments + ["--auth", "iam"], environment).registry == (try RegistryURL.s3("my-bucket")))
    }

    @Test("ModeError prints one prefixed line per violation; exit status 2")
    func errorDescription() throws {
        let error = try #require(modeError { () throws(ModeError) -> Mode in
            try resolve([], ["QUILT_MCP_STATE": "stateless", "QUILT_MCP_TENANCY": "multi"])
        })
        #expect(error.ruleIDs == ["R1", "R5", "R6", "R9"])
        #expect(error.description == """
            quilt-mcp: invalid configuration: [R1] QUILT_MCP_STATE=stateless cannot use auth=session (default): quilt3's login session lives in files under HOME, which a stateless server never opens; use QUILT_MCP_AUTH=jwt (a catalog bearer token) or QUILT_MCP_AUTH=iam (AWS credentials)
            quilt-mcp: invalid configuration: [R5] QUILT_MCP_TENANCY=multi needs auth=jwt, but auth=session (default): the tenant comes only from verified token claims; use QUILT_MCP_AUTH=jwt or QUILT_MCP_TENANCY=single
            quilt-mcp: invalid configuration: [R6] QUILT_MCP_TENANCY=multi cannot run over transport=stdio (default): a stdio server has exactly one client per process; use QUILT_MCP_TRANSPORT=http or QUILT_MCP_TENANCY=single
            quilt-mcp: invalid configuration: [R9] api=registry (default) has no registry: QUILT_MCP_STATE=stateless has no default local registry; set QUILT_MCP_REGISTRY=s3://bucket
            """)
        #expect(ModeError.exitStatus == 2)
    }

    struct RuleMessageRow: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var environment: [String: String]
        var rule: String
        var message: String
        var testDescription: String { rule }
    }

    @Test("Each rule's message names the settings as the user set them and a valid alternative", arguments: [
        RuleMessageRow(arguments: ["--state", "stateless"], environment: ["QUILT_MCP_AUTH": "session", "QUILT_MCP_REGISTRY": "s3://b-1"],
                       rule: "R1",
                       message: "--state stateless cannot use QUILT_MCP_AUTH=session: quilt3's login session lives in files under HOME, "
                           + "which a stateless server never opens; use QUILT_MCP_AUTH=jwt (a catalog bearer token) or QUILT_MCP_AUTH=iam (AWS credentials)"),
        RuleMessageRow(arguments: ["--api", "platform"], environment: [:], rule: "R2",
                       message: "--api platform needs the catalog, but neither catalog_url nor registry_api_url is set; "
                           + "set --catalog-url https://your-catalog"),
        RuleMessageRow(arguments: ["--api", "platform", "--auth", "iam", "--catalog-url", "https://c.example.com"], environment: [:],
                       rule: "R3",
                       message: "--api platform cannot use --auth iam: the catalog API needs a bearer token, not AWS credentials; "
                           + "use --auth jwt or --auth session"),
        RuleMessageRow(arguments: [], environment: ["MCP_REQUIRE_JWT": "true"], rule: "R4",
                       message: "auth=jwt (from MCP_REQUIRE_JWT=true) over transport=stdio (default) needs a token source: stdio has no "
                           + "per-request Authorization header; set QUILT_MCP_JWT_TOKEN, QUILT_MCP_JWT_TOKEN_FILE or --jwt-token-file, "
                           + "or use QUILT_MCP_TRANSPORT=http"),
        RuleMessageRow(arguments: ["--tenancy", "multi", "--transport", "http"],
                       environment: ["QUILT_MCP_AUTH": "iam", "QUILT_MCP_REGISTRY": "s3://bucket"], rule: "R5",
                       message: "--tenancy multi needs auth=jwt, but QUILT_MCP_AUTH=iam: the tenant comes only from verified token "
                           + "claims; use QUILT_MCP_AUTH=jwt or --tenancy single"),
        RuleMessageRow(arguments: ["--mode", "remote", "--transport", "stdio", "--locale", "local"],
                       environment: ["QUILT_MCP_CATALOG_URL": "https://c.example.com", "QUILT_MCP_JWT_TOKEN": "t"], rule: "R6",
                       message: "tenancy=multi (from preset remote, --mode remote) cannot run over --transport stdio: a stdio server "
                           + "has exactly one client per process; use --transport http or --tenancy single"),
        RuleMessageRow(arguments: [], environment: ["QUILT_MCP_LOCALE": "remote", "QUILT_MCP_STATE": "stateless",
                                                    "QUILT_MCP_AUTH": "iam", "QUILT_MCP_REGISTRY": "s3://bucket"], rule: "R7",
                       message: "QUILT_MCP_LOCALE=remote cannot run over transport=stdio (default): remote deployments serve HTTP; "
                           + "use QUILT_MCP_TRANSPORT=http or QUILT_MCP_LOCALE=local"),
        RuleMessageRow(arguments: [], environment: ["QUILT_MCP_STATE": "stateless", "QUILT_MCP_AUTH": "iam",
                                                    "QUILT_MCP_REGISTRY": "file:///srv/registry"], rule: "R8",
                       message: "QUILT_MCP_STATE=stateless cannot use QUILT_MCP_REGISTRY=file:///srv/registry: a stateless server "
                           + "writes nothing to disk; use an s3:// or memory:// registry, e.g. QUILT_MCP_REGISTRY=s3://bucket"),
        RuleMessageRow(arguments: [], environment: ["QUILT_MCP_STATELESS_MODE": "1", "QUILT_MCP_AUTH": "iam"], rule: "R9",
                       message: "api=registry (default) has no registry: state=stateless (from QUILT_MCP_STATELESS_MODE=1) has no "
                           + "default local registry; set QUILT_MCP_REGISTRY=s3://bucket"),
        RuleMessageRow(arguments: ["--auth", "jwt", "--transport", "http", "--registry", "s3://bucket"], environment: [:], rule: "R10",
                       message: "api=registry (default) with --auth jwt and --registry s3://bucket needs the catalog: the bearer token "
                           + "is exchanged for AWS credentials there; set --catalog-url https://your-catalog or "
                           + "--registry-api-url https://your-catalog-api"),
        RuleMessageRow(arguments: ["--oauth-authorization-servers", "https://login.example.com"], environment: [:], rule: "R20",
                       message: "--oauth-authorization-servers https://login.example.com describes bearer tokens, but auth=session "
                           + "(default) over transport=stdio (default) asks for none; use --auth jwt with --transport http, or unset it"),
        RuleMessageRow(arguments: ["--auth", "jwt", "--transport", "http", "--registry", "s3://bucket", "--catalog-url", "https://c.example.com"],
                       environment: ["QUILT_MCP_OAUTH_SCOPES": "a,b"], rule: "R21",
                       message: "QUILT_MCP_OAUTH_SCOPES=a,b needs a verification key: the scopes of a token that is not verified "
                           + "here could be forged; set QUILT_MCP_JWT_SECRET_FILE (HS256) or QUILT_MCP_JWT_JWKS_URL"),
        RuleMessageRow(arguments: ["--metrics-port", "8000"], environment: [:], rule: "R19",
                       message: "--metrics-port 8000 is the port of /mcp (port=8000 (default)): metrics are served on their "
                           + "own listener, so they are never routed to callers; choose another, e.g. --metrics-port 9464"),
        RuleMessageRow(arguments: ["--locale", "remote", "--transport", "http"],
                       environment: ["QUILT_MCP_AUTH": "iam", "QUILT_MCP_REGISTRY": "s3://bucket"], rule: "R15",
                       message: "--locale remote cannot use state=persistent (default): persistent state means reading and "
                           + "writing the server's filesystem, which a remote server's callers must never reach; use --state stateless"),
        RuleMessageRow(arguments: ["--auth", "jwt", "--transport", "http", "--state", "stateless", "--registry", "memory://shared"],
                       environment: [:], rule: "R16",
                       message: "api=registry (default) with --auth jwt over --transport http and --registry memory://shared needs "
                           + "a verification key: no catalog checks tokens for a memory registry, so any token, even an unsigned "
                           + "one, would be served; set QUILT_MCP_JWT_SECRET_FILE (HS256) or QUILT_MCP_JWT_JWKS_URL"),
        RuleMessageRow(arguments: [], environment: ["QUILT_MCP_AUTH": "jwt", "QUILT_MCP_TRANSPORT": "http",
                                                    "QUILT_MCP_JWT_SECRET": "0123456789abcdef0123456789abcdef",
                                                    "QUILT_MCP_REGISTRY": "file:///srv/registry"], rule: "R17",
                       message: "QUILT_MCP_REGISTRY=file:///srv/registry is out of reach: QUILT_MCP_TRANSPORT=http with "
                           + "QUILT_MCP_AUTH=jwt keep callers "
                           + "away from the server's files; use an s3:// or memory:// registry, e.g. QUILT_MCP_REGISTRY=s3://bucket"),
    ])
    func ruleMessage(_ row: RuleMessageRow) throws {
        let error = try #require(modeError { () throws(ModeError) -> Mode in try resolve(row.arguments, row.environment) })
        #expect(error.ruleIDs == [row.rule])
        #expect(error.violations.first?.message == row.message)
    }
}
