import Foundation
import QuiltHTTP
import QuiltContract
import QuiltS3

/// Everything the Platform backend needs to reach one catalog as one caller.
public struct PlatformConfiguration: Sendable {
    /// The catalog web URL; its `config.json` names the registry API (fetched once per process, see
    /// ``CatalogDirectory``). Needed unless ``registryURL`` is given.
    public var catalogURL: String?
    /// The registry API base URL; overrides discovery from ``catalogURL``.
    public var registryURL: String?
    /// The caller's bearer token (a catalog JWT or `qk_` API key), sent as `Authorization: Bearer`.
    public var bearerToken: String?
    /// Where the token comes from when ``bearerToken`` is nil: a login that refreshes (quilt3's `auth.json`).
    public var tokenSource: (any BearerTokenSource)?
    /// How the token reached us, for `authStatus` (`jwt`, or `quilt3-session`).
    public var authMethod: String
    public var transport: any HTTPTransport
    /// Backoff for idempotent GraphQL queries and REST reads (mutations are never retried).
    public var retry: RetryPolicy
    /// An S3-compatible endpoint for object access (tests, MinIO); nil means AWS.
    public var s3Endpoint: HTTPURL?
    /// The AWS region for object access; nil uses the catalog's `config.json` region, else `us-east-1`.
    public var s3Region: String?
    /// Backoff for S3 requests.
    public var s3Retry: RetryPolicy
    /// Removes the write capabilities.
    public var readOnly: Bool
    /// Whether callers may reach this machine's files (local sources, `file://` URLs): the mode's
    /// `serverFiles`. Refused unless set.
    public var serverFiles: ServerFileAccess
    /// The largest catalog answer or S3 response held in memory (the mode's `max_object_bytes`).
    public var maxObjectBytes: Int
    /// Revisions with at most this many entries are read whole with `contentsFlatMap` (with entry hashes);
    /// larger ones are browsed directory by directory with `dir(path)`.
    public var contentsLimit: Int
    /// Config, schema features and AWS credentials per catalog (process-wide by default).
    public var directory: CatalogDirectory
    /// Revision contents by top hash, per caller (process-wide by default).
    public var contents: ContentsCache
    /// "Now", for presigned URLs and signing.
    public var clock: @Sendable () -> Date

    public init(
        catalogURL: String?, registryURL: String? = nil, bearerToken: String?, tokenSource: (any BearerTokenSource)? = nil,
        authMethod: String = "jwt",
        transport: any HTTPTransport, retry: RetryPolicy = .standard, s3Endpoint: HTTPURL? = nil, s3Region: String? = nil,
        s3Retry: RetryPolicy = .standard, readOnly: Bool = false, serverFiles: ServerFileAccess = .forbidden(by: "the Platform backend's configuration (serverFiles not set)"), contentsLimit: Int = 10_000, maxObjectBytes: Int = QuiltHTTPRequest.defaultMaxResponseBytes,
        directory: CatalogDirectory = .shared, contents: ContentsCache = .shared, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.catalogURL = catalogURL.map(Self.trimmed)
        self.registryURL = registryURL.map(Self.trimmed)
        self.bearerToken = bearerToken
        self.tokenSource = tokenSource
        self.authMethod = authMethod
        self.transport = transport
        self.retry = retry
        self.s3Endpoint = s3Endpoint
        self.s3Region = s3Region
        self.s3Retry = s3Retry
        self.readOnly = readOnly
        self.serverFiles = serverFiles
        self.maxObjectBytes = maxObjectBytes
        self.contentsLimit = contentsLimit
        self.directory = directory
        self.contents = contents
        self.clock = clock
    }

    static func trimmed(_ url: String) -> String {
        var u = url
        while u.hasSuffix("/") { u.removeLast() }
        return u
    }
}

/// A bearer token that is not fixed for the backend's life: looked up (and refreshed) per use.
public protocol BearerTokenSource: Sendable {
    /// The token to send to the registry API at `registry`.
    /// - Throws: `unauthenticated` naming how to log in when there is no usable token.
    func bearerToken(registry: String) async throws(QuiltOpsError) -> String
}
