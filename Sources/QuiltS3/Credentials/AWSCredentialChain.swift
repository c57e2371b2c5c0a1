package import FoundationEssentials
package import QuiltContract
package import QuiltHTTP

/// The AWS SDKs' default credential chain, in their order:
/// 1. environment variables (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`);
/// 2. the shared `credentials`/`config` files, profile `AWS_PROFILE` (else `default`): static keys,
///    `credential_process`, `role_arn` with `web_identity_token_file` or `source_profile`;
/// 3. web identity (`AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`) through STS;
/// 4. ECS/EKS container credentials (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` / `_FULL_URI`);
/// 5. EC2 instance metadata (IMDSv2), unless `AWS_EC2_METADATA_DISABLED=true`.
///
/// Reads only the snapshot it is given (`Mode.aws`; in stateless mode that has no `HOME` or file variables, so
/// no file under HOME is opened). The first source that answers is remembered; its credentials are cached and
/// refreshed before they expire, one fetch at a time.
package struct AWSCredentialChain: CredentialsProvider {
    let aws: [String: String]
    let transport: any HTTPTransport
    let clock: @Sendable () -> Date
    private let cache: RefreshingCredentials
    private let winner: WinnerBox

    /// - Parameter childEnvironment: the environment a profile's `credential_process` runs with (`Mode.childEnvironment`).
    package init(
        aws: [String: String], childEnvironment: [String: String] = [:], transport: any HTTPTransport,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.aws = aws
        self.transport = transport
        self.clock = clock
        let winner = WinnerBox()
        self.winner = winner
        let sources = Self.sources(aws: aws, childEnvironment: childEnvironment, transport: transport, clock: clock)
        self.cache = RefreshingCredentials(clock: clock) { () throws(QuiltOpsError) -> AWSCredentials in
            if let i = await winner.index, let c = try await sources[i].resolve() { return c }
            for (i, source) in sources.enumerated() {
                if let c = try await source.resolve() {
                    await winner.set(i)
                    return c
                }
            }
            throw .unauthenticated(
                "no AWS credentials found. Tried: " + sources.map(\.name).joined(separator: ", ")
                    + ". Set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or run where a role is available.")
        }
    }

    package func credentials() async throws(QuiltOpsError) -> AWSCredentials { try await cache.credentials() }
    package func invalidate() async { await cache.invalidate() }

    /// The profile the chain reads: `AWS_PROFILE`, else `AWS_DEFAULT_PROFILE`, else `default`.
    package static func profileName(aws: [String: String]) -> String {
        [aws["AWS_PROFILE"], aws["AWS_DEFAULT_PROFILE"]].compactMap { $0 }.first { !$0.isEmpty } ?? "default"
    }

    /// The active profile's credentials alone (no other source of the chain), nil when the profile has none.
    package static func profileCredentials(
        aws: [String: String], childEnvironment: [String: String] = [:], transport: any HTTPTransport,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) async throws(QuiltOpsError) -> AWSCredentials? {
        try await ProfileSource(aws: aws, childEnvironment: childEnvironment, transport: transport, clock: clock).resolve()
    }

    /// The region the shared config gives the active profile, if any.
    package static func profileRegion(aws: [String: String]) -> String? {
        SharedConfigFiles.load(aws: aws).value("region", profile: profileName(aws: aws))
    }

    static func sources(
        aws: [String: String], childEnvironment: [String: String], transport: any HTTPTransport,
        clock: @escaping @Sendable () -> Date
    ) -> [any CredentialSource] {
        [
            EnvironmentSource(aws: aws),
            ProfileSource(aws: aws, childEnvironment: childEnvironment, transport: transport, clock: clock),
            WebIdentitySource(aws: aws, transport: transport, clock: clock),
            ContainerSource(aws: aws, transport: transport),
            InstanceMetadataSource(aws: aws, transport: transport),
        ]
    }
}

/// The index of the chain's winning source.
actor WinnerBox {
    var index: Int?
    func set(_ i: Int) { index = i }
}

/// One link of the chain: nil when it is not configured here (try the next one); throws when it is configured
/// but fails (the SDKs do not fall through then either).
protocol CredentialSource: Sendable {
    var name: String { get }
    func resolve() async throws(QuiltOpsError) -> AWSCredentials?
}

// MARK: - Environment

struct EnvironmentSource: CredentialSource {
    let aws: [String: String]
    var name: String { "environment variables" }
    func resolve() async throws(QuiltOpsError) -> AWSCredentials? {
        guard let id = aws["AWS_ACCESS_KEY_ID"], !id.isEmpty else { return nil }
        guard let secret = aws["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty else {
            throw .unauthenticated("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not.")
        }
        let token = aws["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        return AWSCredentials(
            accessKeyId: id, secretAccessKey: secret, sessionToken: token,
            expiration: aws["AWS_CREDENTIAL_EXPIRATION"].flatMap { HTTPDate.parse($0) }, source: "environment")
    }
}

// MARK: - Web identity

struct WebIdentitySource: CredentialSource {
    let aws: [String: String]
    let transport: any HTTPTransport
    let clock: @Sendable () -> Date
    var name: String { "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)" }
    func resolve() async throws(QuiltOpsError) -> AWSCredentials? {
        guard let file = aws["AWS_WEB_IDENTITY_TOKEN_FILE"], !file.isEmpty, let role = aws["AWS_ROLE_ARN"], !role.isEmpty else {
            return nil
        }
        return try await Self.assume(
            role: role, tokenFile: file, session: aws["AWS_ROLE_SESSION_NAME"], aws: aws,
            region: aws["AWS_REGION"] ?? aws["AWS_DEFAULT_REGION"], transport: transport, clock: clock)
    }

    static func assume(
        role: String, tokenFile: String, session: String?, aws: [String: String], region: String?, transport: any HTTPTransport,
        clock: @escaping @Sendable () -> Date
    ) async throws(QuiltOpsError) -> AWSCredentials {
        guard let data = FileManager.default.contents(atPath: tokenFile) else {
            throw .unauthenticated("the web identity token file \(tokenFile) cannot be read.")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingWhitespace()
        let sts = STSClient(aws: aws, region: region, transport: transport, clock: clock)
        return try await sts.assumeRoleWithWebIdentity(
            roleArn: role, sessionName: session ?? "quilt-mcp-\(Int(clock().timeIntervalSince1970))", token: token)
    }
}
