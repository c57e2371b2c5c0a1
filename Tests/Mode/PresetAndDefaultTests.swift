import QuiltContract
import QuiltMode
import Testing

@Suite("Presets, defaults and derived facts")
struct PresetAndDefaultTests {
    @Test("No configuration at all is the local preset with quilt3's local registry")
    func noConfiguration() throws {
        let mode = try ModeResolver.resolve(flags: ModeFlags(), environment: ["HOME": "/home/u"])
        #expect(mode.preset == .local)
        #expect(mode.api == .registry)
        #expect(mode.auth == .session)
        #expect(mode.state == .persistent)
        #expect(mode.locale == .local)
        #expect(mode.transport == .stdio)
        #expect(mode.tenancy == .single)
        #expect(mode.host == "127.0.0.1")
        #expect(mode.port == 8000)
        #expect(mode.logLevel == .warning)
        #expect(mode.readOnly == false)
        #expect(mode.catalogURL == nil)
        #expect(mode.registryAPIURL == nil)
        #expect(mode.jwtToken == nil)
        #expect(mode.jwtTokenSource == nil)
        #expect(mode.quilt3DataDirectory == "/home/u/.local/share/Quilt")
        #expect(mode.defaultLocalRegistry?.url == "file:///home/u/.local/share/Quilt/packages")
        #expect(mode.registry?.url == "file:///home/u/.local/share/Quilt/packages")
        #expect(mode.registry?.kind == .file)
        #expect(mode.warnings == [])
        #expect(mode.aws == ["HOME": "/home/u"])
        for name in SettingName.allCases where name != .registry {
            #expect(mode.source(of: name) == .default, "\(name.rawValue)")
        }
        #expect(mode.source(of: .registry) == .derived("quilt3's local registry for api=registry, state=persistent"))
    }

    struct DataDirRow: Sendable, CustomTestStringConvertible {
        var environment: [String: String]
        var directory: String?
        var testDescription: String { environment.keys.sorted().map { "\($0)=\(environment[$0]!)" }.joined(separator: " ") }
    }

    @Test("quilt3's data directory: XDG_DATA_HOME (absolute) else HOME", arguments: [
        DataDirRow(environment: ["HOME": "/home/u"], directory: "/home/u/.local/share/Quilt"),
        DataDirRow(environment: ["HOME": "/home/u/"], directory: "/home/u/.local/share/Quilt"),
        DataDirRow(environment: ["HOME": "/home/u", "XDG_DATA_HOME": "/xdg/data"], directory: "/xdg/data/Quilt"),
        DataDirRow(environment: ["HOME": "/home/u", "XDG_DATA_HOME": "/xdg/data/"], directory: "/xdg/data/Quilt"),
        DataDirRow(environment: ["XDG_DATA_HOME": "/xdg/data"], directory: "/xdg/data/Quilt"),
        DataDirRow(environment: ["HOME": "/home/u", "XDG_DATA_HOME": "relative/data"], directory: "/home/u/.local/share/Quilt"),
        DataDirRow(environment: ["HOME": "/home/u", "XDG_DATA_HOME": ""], directory: "/home/u/.local/share/Quilt"),
        DataDirRow(environment: ["HOME": "/home/my user"], directory: "/home/my user/.local/share/Quilt"),
    ])
    func dataDirectory(_ row: DataDirRow) throws {
        let mode = try ModeResolver.resolve(flags: ModeFlags(), environment: row.environment)
        let directory = try #require(row.directory)
        #expect(mode.quilt3DataDirectory == directory)
        #expect(mode.defaultLocalRegistry == (try RegistryURL.file(directory + "/packages")))
        #expect(mode.registry == mode.defaultLocalRegistry)
    }

    @Test("Without HOME or XDG_DATA_HOME the registry API has no registry (R9), explained")
    func noHome() throws {
        let error = try #require(modeError { () throws(ModeError) -> Mode in
            try ModeResolver.resolve(flags: ModeFlags(), environment: [:])
        })
        #expect(error.ruleIDs == ["R9"])
        #expect(error.violations[0].message == "api=registry (default) has no registry: neither XDG_DATA_HOME nor HOME "
            + "is set, so quilt3's local registry is unknown; set QUILT_MCP_REGISTRY=s3://bucket")
        let mode = try ModeResolver.resolve(flags: ModeFlags(), environment: ["QUILT_MCP_REGISTRY": "s3://bucket"])
        #expect(mode.quilt3DataDirectory == nil)
        #expect(mode.defaultLocalRegistry == nil)
    }

    @Test("The remote preset")
    func remotePreset() throws {
        let mode = try resolve(["--mode", "remote"], ["QUILT_MCP_CATALOG_URL": "https://catalog.example.com/", "XDG_DATA_HOME": "/xdg"])
        #expect(mode.preset == .remote)
        #expect(mode.api == .platform)
        #expect(mode.auth == .jwt)
        #expect(mode.state == .stateless)
        #expect(mode.locale == .remote)
        #expect(mode.transport == .http)
        #expect(mode.host == "0.0.0.0")
        #expect(mode.port == 8000)
        #expect(mode.tenancy == .multi)
        #expect(mode.catalogURL == "https://catalog.example.com")
        #expect(mode.registry == nil)
        #expect(mode.quilt3DataDirectory == nil, "stateless never touches HOME or XDG_DATA_HOME")
        #expect(mode.defaultLocalRegistry == nil)
        #expect(mode.aws["HOME"] == nil)
        for name in [SettingName.api, .auth, .state, .locale, .transport, .host, .tenancy] {
            #expect(mode.source(of: name) == .preset("remote", via: "--mode"), "\(name.rawValue)")
        }
        #expect(mode.source(of: .mode) == .flag("--mode"))
        #expect(mode.source(of: .port) == .default)
    }

    @Test("The remote preset without a catalog violates only R2")
    func remoteWithoutCatalog() throws {
        let error = try #require(modeError { () throws(ModeError) -> Mode in try resolve([], ["QUILT_MCP_MODE": "remote"]) })
        #expect(error.ruleIDs == ["R2"])
        #expect(error.violations[0].message == "api=platform (from preset remote, QUILT_MCP_MODE=remote) needs the catalog, "
            + "but neither catalog_url nor registry_api_url is set; set QUILT_MCP_CATALOG_URL=https://your-catalog")
    }

    @Test("registry_api_url alone satisfies platform's catalog requirement")
    func registryAPIURLAlone() throws {
        let mode = try resolve([], ["QUILT_MCP_MODE": "remote", "QUILT_MCP_REGISTRY_API_URL": "https://api.example.com"])
        #expect(mode.registryAPIURL == "https://api.example.com")
        #expect(mode.catalogURL == nil)
    }

    @Test("Remote preset with api=registry and no registry: R9 says why")
    func remoteRegistryWithoutRegistry() throws {
        let error = try #require(modeError { () throws(ModeError) -> Mode in
            try resolve(["--mode", "remote", "--api", "registry"], [:])
        })
        #expect(error.ruleIDs == ["R9"])
        #expect(error.violations[0].message == "--api registry has no registry: state=stateless (from preset remote, "
            + "--mode remote) has no default local registry; set --registry s3://bucket")
    }

    @Test("api=platform in persistent state has no default registry but knows the local one")
    func platformHasNoDefaultRegistry() throws {
        let mode = try resolve([], ["QUILT_MCP_API": "platform", "QUILT_MCP_CATALOG_URL": "https://c.example.com"])
        #expect(mode.registry == nil)
        #expect(mode.source(of: .registry) == .default)
        #expect(mode.defaultLocalRegistry?.url == testLocalRegistry)
    }

    struct ValidRow: Sendable, CustomTestStringConvertible {
        var title: String
        var environment: [String: String]
        var testDescription: String { title }
    }

    @Test("The documented valid combinations resolve", arguments: [
        ValidRow(title: "default local", environment: [:]),
        ValidRow(title: "remote preset + catalog", environment: ["QUILT_MCP_MODE": "remote", "QUILT_MCP_CATALOG_URL": "https://c.example.com"]),
        ValidRow(title: "local + platform + session + catalog",
                 environment: ["QUILT_MCP_MODE": "local", "QUILT_MCP_API": "platform", "QUILT_MCP_AUTH": "session",
                               "QUILT_MCP_CATALOG_URL": "https://c.example.com"]),
        ValidRow(title: "registry + iam + s3", environment: ["QUILT_MCP_AUTH": "iam", "QUILT_MCP_REGISTRY": "s3://bucket"]),
        ValidRow(title: "registry + stateless + iam + s3 + http",
                 environment: ["QUILT_MCP_STATE": "stateless", "QUILT_MCP_AUTH": "iam", "QUILT_MCP_REGISTRY": "s3://bucket",
                               "QUILT_MCP_TRANSPORT": "http"]),
        ValidRow(title: "registry + iam + http + file registry (local, single tenant: the caller owns the machine)",
                 environment: ["QUILT_MCP_AUTH": "iam", "QUILT_MCP_TRANSPORT": "http", "QUILT_MCP_REGISTRY": "file:///srv/registry"]),
        ValidRow(title: "registry + jwt + http + memory registry with an HS256 key",
                 environment: ["QUILT_MCP_AUTH": "jwt", "QUILT_MCP_TRANSPORT": "http", "QUILT_MCP_REGISTRY": "memory://m",
                               "QUILT_MCP_JWT_SECRET": "0123456789abcdef0123456789abcdef"]),
    ])
    func validCombinations(_ row: ValidRow) throws {
        let mode = try resolve([], row.environment)
        #expect(otherWarnings(mode) == [])
    }

    @Test("Persistent state snapshots every AWS_ variable and HOME; the whole environment only for child programs")
    func awsPersistent() throws {
        let mode = try resolve([], [
            "AWS_PROFILE": "dev", "AWS_REGION": "us-west-2", "AWS_CONFIG_FILE": "/home/tester/.aws/config",
            "AWS_EMPTY": "", "PATH": "/usr/bin", "QUILT_MCP_LOG_LEVEL": "info",
        ])
        #expect(mode.aws == ["AWS_PROFILE": "dev", "AWS_REGION": "us-west-2",
                             "AWS_CONFIG_FILE": "/home/tester/.aws/config", "HOME": testHome])
        #expect(mode.warnings == [])
        // A credential_process runs with the user's whole environment, as the AWS CLI runs it.
        #expect(mode.childEnvironment["PATH"] == "/usr/bin")
        #expect(mode.childEnvironment["QUILT_MCP_LOG_LEVEL"] == "info")
    }

    @Test("Stateless state drops HOME and the HOME-based AWS variables, with one warning")
    func awsStateless() throws {
        let mode = try resolve([], [
            "QUILT_MCP_STATE": "stateless", "QUILT_MCP_AUTH": "iam", "QUILT_MCP_REGISTRY": "s3://bucket",
            "AWS_PROFILE": "dev", "AWS_CONFIG_FILE": "/home/tester/.aws/config", "AWS_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret-key",
        ])
        #expect(mode.aws == ["AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret-key"])
        #expect(mode.warnings == [
            "warning: state=stateless ignores AWS_PROFILE, AWS_CONFIG_FILE: stateless never opens files under HOME; "
                + "use AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN or a container or instance role",
        ])
        #expect(mode.quilt3DataDirectory == nil)
        #expect(mode.childEnvironment.isEmpty, "stateless runs no credential_process, so hands no environment on")
    }

    @Test("Stateless state without HOME-based AWS variables warns nothing")
    func awsStatelessQuiet() throws {
        let mode = try resolve([], ["QUILT_MCP_STATE": "stateless", "QUILT_MCP_AUTH": "iam", "QUILT_MCP_REGISTRY": "memory://m",
                                    "AWS_REGION": "eu-west-1"])
        #expect(mode.aws == ["AWS_REGION": "eu-west-1"])
        #expect(mode.warnings == [])
    }

    @Test("SettingSource descriptions", arguments: [
        (SettingSource.flag("--api"), "--api"),
        (.environment("QUILT_MCP_API"), "QUILT_MCP_API"),
        (.legacy("QUILT_DEPLOYMENT"), "QUILT_DEPLOYMENT (deprecated)"),
        (.preset("remote", via: "QUILT_MCP_MODE"), "preset remote (QUILT_MCP_MODE)"),
        (.default, "default"),
        (.derived("why"), "derived (why)"),
    ])
    func sourceDescriptions(_ source: SettingSource, _ text: String) {
        #expect(source.description == text)
    }
}
