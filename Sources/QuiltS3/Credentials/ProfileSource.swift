import Dispatch
import FoundationEssentials
import QuiltContract
import QuiltHTTP
import QuiltJSON

/// Credentials from the shared files' active profile: static keys, `credential_process`, AWS SSO (the cached
/// `aws sso login` token), or a role assumed with `web_identity_token_file`, `source_profile` (one level of
/// chaining, static source keys) or `credential_source` (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`).
struct ProfileSource: CredentialSource {
    let aws: [String: String]
    /// What `credential_process` runs with.
    let childEnvironment: [String: String]
    let transport: any HTTPTransport
    let clock: @Sendable () -> Date
    var name: String { "shared credentials/config files (profile \(AWSCredentialChain.profileName(aws: aws)))" }

    func resolve() async throws(QuiltOpsError) -> AWSCredentials? {
        let files = SharedConfigFiles.load(aws: aws)
        let profile = AWSCredentialChain.profileName(aws: aws)
        let explicit = aws["AWS_PROFILE"] != nil || aws["AWS_DEFAULT_PROFILE"] != nil
        guard files.has(profile) else {
            if explicit && (aws["AWS_ACCESS_KEY_ID"] ?? "").isEmpty {
                throw .unauthenticated("AWS profile '\(profile)' is not in the shared credentials or config file.")
            }
            return nil
        }
        return try await credentials(profile, files, depth: 0)
    }

    func credentials(_ profile: String, _ files: SharedConfigFiles, depth: Int) async throws(QuiltOpsError) -> AWSCredentials? {
        let region = files.value("region", profile: profile) ?? aws["AWS_REGION"] ?? aws["AWS_DEFAULT_REGION"]
        if let role = files.value("role_arn", profile: profile), depth == 0 {
            if let tokenFile = files.value("web_identity_token_file", profile: profile) {
                return try await WebIdentitySource.assume(
                    role: role, tokenFile: tokenFile, session: files.value("role_session_name", profile: profile), aws: aws,
                    region: region, transport: transport, clock: clock)
            }
            let source: AWSCredentials
            if let sourceProfile = files.value("source_profile", profile: profile) {
                guard let found = try await credentials(sourceProfile, files, depth: depth + 1) else {
                    throw .unauthenticated("profile '\(profile)' assumes \(role) from source_profile '\(sourceProfile)', which has no keys.")
                }
                source = found
            } else if let named = files.value("credential_source", profile: profile) {
                source = try await credentialSource(named, profile: profile, role: role)
            } else {
                throw .unauthenticated("profile '\(profile)' has role_arn but neither source_profile nor credential_source.")
            }
            let sts = STSClient(aws: aws, region: region, transport: transport, clock: clock)
            return try await sts.assumeRole(
                roleArn: role, sessionName: files.value("role_session_name", profile: profile) ?? "quilt-mcp-\(Int(clock().timeIntervalSince1970))",
                externalId: files.value("external_id", profile: profile), using: source)
        }
        if let id = files.value("aws_access_key_id", profile: profile) {
            guard let secret = files.value("aws_secret_access_key", profile: profile) else {
                throw .unauthenticated("profile '\(profile)' has aws_access_key_id but no aws_secret_access_key.")
            }
            return AWSCredentials(
                accessKeyId: id, secretAccessKey: secret, sessionToken: files.value("aws_session_token", profile: profile),
                source: "profile \(profile)")
        }
        if let command = files.value("credential_process", profile: profile) {
            return try await CredentialProcess.run(command, environment: childEnvironment, profile: profile)
        }
        if let sso = try SSOSource.settings(profile: profile, files: files) {
            return try await SSOSource.credentials(profile: profile, settings: sso, aws: aws, transport: transport, clock: clock)
        }
        return nil
    }
}

extension ProfileSource {
    /// The credentials a `credential_source` names: `Environment`, `Ec2InstanceMetadata` or `EcsContainer`.
    /// - Throws: `unauthenticated` for another value, or when the named source has no credentials.
    func credentialSource(_ named: String, profile: String, role: String) async throws(QuiltOpsError) -> AWSCredentials {
        let source: any CredentialSource
        switch named {
        case "Environment": source = EnvironmentSource(aws: aws)
        case "Ec2InstanceMetadata": source = InstanceMetadataSource(aws: aws, transport: transport)
        case "EcsContainer": source = ContainerSource(aws: aws, transport: transport)
        default:
            throw .unauthenticated(
                "profile '\(profile)' has credential_source = \(named); use Environment, Ec2InstanceMetadata or EcsContainer.")
        }
        guard let credentials = try await source.resolve() else {
            throw .unauthenticated("profile '\(profile)' assumes \(role) with credentials from \(source.name), which has none.")
        }
        return credentials
    }
}

/// Runs a profile's `credential_process` (through `/bin/sh -c`) and reads its JSON (`Version` 1).
enum CredentialProcess {
    static func run(_ command: String, environment: [String: String], profile: String) async throws(QuiltOpsError) -> AWSCredentials {
        let outcome: ShellCommand.Outcome? = await withCheckedContinuation { continuation in
            // A queue of its own: libdispatch gives it a thread even when the shared pool is busy (it blocks on the child).
            DispatchQueue(label: "quilt-mcp credential_process").async {
                continuation.resume(returning: ShellCommand.run(command, environment: environment))
            }
        }
        guard let outcome else {
            throw .unauthenticated("credential_process of profile '\(profile)' could not be started (/bin/sh is missing).")
        }
        let result = (outcome.status, outcome.output)
        guard result.0 == 0 else {
            throw .unauthenticated("credential_process of profile '\(profile)' failed (exit status \(result.0)).")
        }
        guard let json = try? JSONParser.parse(result.1), json["Version"]?.intValue == 1,
            let id = json["AccessKeyId"]?.stringValue, let secret = json["SecretAccessKey"]?.stringValue
        else {
            throw .unauthenticated("credential_process of profile '\(profile)' did not print Version 1 credentials JSON.")
        }
        return AWSCredentials(
            accessKeyId: id, secretAccessKey: secret, sessionToken: json["SessionToken"]?.stringValue,
            expiration: HTTPDate.parse(json["Expiration"]?.stringValue), source: "credential_process (profile \(profile))")
    }
}
