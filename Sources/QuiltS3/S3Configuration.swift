package import FoundationEssentials
package import QuiltHTTP

/// Where and how the S3 client talks: region, endpoint, addressing style, retries and the clock used for signing.
package struct S3Configuration: Sendable {
    /// The default signing region (buckets elsewhere are found through S3's redirects).
    package var region: String
    /// A custom endpoint (S3-compatible servers, emulators); nil for AWS.
    package var endpoint: HTTPURL?
    /// Path-style (`endpoint/bucket/key`) rather than virtual-host (`bucket.endpoint/key`) addressing.
    /// Custom endpoints default to path-style.
    package var forcePathStyle: Bool
    package var retry: RetryPolicy
    /// "Now" for signatures and presigned URLs (fixed in replayed tests).
    package var clock: @Sendable () -> Date
    /// The largest response held whole (listings, error bodies, objects read without streaming): the mode's
    /// `max_object_bytes`; a larger one is `tooLarge`.
    package var maxResponseBytes: Int

    package init(
        region: String = "us-east-1", endpoint: HTTPURL? = nil, forcePathStyle: Bool? = nil, retry: RetryPolicy = .standard,
        clock: @escaping @Sendable () -> Date = { Date() }, maxResponseBytes: Int = QuiltHTTPRequest.defaultMaxResponseBytes
    ) {
        self.maxResponseBytes = maxResponseBytes
        self.region = region
        self.endpoint = endpoint
        self.forcePathStyle = forcePathStyle ?? (endpoint != nil)
        self.retry = retry
        self.clock = clock
    }

    /// The configuration the AWS SDKs would derive from these variables (a snapshot; nothing is read here):
    /// `AWS_ENDPOINT_URL_S3`, else `AWS_ENDPOINT_URL` (unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`);
    /// region `AWS_REGION`, else `AWS_DEFAULT_REGION`, else `fallbackRegion` (profile or quilt3 config), else
    /// `us-east-1`.
    /// - Throws: `QuiltOpsError.invalidInput(field: "AWS_ENDPOINT_URL…")` for an endpoint that is not an http(s) URL.
    package static func from(
        aws: [String: String], fallbackRegion: String? = nil, retry: RetryPolicy = .standard
    ) throws(QuiltOpsError) -> S3Configuration {
        let region = [aws["AWS_REGION"], aws["AWS_DEFAULT_REGION"], fallbackRegion].compactMap { $0 }.first { !$0.isEmpty } ?? "us-east-1"
        return S3Configuration(region: region, endpoint: try configuredEndpoint(aws: aws), retry: retry)
    }

    /// The configured S3 endpoint, in the AWS SDKs' order: `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`, then the
    /// active profile's `services` section (`s3 =` / `endpoint_url = …`) and its own `endpoint_url` in the shared
    /// config file; none when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` or the profile's
    /// `ignore_configured_endpoint_urls` is true.
    /// - Throws: `invalidInput` naming the variable or the config file setting whose value is not an http(s) URL.
    static func configuredEndpoint(aws: [String: String]) throws(QuiltOpsError) -> HTTPURL? {
        if aws["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() == "true" { return nil }
        func url(_ text: String, field: String) throws(QuiltOpsError) -> HTTPURL {
            guard let url = HTTPURL(text) else {
                throw .invalidInput(field: field, reason: "'\(text)' is not an http(s) URL (e.g. http://127.0.0.1:9000).")
            }
            return url
        }
        for name in ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"] {
            if let text = aws[name], !text.isEmpty { return try url(text, field: name) }
        }
        let files = SharedConfigFiles.load(aws: aws)
        let profile = AWSCredentialChain.profileName(aws: aws)
        guard let settings = files.config[profile] else { return nil }
        if settings["ignore_configured_endpoint_urls"]?.lowercased() == "true" { return nil }
        if let services = settings["services"], let text = files.config["services " + services]?["s3.endpoint_url"], !text.isEmpty {
            return try url(text, field: "s3 endpoint_url in [services \(services)] of the AWS config file")
        }
        if let text = settings["endpoint_url"], !text.isEmpty {
            return try url(text, field: "endpoint_url of profile \(profile) in the AWS config file")
        }
        return nil
    }
}

package import QuiltContract

/// Builds request URLs for buckets and keys.
struct S3Addressing: Sendable {
    let configuration: S3Configuration

    /// The URL of `key` in `bucket` (or of the bucket itself when `key` is nil, or of the service when both are),
    /// with `query` already encoded.
    func url(bucket: String?, key: String?, query: [(String, String)], region: String) -> String {
        let q = query.isEmpty ? "" : "?" + FormEncoding.query(query)
        let encodedKey = key.map { FormEncoding.encode($0, keepSlash: true) } ?? ""
        let origin: String
        let basePath: String
        if let endpoint = configuration.endpoint {
            let prefix = endpoint.path == "/" ? "" : (endpoint.path.hasSuffix("/") ? String(endpoint.path.dropLast()) : endpoint.path)
            if let bucket, !pathStyle(bucket) {
                origin = "\(endpoint.scheme)://\(bucket).\(endpoint.hostHeader)"
                basePath = prefix
            } else {
                origin = endpoint.origin
                basePath = prefix + (bucket.map { "/" + $0 } ?? "")
            }
        } else {
            let host = "s3.\(region).amazonaws.com"
            if let bucket, !pathStyle(bucket) {
                origin = "https://\(bucket).\(host)"
                basePath = ""
            } else {
                origin = "https://\(host)"
                basePath = bucket.map { "/" + $0 } ?? ""
            }
        }
        if key != nil { return origin + basePath + "/" + encodedKey + q }
        return origin + (basePath.isEmpty ? "/" : basePath + (bucket == nil || pathStyle(bucket ?? "") ? "" : "/")) + q
    }

    /// Path-style when forced, or when the bucket name cannot be a DNS label under TLS (dots, upper case, `_`).
    func pathStyle(_ bucket: String) -> Bool {
        if configuration.forcePathStyle { return true }
        let ok = bucket.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "-") }
        return !ok || bucket.count < 3 || bucket.count > 63
    }
}
