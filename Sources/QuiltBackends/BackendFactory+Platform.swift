import Foundation
import QuiltHTTP
import QuiltMode
import QuiltOps
import QuiltPlatform
import QuiltS3

extension BackendFactory {
    /// The Platform backend for `mode` (api=platform), acting with `bearerToken`: the per-request token over HTTP,
    /// the configured `QUILT_MCP_JWT_TOKEN` over stdio.
    ///
    /// The registry API is `mode.registryAPIURL`, else discovered once per process from
    /// `<mode.catalogURL>/config.json`. Object bytes go through S3 with the catalog's AWS credentials for the token;
    /// `AWS_ENDPOINT_URL_S3`/`AWS_ENDPOINT_URL` and `AWS_REGION` from `mode.aws` override the endpoint and the
    /// catalog's region. Read-only removes the write capabilities; stateless state refuses local files as sources.
    /// - Throws: `invalidInput` for a malformed endpoint variable.
    public static func makePlatform(
        mode: Mode, bearerToken: String?, transport: any HTTPTransport = sharedTransport,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws(QuiltOpsError) -> any QuiltOps {
        let s3 = try S3Configuration.from(aws: mode.aws)
        let explicitRegion = [mode.aws["AWS_REGION"], mode.aws["AWS_DEFAULT_REGION"]].compactMap { $0 }.first { !$0.isEmpty }
        return PlatformBackend(
            configuration: PlatformConfiguration(
                catalogURL: mode.catalogURL, registryURL: mode.registryAPIURL, bearerToken: bearerToken,
                authMethod: mode.auth.rawValue, transport: transport, s3Endpoint: s3.endpoint, s3Region: explicitRegion,
                readOnly: mode.readOnly, allowsLocalFiles: mode.state == .persistent, clock: clock))
    }
}
