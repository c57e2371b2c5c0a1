package import QuiltContract
package import QuiltHTTP
package import QuiltMode
import QuiltAccess
import QuiltS3

extension BackendFactory {
    /// Access checks for `mode` over the package backend `ops`: AWS probes signed with the credentials the S3 client
    /// uses (the caller's token exchanged at the catalog with auth=jwt, a quilt3 session, the AWS chain), the
    /// catalog's user and buckets through `ops`. The AWS clients are made on the first probe, so a malformed AWS
    /// setting is that probe's answer, not a failure to start.
    package static func access(
        mode: Mode, ops: any QuiltOps, credentials caller: RequestCredentials? = nil, transport: any HTTPTransport = sharedTransport
    ) -> any AccessOps {
        let reachesAWS = mode.api == .platform || mode.auth != .iam || mode.registry.map { $0.kind == .s3 } ?? true
            || awsCredentialVariables.contains { mode.aws[$0]?.isEmpty == false }
        let made = FirstUse { () throws(QuiltOpsError) -> AccessEngine.AWS in
            let s3 = if let caller {
                try s3Client(mode: mode, bearerToken: caller.bearerToken, tokenDigest: caller.tokenDigest, transport: transport).client
            } else {
                try localS3Client(mode: mode, transport: transport)
            }
            let sts = STSClient(aws: mode.aws, region: s3.configuration.region, transport: transport, clock: s3.configuration.clock)
            return AccessEngine.AWS(s3: s3, sts: sts)
        }
        return AccessEngine(ops: ops, configured: mode.registry) {
            guard reachesAWS else { return nil }
            do throws(QuiltOpsError) { return .success(try made.get()) } catch { return .failure(error) }
        }
    }

    /// Variables that name AWS credentials for the chain: with one of them a local registry's deployment still probes AWS.
    static let awsCredentialVariables = [
        "AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    ]
}
