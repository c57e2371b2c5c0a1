package import FoundationEssentials
package import QuiltContract
package import QuiltHTTP
package import QuiltS3

/// Everything the Platform backend needs to reach one catalog as one caller.
package struct PlatformConfiguration: Sendable {
    /// The catalog web URL; its `config.json` names the registry API (fetched once per process, see
    /// ``CatalogDirectory``). Needed unless ``registryURL`` is given.
    package var catalogURL: String?
    /// The registry API base URL; overrides discovery from ``catalogURL``.
    package var registryURL: String?
    /// The caller's bearer token (a catalog JWT or `qk_` API key), sent as `Authorization: Bearer`.
    package var bearerToken: String?
    /// Where the token comes from when ``bearerToken`` is nil: a login that refreshes (quilt3's `auth.json`).
    package var tokenSource: (any BearerTokenSource)?
    /// How the token reached us, for `authStatus` (`jwt`, or `quilt3-session`).
    package var authMethod: String
    package var transport: any HTTPTransport
    /// Backoff for idempotent GraphQL queries and REST reads (mutations are never retried).
    package var retry: RetryPolicy
    /// An S3-compatible endpoint for object access (tests, MinIO); nil means AWS.
    package var s3Endpoint: HTTPURL?
    /// The AWS region for object access; nil uses the catalog's `config.json` region, else `us-east-1`.
    package var s3Region: String?
    /// Backoff for S3 requests.
    package var s3Retry: RetryPolicy
    /// Removes the write capabilities.
    package var readOnly: Bool
    /// Whether callers may reach this machine's files (local sources, `file://` URLs): the mode's
    /// `serverFiles`. Refused unless set.
    package var serverFiles: ServerFileAccess
    /// The largest catalog answer or S3 response held in memory (the mode's `max_object_bytes`).
    package var maxObjectBytes: Int
    /// Revisions with at most this many entries are read whole with `contentsFlatMap` (with entry hashes);
    /// larger ones are browsed directory by directory with `dir(path)`.
    package var contentsLimit: Int
    /// Config, schema features and AWS credentials per catalog (process-wide by default).
    package var directory: CatalogDirectory
    /// Revision contents by top hash, per caller (process-wide by default).
    package var contents: ContentsCache
    /// "Now", for presigned URLs and signing.
    package var clock: @Sendable () -> Date

    package init(
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
package protocol BearerTokenSource: Sendable {
    /// The token to send to the registry API at `registry`.
    /// - Throws: `unauthenticated` naming how to log in when there is no usable token.
    func bearerToken(registry: String) async throws(QuiltOpsError) -> String
}
