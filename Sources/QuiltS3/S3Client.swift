import Crypto
package import FoundationEssentials
package import QuiltContract
package import QuiltHTTP
import Synchronization

/// An S3 client over the `HTTPTransport` seam: SigV4-signed requests, path-style or virtual-host addressing,
/// per-bucket region discovery from S3's redirects, bounded retries with backoff, and S3 errors mapped to
/// `QuiltOpsError`. Operations are in the `S3Client+…` files.
package struct S3Client: Sendable {
    package let transport: any HTTPTransport
    package let credentials: any CredentialsProvider
    package let configuration: S3Configuration
    let regions: BucketRegions

    package init(transport: any HTTPTransport, credentials: any CredentialsProvider, configuration: S3Configuration) {
        self.transport = transport
        self.credentials = credentials
        self.configuration = configuration
        self.regions = BucketRegions()
    }

    var addressing: S3Addressing { S3Addressing(configuration: configuration) }

    /// The region requests for `bucket` are signed for (learned from redirects, else the configured one).
    package func region(for bucket: String?) -> String {
        bucket.flatMap { regions.get($0) } ?? configuration.region
    }

    // MARK: - Calls

    /// One S3 operation, before addressing and signing.
    struct Call: Sendable {
        var operation: String
        var method: String
        var bucket: String?
        var key: String?
        var query: [(String, String)] = []
        var headers: [HTTPField] = []
        var body: [UInt8] = []
        /// Hex SHA-256 of `body` when already known (saves hashing twice).
        var payloadHash: String? = nil

        /// `s3://bucket/key` for messages.
        var subject: String {
            guard let bucket else { return "s3://" }
            return "s3://\(bucket)" + (key.map { "/" + $0 } ?? "")
        }
    }

    /// Sends `call` and returns the successful (2xx) response.
    /// - Throws: the mapped S3 error after retries; `.remote(_, retryable: true)` when retries ran out.
    func execute(_ call: Call) async throws(QuiltOpsError) -> QuiltHTTPResponse {
        try await run(call) { (request) throws(QuiltOpsError) in
            let r = try await transport.send(request)
            return (r.status, r.headers, { () throws(QuiltOpsError) in r }, r)
        }
    }

    /// Sends `call` and returns the successful response with its body still streaming.
    func executeStreaming(_ call: Call) async throws(QuiltOpsError) -> QuiltHTTPStreamingResponse {
        try await run(call) { (request) throws(QuiltOpsError) in
            let r = try await transport.stream(request)
            return (r.status, r.headers, { () throws(QuiltOpsError) in
                try await r.collect(upTo: request.maxResponseBytes, tooLarge: request.responseTooLarge)
            }, r)
        }
    }

    /// The retry loop shared by whole and streamed calls.
    private func run<R: Sendable>(
        _ call: Call,
        _ send: (QuiltHTTPRequest) async throws(QuiltOpsError) -> (
            Int, [HTTPField], () async throws(QuiltOpsError) -> QuiltHTTPResponse, R
        )
    ) async throws(QuiltOpsError) -> R {
        let policy = configuration.retry
        var attempt = 0
        var redirected = false
        var refreshed = false
        while true {
            attempt += 1
            try checkCancelled(call)
            let region = region(for: call.bucket)
            let request = try await signedRequest(call, region: region)
            let status: Int
            let whole: () async throws(QuiltOpsError) -> QuiltHTTPResponse
            let result: R
            do {
                (status, _, whole, result) = try await send(request)
            } catch {
                if case .remote(let message, true) = error {
                    if attempt < policy.maxAttempts {
                        await policy.sleep(policy.delay(afterAttempt: attempt))
                        continue
                    }
                    throw .remote("\(message) (after \(attempt) attempt\(attempt == 1 ? "" : "s"))", retryable: true)
                }
                throw error
            }
            if (200..<300).contains(status) { return result }
            let failure = S3ErrorResponse(try await whole())
            if let bucket = call.bucket, let learned = failure.bucketRegion, learned != region, !redirected,
                configuration.endpoint == nil
            {
                regions.set(bucket, learned)
                redirected = true
                attempt -= 1
                continue
            }
            if ["ExpiredToken", "TokenRefreshRequired"].contains(failure.code), !refreshed {
                refreshed = true
                await credentials.invalidate()
                attempt -= 1
                continue
            }
            if failure.isRetryable {
                if attempt < policy.maxAttempts {
                    await policy.sleep(policy.delay(afterAttempt: attempt))
                    continue
                }
                throw .remote(
                    "\(call.operation) \(call.subject): \(failure.code) (after \(attempt) attempt\(attempt == 1 ? "" : "s"))",
                    retryable: true)
            }
            throw failure.error(operation: call.operation, subject: call.subject, bucket: call.bucket)
        }
    }

    private func checkCancelled(_ call: Call) throws(QuiltOpsError) {
        if Task.isCancelled { throw .cancelled("\(call.operation) \(call.subject) was cancelled.") }
    }

    /// The request for `call`, addressed for `region` and signed with current credentials.
    func signedRequest(_ call: Call, region: String) async throws(QuiltOpsError) -> QuiltHTTPRequest {
        let url = addressing.url(bucket: call.bucket, key: call.key, query: call.query, region: region)
        var request = QuiltHTTPRequest(
            method: call.method, url: url, headers: call.headers, body: call.body, operation: call.operation,
            maxResponseBytes: configuration.maxResponseBytes)
        let creds = try await credentials.credentials()
        let signer = SigV4Signer(region: region, service: "s3")
        signer.sign(&request, credentials: creds, date: configuration.clock(), payloadHash: call.payloadHash)
        return request
    }

    // MARK: - Presigning

    /// A presigned GET URL for `key` (optionally one version) valid for `expires` seconds (1…604800).
    package func presignedGetURL(bucket: String, key: String, versionId: String?, expires: Int) async throws(QuiltOpsError)
        -> (url: String, expiresAt: Date)
    {
        guard (1...604_800).contains(expires) else {
            throw .invalidInput(field: "expiration", reason: "\(expires) must be between 1 and 604800 seconds (7 days).")
        }
        let region = region(for: bucket)
        let url = addressing.url(bucket: bucket, key: key, query: versionId.map { [("versionId", $0)] } ?? [], region: region)
        let creds = try await credentials.credentials()
        let now = configuration.clock()
        let signed = SigV4Signer(region: region, service: "s3").presign(method: "GET", url: url, credentials: creds, date: now, expires: expires)
        return (signed, now.addingTimeInterval(TimeInterval(expires)))
    }

    // MARK: - Helpers

    static func sha256Hex(_ bytes: [UInt8]) -> String { SigV4Signer.hex(SHA256.hash(data: bytes)) }
    static func sha256Base64(_ bytes: [UInt8]) -> String { Data(SHA256.hash(data: bytes)).base64EncodedString() }
}

/// Regions learned per bucket from S3's redirects.
final class BucketRegions: Sendable {
    private let map = Mutex<[String: String]>([:])
    func get(_ bucket: String) -> String? { map.withLock { $0[bucket] } }
    func set(_ bucket: String, _ region: String) { map.withLock { $0[bucket] = region } }
}
