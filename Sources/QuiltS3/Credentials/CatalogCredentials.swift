package import FoundationEssentials
package import QuiltContract
package import QuiltHTTP
package import QuiltJSON

/// The catalog registry's auth endpoints.
package struct CatalogAPI: Sendable {
    package let registry: String
    package let transport: any HTTPTransport

    package init(registry: String, transport: any HTTPTransport) {
        var r = registry
        while r.hasSuffix("/") { r.removeLast() }
        self.registry = r
        self.transport = transport
    }

    /// `POST /api/token` with `refresh_token=…`: `{refresh_token, access_token, expires_at}`.
    package func refresh(_ refreshToken: String) async throws(QuiltOpsError) -> JSONObject {
        let request = QuiltHTTPRequest(
            method: "POST", url: registry + "/api/token", headers: [HTTPField("content-type", "application/x-www-form-urlencoded")],
            body: Array(FormEncoding.query([("refresh_token", refreshToken)]).utf8), operation: "RefreshToken", timeout: .seconds(30))
        let response = try await transport.send(request)
        guard response.status == 200, let json = try? JSONParser.parse(response.body), var object = json.objectValue,
            object["error"] == nil, object["access_token"]?.stringValue != nil
        else {
            if response.status >= 500 { throw .remote("\(registry)/api/token answered HTTP \(response.status).", retryable: true) }
            throw .unauthenticated("the quilt3 session for \(registry) could not be refreshed (HTTP \(response.status)); run `quilt3 login` again.")
        }
        if object["refresh_token"] == nil { object["refresh_token"] = .string(refreshToken) }
        return object
    }

    /// `GET /api/auth/get_credentials` with a bearer token: temporary AWS credentials for the user's role.
    package func awsCredentials(bearer token: String, source: String) async throws(QuiltOpsError) -> AWSCredentials {
        let request = QuiltHTTPRequest(
            method: "GET", url: registry + "/api/auth/get_credentials",
            headers: [HTTPField("authorization", "Bearer \(token)"), HTTPField("accept", "application/json")],
            operation: "GetCredentials", timeout: .seconds(30))
        let response = try await transport.send(request)
        switch response.status {
        case 200: break
        case 401: throw .unauthenticated("\(registry) refused the token for AWS credentials (HTTP 401); log in again.")
        case 403: throw .forbidden("\(registry) gives this user no AWS credentials (HTTP 403).")
        case 500...: throw .remote("\(registry)/api/auth/get_credentials answered HTTP \(response.status).", retryable: true)
        default: throw .unauthenticated("\(registry)/api/auth/get_credentials answered HTTP \(response.status).")
        }
        guard let json = try? JSONParser.parse(response.body), let id = json["AccessKeyId"]?.stringValue,
            let secret = json["SecretAccessKey"]?.stringValue
        else {
            throw .remote("\(registry)/api/auth/get_credentials answered without AccessKeyId/SecretAccessKey.", retryable: false)
        }
        return AWSCredentials(
            accessKeyId: id, secretAccessKey: secret, sessionToken: json["SessionToken"]?.stringValue,
            expiration: HTTPDate.parse(json["Expiration"]?.stringValue), source: source)
    }

    /// `GET <catalog>/config.json` → `registryUrl` (when only the catalog URL is configured).
    package static func discoverRegistry(catalog: String, transport: any HTTPTransport) async throws(QuiltOpsError) -> String {
        var c = catalog
        while c.hasSuffix("/") { c.removeLast() }
        let response = try await transport.send(
            QuiltHTTPRequest(method: "GET", url: c + "/config.json", operation: "CatalogConfig", timeout: .seconds(30)))
        guard response.status == 200, let url = (try? JSONParser.parse(response.body))?["registryUrl"]?.stringValue else {
            throw .remote("\(c)/config.json did not name a registryUrl (HTTP \(response.status)).", retryable: response.status >= 500)
        }
        return url
    }
}

/// AWS credentials for a catalog bearer token (auth=jwt with an S3 registry): exchanged at the registry's
/// `/api/auth/get_credentials`, cached and refreshed before they expire.
package struct CatalogTokenCredentials: CredentialsProvider {
    private let cache: RefreshingCredentials

    /// - Parameters:
    ///   - registryURL: the registry API; when nil it is discovered from `catalogURL`'s `config.json`.
    ///   - token: the bearer token (read each time, so a rotated token file is picked up by the caller).
    package init(
        registryURL: String?, catalogURL: String?, token: @escaping @Sendable () -> String?, transport: any HTTPTransport,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.cache = RefreshingCredentials(clock: clock) { () throws(QuiltOpsError) -> AWSCredentials in
            guard let bearer = token(), !bearer.isEmpty else {
                throw .unauthenticated("auth=jwt needs a bearer token (QUILT_MCP_JWT_TOKEN or --jwt-token-file).")
            }
            let registry: String
            if let registryURL { registry = registryURL } else if let catalogURL {
                registry = try await CatalogAPI.discoverRegistry(catalog: catalogURL, transport: transport)
            } else {
                throw .unauthenticated("auth=jwt with an S3 registry needs QUILT_MCP_REGISTRY_API_URL or QUILT_MCP_CATALOG_URL.")
            }
            return try await CatalogAPI(registry: registry, transport: transport).awsCredentials(bearer: bearer, source: "catalog token (\(registry))")
        }
    }

    package func credentials() async throws(QuiltOpsError) -> AWSCredentials { try await cache.credentials() }
    package func invalidate() async { await cache.invalidate() }
}
