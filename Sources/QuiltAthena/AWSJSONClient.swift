package import FoundationEssentials
package import QuiltContract
package import QuiltHTTP
package import QuiltJSON
package import QuiltS3
import Synchronization

/// A client for an AWS service that speaks the JSON 1.1 protocol (Athena, Glue): every call is a signed
/// `POST /` whose `X-Amz-Target` names the operation and whose body is a JSON object.
///
/// Errors: the service's `__type` and message become typed errors (``QuiltOpsError``); throttling and 5xx are
/// retried with the policy's backoff, then `.remote(_, retryable: true)`.
package struct AWSJSONClient: Sendable {
    /// `athena`, `glue`: the SigV4 signing name.
    package let service: String
    /// `AmazonAthena`, `AWSGlue`: the `X-Amz-Target` prefix.
    package let targetPrefix: String
    /// Where the service is: its endpoint and signing region, fixed or found on the first call.
    package let location: AWSServiceLocation
    package let transport: any HTTPTransport
    package let credentials: any CredentialsProvider
    package var retry: RetryPolicy
    package var clock: @Sendable () -> Date
    /// The largest response held (results pages are at most a few MB).
    package var maxResponseBytes: Int

    package init(
        service: String, targetPrefix: String, endpoint: HTTPURL, region: String, transport: any HTTPTransport,
        credentials: any CredentialsProvider, retry: RetryPolicy = .standard, clock: @escaping @Sendable () -> Date = { Date() },
        maxResponseBytes: Int = QuiltHTTPRequest.defaultMaxResponseBytes
    ) {
        self.init(
            service: service, targetPrefix: targetPrefix, location: .fixed(endpoint: endpoint, region: region), transport: transport,
            credentials: credentials, retry: retry, clock: clock, maxResponseBytes: maxResponseBytes)
    }

    package init(
        service: String, targetPrefix: String, location: AWSServiceLocation, transport: any HTTPTransport,
        credentials: any CredentialsProvider, retry: RetryPolicy = .standard, clock: @escaping @Sendable () -> Date = { Date() },
        maxResponseBytes: Int = QuiltHTTPRequest.defaultMaxResponseBytes
    ) {
        self.service = service
        self.targetPrefix = targetPrefix
        self.location = location
        self.transport = transport
        self.credentials = credentials
        self.retry = retry
        self.clock = clock
        self.maxResponseBytes = maxResponseBytes
    }

    /// The endpoint the AWS SDKs would use for `service`: `AWS_ENDPOINT_URL_<SERVICE>`, else `AWS_ENDPOINT_URL`
    /// (unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`), else `https://<service>.<region>.amazonaws.com`.
    /// - Throws: `.invalidInput` naming the variable whose value is not an http(s) URL.
    package static func endpoint(service: String, region: String, aws: [String: String]) throws(QuiltOpsError) -> HTTPURL {
        if aws["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() != "true" {
            for name in ["AWS_ENDPOINT_URL_" + service.uppercased(), "AWS_ENDPOINT_URL"] {
                guard let text = aws[name], !text.isEmpty else { continue }
                guard let url = HTTPURL(text) else {
                    throw .invalidInput(field: name, reason: "'\(text)' is not an http(s) URL (e.g. http://127.0.0.1:5000).")
                }
                return url
            }
        }
        let host = "https://\(service).\(region).amazonaws.com" + (region.hasPrefix("cn-") ? ".cn" : "")
        guard let url = HTTPURL(host) else { throw .invalidInput(field: "AWS_REGION", reason: "'\(region)' is not a region name.") }
        return url
    }

    // MARK: - Calls

    /// Calls `operation` with `body` and returns the response object.
    /// - Throws: the service's error, typed (see ``error(status:body:operation:)``).
    package func call(_ operation: String, _ body: JSONObject) async throws(QuiltOpsError) -> JSONObject {
        let payload = Array(JSONWriter.compact(.object(body)).utf8)
        let (endpoint, region) = try await location.get()
        var attempt = 0
        var refreshed = false
        while true {
            attempt += 1
            var request = QuiltHTTPRequest(
                method: "POST", url: endpoint.origin + "/",
                headers: [
                    HTTPField("content-type", "application/x-amz-json-1.1"),
                    HTTPField("x-amz-target", "\(targetPrefix).\(operation)"),
                ],
                body: payload, operation: operation, timeout: .seconds(60), maxResponseBytes: maxResponseBytes)
            let creds = try await credentials.credentials()
            SigV4Signer(region: region, service: service).sign(&request, credentials: creds, date: clock())
            let response: QuiltHTTPResponse
            do {
                response = try await transport.send(request)
            } catch let error {
                if case .remote(_, true) = error, attempt < retry.maxAttempts {
                    await retry.sleep(retry.delay(afterAttempt: attempt))
                    continue
                }
                throw error
            }
            if (200..<300).contains(response.status) {
                guard let object = (try? JSONParser.parse(response.body))?.objectValue else {
                    throw .remote("\(service) \(operation) answered HTTP \(response.status) with a body that is not a JSON object.", retryable: false)
                }
                return object
            }
            let failure = Self.error(
                status: response.status, body: response.body, operation: "\(service) \(operation)", field: Self.field(operation))
            if case .unauthenticated = failure, !refreshed {
                refreshed = true
                await credentials.invalidate()
                continue
            }
            if case .remote(_, true) = failure, attempt < retry.maxAttempts {
                await retry.sleep(retry.delay(afterAttempt: attempt))
                continue
            }
            throw failure
        }
    }

    /// The tool argument a refused `operation` is about: the statement, the workgroup, or the database and table.
    static func field(_ operation: String) -> String {
        switch operation {
        case "StartQueryExecution", "GetQueryResults", "GetQueryExecution", "StopQueryExecution": return "query"
        case let op where op.contains("WorkGroup"): return "workgroup_name"
        case "GetTable", "GetTableMetadata": return "table"
        case "GetDatabases", "ListDatabases", "ListDataCatalogs": return "data_catalog_name"
        default: return "database"
        }
    }

    /// Calls `operation`; a not-found from the service names `missing` (what the call asked for).
    package func call(
        _ operation: String, _ body: JSONObject, missing: (kind: String, name: String)
    ) async throws(QuiltOpsError) -> JSONObject {
        do { return try await call(operation, body) } catch { throw error.renamingNotFound(kind: missing.kind, name: missing.name) }
    }

    /// The typed error for a failed response: `__type` (after any `#`) and `message`/`Message` from the body.
    ///
    /// Access denied → `.forbidden`; expired or invalid credentials → `.unauthenticated`; throttling and 5xx →
    /// retryable `.remote`; `MetadataException` (a catalog's own metastore failed) → `.remote`;
    /// `ResourceNotFoundException`/`EntityNotFoundException` → `.notFound`; a request the
    /// service refused (`InvalidRequestException`, `ValidationException`, `InvalidInputException`) →
    /// `.invalidInput(field:)` with the service's words, naming the tool argument the operation takes.
    package static func error(status: Int, body: [UInt8], operation: String, field: String = "query") -> QuiltOpsError {
        let object = (try? JSONParser.parse(body))?.objectValue
        var type = object?["__type"]?.stringValue ?? ""
        if let hash = type.lastIndex(of: "#") { type = String(type[type.index(after: hash)...]) }
        let message = object?["message"]?.stringValue ?? object?["Message"]?.stringValue ?? ""
        let said = "\(operation): \(type.isEmpty ? "HTTP \(status)" : type)" + (message.isEmpty ? "" : ": \(message)")
        switch type {
        case "AccessDeniedException", "AccessDenied", "UnauthorizedOperation":
            return .forbidden(said)
        case "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException", "IncompleteSignature",
             "MissingAuthenticationTokenException", "InvalidClientTokenId":
            return .unauthenticated(said)
        case "ThrottlingException", "TooManyRequestsException", "ServiceUnavailableException", "InternalServerException",
             "InternalFailure", "ServiceUnavailable":
            return .remote(said, retryable: true)
        case "MetadataException":
            // The data catalog's own metastore (a federated or Tabulator Lambda) failed, not the caller's input.
            return .remote(said, retryable: false)
        case "ResourceNotFoundException", "EntityNotFoundException":
            // The caller knows what it asked for and names it (``QuiltOpsError/renamingNotFound(kind:name:)``).
            return .notFound(.analytics(kind: "resource", name: message.isEmpty ? said : message))
        default:
            break
        }
        if status == 403 { return .forbidden(said) }
        if status >= 500 || status == 429 { return .remote(said, retryable: true) }
        if status == 400 {
            // Athena blames the statement for an unknown workgroup; the tool argument at fault is the workgroup's.
            let blamed = field == "query" && message.lowercased().contains("workgroup") ? "workgroup_name" : field
            return .invalidInput(field: blamed, reason: message.isEmpty ? said : message)
        }
        return .remote(said, retryable: false)
    }
}

extension QuiltOpsError {
    /// A not-found from the service, renamed for what the caller asked for (the service's own words lost nothing:
    /// they name the same thing).
    package func renamingNotFound(kind: String, name: String) -> QuiltOpsError {
        if case .notFound(.analytics(kind: "resource", _)) = self { return .notFound(.analytics(kind: kind, name: name)) }
        return self
    }
}

/// Where an AWS service is reached: its endpoint and signing region. Fixed (the deployment names a region), or
/// found on the first call (a remote deployment that names none: the catalog's `config.json` says where its stack
/// runs) and kept once found; a failed lookup is that call's error and the next call tries again.
package struct AWSServiceLocation: Sendable {
    private final class Found: Sendable {
        let value = Mutex<(endpoint: HTTPURL, region: String)?>(nil)
    }
    private let found = Found()
    private let find: @Sendable () async throws(QuiltOpsError) -> (endpoint: HTTPURL, region: String)

    private init(find: @escaping @Sendable () async throws(QuiltOpsError) -> (endpoint: HTTPURL, region: String)) { self.find = find }

    package static func fixed(endpoint: HTTPURL, region: String) -> AWSServiceLocation {
        AWSServiceLocation { () throws(QuiltOpsError) in (endpoint, region) }
    }

    package static func lookup(_ find: @escaping @Sendable () async throws(QuiltOpsError) -> (endpoint: HTTPURL, region: String)) -> AWSServiceLocation {
        AWSServiceLocation(find: find)
    }

    package func get() async throws(QuiltOpsError) -> (endpoint: HTTPURL, region: String) {
        if let known = found.value.withLock({ $0 }) { return known }
        let value = try await find()
        found.value.withLock { $0 = value }
        return value
    }
}
