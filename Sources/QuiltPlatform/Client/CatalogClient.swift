import FoundationEssentials
import QuiltContract
package import QuiltHTTP
package import QuiltJSON
package import QuiltS3

/// Talks to one registry API: GraphQL at `<registry>/graphql` and the REST endpoints, with `Authorization: Bearer`.
///
/// Queries are retried on transient failures (429, 5xx, transport errors, cut-off bodies) with `retry`'s backoff;
/// mutations are sent once. Errors come back as ``CatalogError`` so callers can still tell the union results apart.
package struct CatalogClient: Sendable {
    /// The registry API base URL, without a trailing slash.
    package let registry: String
    package let token: String?
    package let transport: any HTTPTransport
    package let retry: RetryPolicy
    /// The largest answer held in memory; a larger one is `tooLarge` (the mode's `max_object_bytes`).
    package let maxResponseBytes: Int

    package init(
        registry: String, token: String?, transport: any HTTPTransport, retry: RetryPolicy,
        maxResponseBytes: Int = QuiltHTTPRequest.defaultMaxResponseBytes
    ) {
        self.maxResponseBytes = maxResponseBytes
        var r = registry
        while r.hasSuffix("/") { r.removeLast() }
        self.registry = r
        self.token = token
        self.transport = transport
        self.retry = retry
    }

    var authHeaders: [HTTPField] {
        guard let token, !token.isEmpty else { return [] }
        return [HTTPField("authorization", "Bearer \(token)")]
    }

    // MARK: - GraphQL

    /// Sends `operation` with `variables` and returns its `data`; its document is shaped for `features` when they
    /// are given (``CatalogOperation/document(for:)``).
    /// - Throws: ``CatalogError``: `http` for non-2xx answers, `graphQL` when `errors[]` is present, `malformed`
    ///   for a body without `data`.
    package func graphQL(
        _ operation: CatalogOperation, _ variables: JSONObject = [:], features: SchemaFeatures? = nil
    ) async throws(CatalogError) -> JSONValue {
        guard let document = features.map(operation.document(for:)) ?? operation.document else {
            throw .malformed(operation: operation.name, detail: "the operation's document is missing from the QuiltPlatform resource bundle")
        }
        var body: JSONObject = ["query": .string(document), "operationName": .string(operation.name)]
        if !variables.isEmpty { body["variables"] = .object(variables) }
        let request = QuiltHTTPRequest(
            method: "POST", url: registry + "/graphql",
            headers: authHeaders + [HTTPField("content-type", "application/json"), HTTPField("accept", "application/json")],
            body: Array(JSONWriter.compact(.object(body)).utf8), operation: operation.name, timeout: .seconds(60))
        return try await attempt(operation.name, idempotent: !operation.isMutation) { () throws(CatalogError) in
            let response = try await send(request, operation.name)
            return try Self.data(of: response, operation: operation.name)
        }
    }

    /// The `data` of a GraphQL response, or the error it carries.
    static func data(of response: QuiltHTTPResponse, operation: String) throws(CatalogError) -> JSONValue {
        let json = try? JSONParser.parse(response.body)
        if let errors = json?["errors"]?.arrayValue, !errors.isEmpty, response.status < 500, response.status != 401, response.status != 403 {
            throw .graphQL(operation: operation, messages: errors.map { $0["message"]?.stringValue ?? JSONWriter.compact($0) })
        }
        guard (200..<300).contains(response.status) else {
            throw .http(operation: operation, status: response.status, detail: Self.detail(response.body))
        }
        guard let json else {
            throw .malformed(operation: operation, detail: "the body is not JSON (\(response.body.count) bytes; cut off?)")
        }
        guard let data = json["data"], !data.isNull else {
            throw .malformed(operation: operation, detail: "the answer has no data")
        }
        return data
    }

    // MARK: - REST

    /// `GET <registry><path>?<query>` with the bearer token; returns the parsed JSON body.
    package func getJSON(_ path: String, query: [(String, String)], operation: String) async throws(CatalogError) -> JSONValue {
        let q = query.isEmpty ? "" : "?" + FormEncoding.query(query)
        let request = QuiltHTTPRequest(
            method: "GET", url: registry + path + q, headers: authHeaders + [HTTPField("accept", "application/json")],
            operation: operation, timeout: .seconds(60))
        return try await attempt(operation, idempotent: true) { () throws(CatalogError) in
            let response = try await send(request, operation)
            guard (200..<300).contains(response.status) else {
                throw .http(operation: operation, status: response.status, detail: Self.detail(response.body))
            }
            guard let json = try? JSONParser.parse(response.body) else {
                throw .malformed(operation: operation, detail: "the body is not JSON (\(response.body.count) bytes; cut off?)")
            }
            return json
        }
    }

    // MARK: - Plumbing

    /// Sends `request`, following up to three redirects that stay on the request's origin (quilt3-local answers
    /// `/__reg/graphql` with 307 to `/__reg/graphql/`). 307/308 repeat the method and body; 301/302/303 are followed
    /// for GET only. A redirect to another origin is not followed: the bearer token goes to the catalog alone.
    func send(_ request: QuiltHTTPRequest, _ operation: String) async throws(CatalogError) -> QuiltHTTPResponse {
        var request = request
        request.maxResponseBytes = maxResponseBytes
        var hops = 0
        while true {
            let response: QuiltHTTPResponse
            do {
                response = try await transport.send(request)
            } catch {
                throw .transport(operation: operation, error)
            }
            guard hops < 3, let next = Self.redirect(request, response) else { return response }
            request.url = next
            hops += 1
        }
    }

    /// Where `response` redirects `request` to, when that is on the same origin and the method allows it.
    static func redirect(_ request: QuiltHTTPRequest, _ response: QuiltHTTPResponse) -> String? {
        let keepsBody = response.status == 307 || response.status == 308
        guard keepsBody || ([301, 302, 303].contains(response.status) && request.method == "GET"),
            let location = response.header("location"), let from = HTTPURL(request.url)
        else { return nil }
        let target = location.hasPrefix("/") && !location.hasPrefix("//") ? from.origin + location : location
        guard let to = HTTPURL(target), to.origin == from.origin else { return nil }
        return to.text
    }

    /// Runs `body`, again after transient failures when `idempotent` (bounded by `retry`).
    func attempt<T>(
        _ operation: String, idempotent: Bool, _ body: () async throws(CatalogError) -> T
    ) async throws(CatalogError) -> T {
        var attempt = 0
        while true {
            attempt += 1
            if Task.isCancelled { throw .transport(operation: operation, .cancelled("\(operation) was cancelled.")) }
            do {
                return try await body()
            } catch {
                guard idempotent, error.isTransient, attempt < retry.maxAttempts else { throw error }
                await retry.sleep(retry.delay(afterAttempt: attempt))
            }
        }
    }

    /// The first 200 characters of an error body, on one line.
    static func detail(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        if let json = try? JSONParser.parse(body), let m = json["message"]?.stringValue ?? json["error"]?.stringValue { return m }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
