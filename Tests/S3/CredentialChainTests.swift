import Foundation
import QuiltContract
import QuiltHTTP
import QuiltS3
import Testing

/// The AWS credential chain over a fake HOME and a scripted transport (STS, container, instance metadata).
@Suite("AWS credential chain")
struct CredentialChainTests {
    /// A transport for a machine with no metadata service and no network.
    static let offline = ScriptedTransport { r throws(QuiltOpsError) in
        throw .remote("connect to \(HTTPURL(r.url)?.host ?? "?") refused", retryable: true)
    }

    @Test("Environment variables come first")
    func environment() async throws {
        let home = try temporaryDirectory("home")
        try write("[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = p\n", to: home + "/.aws/credentials")
        let chain = AWSCredentialChain(
            aws: ["HOME": home, "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "e", "AWS_SESSION_TOKEN": "t"], transport: Self.offline)
        let c = try await chain.credentials()
        #expect(c.accessKeyId == "AKIDENV" && c.sessionToken == "t" && c.source == "environment")
        #expect(!c.description.contains("AKIDENV") && !c.description.contains("\"e\""), "never print keys")
    }

    @Test("Profiles from the shared files: default, AWS_PROFILE, config-file profiles and custom file locations")
    func profiles() async throws {
        let home = try temporaryDirectory("home")
        try write(
            """
            # comment
            [default]
            aws_access_key_id = AKIDDEFAULT
            aws_secret_access_key = d
            [work]
            aws_access_key_id=AKIDWORK
            aws_secret_access_key=w
            aws_session_token = tok
            """, to: home + "/.aws/credentials")
        try write(
            "[profile cfg]\naws_access_key_id = AKIDCFG\naws_secret_access_key = c\nregion = eu-north-1\ns3 =\n  addressing_style = path\n[sso-session x]\nsso_region = us-east-1\n",
            to: home + "/.aws/config")
        #expect(try await AWSCredentialChain(aws: ["HOME": home], transport: Self.offline).credentials().accessKeyId == "AKIDDEFAULT")
        let work = try await AWSCredentialChain(aws: ["HOME": home, "AWS_PROFILE": "work"], transport: Self.offline).credentials()
        #expect(work.accessKeyId == "AKIDWORK" && work.sessionToken == "tok" && work.source == "profile work")
        #expect(try await AWSCredentialChain(aws: ["HOME": home, "AWS_PROFILE": "cfg"], transport: Self.offline).credentials().accessKeyId == "AKIDCFG")
        #expect(AWSCredentialChain.profileRegion(aws: ["HOME": home, "AWS_PROFILE": "cfg"]) == "eu-north-1")
        let elsewhere = try temporaryDirectory("files")
        try write("[default]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = o\n", to: elsewhere + "/creds")
        let other = try await AWSCredentialChain(aws: ["HOME": home, "AWS_SHARED_CREDENTIALS_FILE": elsewhere + "/creds"], transport: Self.offline).credentials()
        #expect(other.accessKeyId == "AKIDOTHER")
        await #expect(throws: QuiltOpsError.self) {
            _ = try await AWSCredentialChain(aws: ["HOME": home, "AWS_PROFILE": "nope"], transport: Self.offline).credentials()
        }
    }

    @Test("credential_process runs with the mode's child environment and its Version 1 JSON is used")
    func credentialProcess() async throws {
        let home = try temporaryDirectory("home")
        let script = home + "/creds.sh"
        try write(
            "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"s\", \"SessionToken\": \"'\"$QUILT_TEST_MARK\"'\", \"Expiration\": \"2099-01-01T00:00:00Z\"}'\n",
            to: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        try write("[profile p]\ncredential_process = \(script)\n", to: home + "/.aws/config")
        // The command sees exactly the environment the mode hands it (QUILT_TEST_MARK comes back as the token).
        let c = try await AWSCredentialChain(
            aws: ["HOME": home, "AWS_PROFILE": "p"], childEnvironment: ["QUILT_TEST_MARK": "st"], transport: Self.offline
        ).credentials()
        #expect(c.accessKeyId == "AKIDPROC" && c.sessionToken == "st" && c.expiration != nil)
        try write("[profile bad]\ncredential_process = /bin/false\n", to: home + "/.aws/config")
        await #expect(throws: QuiltOpsError.self) {
            _ = try await AWSCredentialChain(aws: ["HOME": home, "AWS_PROFILE": "bad"], transport: Self.offline).credentials()
        }
    }

    static let stsAnswer = """
        <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult>\
        <Credentials><AccessKeyId>ASIAWEBIDENTITYKEY01</AccessKeyId><SecretAccessKey>ws</SecretAccessKey><SessionToken>wt</SessionToken>\
        <Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>
        """

    @Test("Web identity: the token file is exchanged at STS (regional endpoint, form body, unsigned)")
    func webIdentity() async throws {
        let dir = try temporaryDirectory("wi")
        try write("the-oidc-token\n", to: dir + "/token")
        let sts = ScriptedTransport { _ throws(QuiltOpsError) in xmlResponse(200, Self.stsAnswer) }
        let c = try await AWSCredentialChain(
            aws: ["AWS_WEB_IDENTITY_TOKEN_FILE": dir + "/token", "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/r", "AWS_REGION": "eu-west-1",
                  "AWS_ROLE_SESSION_NAME": "sess"],
            transport: sts
        ).credentials()
        #expect(c.accessKeyId == "ASIAWEBIDENTITYKEY01" && c.sessionToken == "wt")
        let r = try #require(sts.requests.first)
        #expect(r.method == "POST" && r.url == "https://sts.eu-west-1.amazonaws.com")
        #expect(r.header("authorization") == nil)
        let body = String(decoding: r.body, as: UTF8.self)
        #expect(body.contains("Action=AssumeRoleWithWebIdentity") && body.contains("WebIdentityToken=the-oidc-token") && body.contains("RoleSessionName=sess"))
    }

    @Test("A profile's role_arn with source_profile is assumed through signed STS AssumeRole")
    func assumeRole() async throws {
        let home = try temporaryDirectory("home")
        try write("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = b\n", to: home + "/.aws/credentials")
        try write("[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = base\nregion = us-west-2\n", to: home + "/.aws/config")
        let sts = ScriptedTransport { _ throws(QuiltOpsError) in
            xmlResponse(200, Self.stsAnswer.replacingOccurrences(of: "AssumeRoleWithWebIdentity", with: "AssumeRole"))
        }
        let c = try await AWSCredentialChain(aws: ["HOME": home, "AWS_PROFILE": "admin"], transport: sts).credentials()
        #expect(c.accessKeyId == "ASIAWEBIDENTITYKEY01")
        let r = try #require(sts.requests.first)
        #expect(r.url == "https://sts.us-west-2.amazonaws.com")
        #expect(r.header("authorization")?.contains("Credential=AKIDBASE/") == true)
        #expect(r.header("authorization")?.contains("/us-west-2/sts/aws4_request") == true)
    }

    @Test("A role_arn with credential_source = Environment is assumed with the environment's keys; unknown sources are named")
    func credentialSource() async throws {
        let home = try temporaryDirectory("home")
        try write("""
            [profile ci]
            role_arn = arn:aws:iam::123456789012:role/deploy
            credential_source = Environment
            region = eu-west-1
            [profile odd]
            role_arn = arn:aws:iam::123456789012:role/deploy
            credential_source = Laptop
            """, to: home + "/.aws/config")
        let sts = ScriptedTransport { _ throws(QuiltOpsError) in
            xmlResponse(200, Self.stsAnswer.replacingOccurrences(of: "AssumeRoleWithWebIdentity", with: "AssumeRole"))
        }
        // Only the profile source is consulted here (the environment source alone would win the chain).
        let aws = ["HOME": home, "AWS_PROFILE": "ci", "AWS_ACCESS_KEY_ID": "AKIDFROMENV", "AWS_SECRET_ACCESS_KEY": "env-secret"]
        let c = try await AWSCredentialChain.profileCredentials(aws: aws, transport: sts)
        #expect(c?.accessKeyId == "ASIAWEBIDENTITYKEY01")
        let r = try #require(sts.requests.first)
        #expect(r.url == "https://sts.eu-west-1.amazonaws.com" && r.header("authorization")?.contains("Credential=AKIDFROMENV/") == true)
        do {
            _ = try await AWSCredentialChain.profileCredentials(aws: ["HOME": home, "AWS_PROFILE": "odd"], transport: sts)
            Issue.record("an unknown credential_source must be refused")
        } catch {
            #expect(error.message.contains("credential_source = Laptop"), "\(error.message)")
        }
    }

    @Test("Container credentials (relative and full URI with a token file)")
    func container() async throws {
        let json = "{\"AccessKeyId\": \"ASIACONTAINERKEY0001\", \"SecretAccessKey\": \"cs\", \"Token\": \"ct\", \"Expiration\": \"2099-01-01T00:00:00Z\"}"
        let t = ScriptedTransport { _ throws(QuiltOpsError) in QuiltHTTPResponse(status: 200, body: Array(json.utf8)) }
        let c = try await AWSCredentialChain(aws: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc"], transport: t).credentials()
        #expect(c.accessKeyId == "ASIACONTAINERKEY0001" && c.sessionToken == "ct")
        #expect(t.requests.last?.url == "http://169.254.170.2/v2/credentials/abc")
        let dir = try temporaryDirectory("ecs")
        try write("pod-token\n", to: dir + "/tok")
        _ = try await AWSCredentialChain(
            aws: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": dir + "/tok"],
            transport: t
        ).credentials()
        #expect(t.requests.last?.header("authorization") == "pod-token")
    }

    @Test("EC2 instance metadata, IMDSv2: token, role name, credentials")
    func instanceMetadata() async throws {
        let t = ScriptedTransport { r throws(QuiltOpsError) in
            switch (r.method, HTTPURL(r.url)?.path ?? "") {
            case ("PUT", "/latest/api/token"):
                return QuiltHTTPResponse(status: 200, body: Array("imds-token".utf8))
            case ("GET", "/latest/meta-data/iam/security-credentials/"):
                return r.header("x-aws-ec2-metadata-token") == "imds-token" ? QuiltHTTPResponse(status: 200, body: Array("my-role\n".utf8)) : QuiltHTTPResponse(status: 401)
            case ("GET", "/latest/meta-data/iam/security-credentials/my-role"):
                return QuiltHTTPResponse(status: 200, body: Array("{\"Code\": \"Success\", \"AccessKeyId\": \"ASIAINSTANCEKEY00001\", \"SecretAccessKey\": \"is\", \"Token\": \"it\", \"Expiration\": \"2099-01-01T00:00:00Z\"}".utf8))
            default:
                return QuiltHTTPResponse(status: 404)
            }
        }
        let c = try await AWSCredentialChain(aws: [:], transport: t).credentials()
        #expect(c.accessKeyId == "ASIAINSTANCEKEY00001" && c.source == "instance role my-role")
        #expect(t.requests.first?.header("x-aws-ec2-metadata-token-ttl-seconds") == "21600")
    }

    @Test("With nothing configured the error names every source tried; IMDS can be disabled")
    func nothing() async throws {
        do {
            _ = try await AWSCredentialChain(aws: [:], transport: Self.offline).credentials()
            Issue.record("expected unauthenticated")
        } catch {
            #expect(error.kind == "unauthenticated")
            for name in ["environment", "shared credentials", "web identity", "container", "instance metadata"] {
                #expect(error.message.contains(name), "\(name) missing from \(error.message)")
            }
        }
        let t = ScriptedTransport { _ throws(QuiltOpsError) in QuiltHTTPResponse(status: 500) }
        await #expect(throws: QuiltOpsError.self) { _ = try await AWSCredentialChain(aws: ["AWS_EC2_METADATA_DISABLED": "true"], transport: t).credentials() }
        #expect(t.requests.isEmpty)
    }

    @Test("Stateless snapshots (no HOME, no file variables) never read the shared files")
    func statelessReadsNoFiles() async throws {
        let home = try temporaryDirectory("home")
        try write("[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = f\n", to: home + "/.aws/credentials")
        // What Mode.aws holds in stateless state: AWS_* variables only, without HOME or the file variables.
        await #expect(throws: QuiltOpsError.self) {
            _ = try await AWSCredentialChain(aws: ["AWS_EC2_METADATA_DISABLED": "true"], transport: Self.offline).credentials()
        }
    }

    @Test("Credentials are cached, refreshed before they expire, and fetched once however many ask at once")
    func cachingAndRefresh() async throws {
        let clock = ManualClock()
        let fetches = Counter()
        let provider = RefreshingCredentials(clock: clock.closure) { () throws(QuiltOpsError) -> AWSCredentials in
            let n = fetches.next()
            try? await Task.sleep(for: .milliseconds(20))
            return AWSCredentials(accessKeyId: "AKID\(n)", secretAccessKey: "s", expiration: clock.date.addingTimeInterval(3600), source: "t")
        }
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<50 { group.addTask { try await provider.credentials().accessKeyId } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(ids == ["AKID1"] && fetches.count == 1)
        clock.advance(3000)
        #expect(try await provider.credentials().accessKeyId == "AKID1", "still 10 minutes left")
        clock.advance(400)
        #expect(try await provider.credentials().accessKeyId == "AKID2", "refreshed inside the 5-minute window")
        await provider.invalidate()
        #expect(try await provider.credentials().accessKeyId == "AKID3")
    }

    @Test("A failed refresh keeps credentials that are still valid, and fails once they are about to expire")
    func refreshFailure() async throws {
        let clock = ManualClock()
        let fetches = Counter()
        let provider = RefreshingCredentials(clock: clock.closure) { () throws(QuiltOpsError) -> AWSCredentials in
            if fetches.next() > 1 { throw .remote("STS is down", retryable: true) }
            return AWSCredentials(accessKeyId: "AKID", secretAccessKey: "s", expiration: clock.date.addingTimeInterval(600), source: "t")
        }
        _ = try await provider.credentials()
        clock.advance(400)
        #expect(try await provider.credentials().accessKeyId == "AKID")
        clock.advance(170)
        await #expect(throws: QuiltOpsError.self) { _ = try await provider.credentials() }
    }
}
