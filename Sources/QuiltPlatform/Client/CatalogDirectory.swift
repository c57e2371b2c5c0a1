package import FoundationEssentials
package import QuiltContract
package import QuiltHTTP
import QuiltJSON
package import QuiltS3

/// What a catalog's `config.json` says that quilt-mcp uses.
package struct CatalogConfig: Sendable, Hashable {
    /// The registry API base URL (GraphQL, `/api/*`), without a trailing slash.
    package var registryURL: String
    /// The stack's AWS region, when given.
    package var region: String?
    /// `mode: LOCAL`: the catalog `quilt3 catalog` runs on a workstation (quilt3-local). It reads packages and lends
    /// the workstation's AWS credentials, but resolves no mutation, has no search and no users.
    package var isLocal: Bool
    /// The stack's analytics bucket (`<stack>-analyticsbucket-<suffix>`), when given: it names the stack.
    package var analyticsBucket: String?
    package init(registryURL: String, region: String?, isLocal: Bool = false, analyticsBucket: String? = nil) {
        var r = registryURL
        while r.hasSuffix("/") { r.removeLast() }
        self.registryURL = r
        self.region = region
        self.isLocal = isLocal
        self.analyticsBucket = analyticsBucket
    }

    /// The stack's Tabulator data catalog in Athena, `quilt-<stack>-tabulator`, the stack named by the analytics
    /// bucket (the text before `-analyticsbucket`, else before its first `-`); nil without an analytics bucket.
    package var tabulatorDataCatalog: String? {
        guard let bucket = analyticsBucket, !bucket.isEmpty else { return nil }
        let lower = bucket.lowercased()
        let stack = lower.firstRange(of: "-analyticsbucket").map { String(lower[..<$0.lowerBound]) } ?? String(lower.prefix { $0 != "-" })
        return stack.isEmpty ? nil : "quilt-\(stack)-tabulator"
    }

    /// Reads a `config.json` body served at `catalog`. A relative `registryUrl` (quilt3-local says `/__reg`) is
    /// resolved against the catalog's origin; nil when there is no usable one.
    package static func parse(_ body: [UInt8], catalog: String) -> CatalogConfig? {
        guard let json = try? JSONParser.parse(body), var registry = json["registryUrl"]?.stringValue else { return nil }
        if registry.hasPrefix("/"), !registry.hasPrefix("//"), let origin = HTTPURL(catalog)?.origin {
            registry = origin + registry
        }
        guard HTTPURL(registry) != nil else { return nil }
        return CatalogConfig(
            registryURL: registry, region: json["region"]?.stringValue, isLocal: json["mode"]?.stringValue == "LOCAL",
            analyticsBucket: json["analyticsBucket"]?.stringValue)
    }
}

/// Process-wide knowledge about catalogs, so per-request backends (HTTP deployments build one per request) do not
/// repeat it: each catalog's `config.json` is fetched once, each registry's schema is probed once, and AWS
/// credentials are cached per registry and bearer token (by digest) until they near expiry.
///
/// Concurrent callers share one fetch; a failed fetch is not remembered, so the next call tries again.
package actor CatalogDirectory {
    /// The directory every backend in this process uses unless given another (tests use their own).
    package static let shared = CatalogDirectory()

    private var configs: [String: Task<CatalogConfig, any Error>] = [:]
    private var features: [String: Task<SchemaFeatures, any Error>] = [:]
    private var credentials: [String: RefreshingCredentials] = [:]
    private var credentialOrder: [String] = []
    /// At most this many bearer tokens' credentials are kept (oldest dropped first).
    package let maxCredentialEntries: Int

    package init(maxCredentialEntries: Int = 1024) {
        self.maxCredentialEntries = maxCredentialEntries
    }

    // MARK: - config.json

    /// The catalog's configuration, fetched from `<catalog>/config.json` on first use.
    package func config(catalog: String, transport: any HTTPTransport) async throws(QuiltOpsError) -> CatalogConfig {
        var trimmed = catalog
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        let key = trimmed
        let task: Task<CatalogConfig, any Error>
        if let running = configs[key] {
            task = running
        } else {
            task = Task { @Sendable () async throws -> CatalogConfig in try await Self.fetchConfig(catalog: key, transport: transport) }
            configs[key] = task
        }
        do {
            return try await task.value
        } catch {
            configs[key] = nil
            throw (error as? QuiltOpsError) ?? .remote("\(key)/config.json: \(error)", retryable: true)
        }
    }

    static func fetchConfig(catalog: String, transport: any HTTPTransport) async throws(QuiltOpsError) -> CatalogConfig {
        let response = try await transport.send(
            QuiltHTTPRequest(
                method: "GET", url: catalog + "/config.json", headers: [HTTPField("accept", "application/json")],
                operation: "CatalogConfig", timeout: .seconds(30)))
        guard response.status == 200 else {
            throw .remote("\(catalog)/config.json answered HTTP \(response.status).", retryable: response.status >= 500)
        }
        guard let config = CatalogConfig.parse(response.body, catalog: catalog) else {
            throw .remote("\(catalog)/config.json names no usable registryUrl.", retryable: false)
        }
        return config
    }

    // MARK: - Schema features

    /// The registry's schema features, from `probe` on first use.
    package func features(
        registry: String, probe: @escaping @Sendable () async throws(QuiltOpsError) -> SchemaFeatures
    ) async throws(QuiltOpsError) -> SchemaFeatures {
        let task: Task<SchemaFeatures, any Error>
        if let running = features[registry] {
            task = running
        } else {
            task = Task { @Sendable () async throws -> SchemaFeatures in try await probe() }
            features[registry] = task
        }
        do {
            return try await task.value
        } catch {
            features[registry] = nil
            throw (error as? QuiltOpsError) ?? .remote("schema probe of \(registry): \(error)", retryable: true)
        }
    }

    // MARK: - AWS credentials

    /// AWS credentials for `token` at `registry` (`GET /api/auth/get_credentials`), shared by every backend acting
    /// with the same token.
    package func credentials(
        registry: String, token: String, transport: any HTTPTransport, clock: @escaping @Sendable () -> Date = { Date() }
    ) -> any CredentialsProvider {
        let key = registry + " " + RequestCredentials(bearerToken: token, verified: false, claims: [:], tenant: nil).tokenDigest
        if let cached = credentials[key] { return cached }
        let provider = RefreshingCredentials(clock: clock) { () throws(QuiltOpsError) -> AWSCredentials in
            try await CatalogAPI(registry: registry, transport: transport).awsCredentials(
                bearer: token, source: "catalog credentials (\(registry)/api/auth/get_credentials)")
        }
        credentials[key] = provider
        credentialOrder.append(key)
        if credentialOrder.count > maxCredentialEntries {
            let dropped = credentialOrder.removeFirst()
            credentials[dropped] = nil
        }
        return provider
    }
}
