import FoundationEssentials
package import QuiltContract
import QuiltHTTP
import QuiltJSON
import QuiltS3

/// `QuiltOps` over a Quilt catalog: GraphQL at `<registry>/graphql` for packages, the REST endpoints for AWS
/// credentials (`/api/auth/get_credentials`) and search (`/api/search`), and S3 with those credentials for object
/// bytes. Registries are the catalog's buckets (`s3://bucket`).
///
/// What the catalog cannot do is refused as `unsupported`; every capability is offered otherwise (writes only
/// when not read-only). Extra, beyond the contract: ``promotePackage(_:)`` (`packagePromote`).
package struct PlatformBackend: QuiltOps {
    package let configuration: PlatformConfiguration
    package let backendID: BackendID = "platform"
    package let capabilities: Set<Capability>

    /// Every capability the catalog can serve; `packageWrite`, `packageDelete` and `objectWrite` change state.
    package static let allCapabilities: Set<Capability> = Set(Capability.allCases)
    package static let writeCapabilities = Capability.writes

    package init(configuration: PlatformConfiguration) {
        self.configuration = configuration
        capabilities = configuration.readOnly ? Self.allCapabilities.subtracting(Self.writeCapabilities) : Self.allCapabilities
    }

    // MARK: - Helpers

    /// The registry API client, discovering the registry from `config.json` on first use.
    func client() async throws(QuiltOpsError) -> CatalogClient {
        let registry = try await registryURL()
        return CatalogClient(
            registry: registry, token: try await currentToken(registry: registry), transport: configuration.transport,
            retry: configuration.retry, maxResponseBytes: configuration.maxObjectBytes)
    }

    /// The caller's token: the fixed one, else the token source's for `registry`, else nil.
    func currentToken(registry: String) async throws(QuiltOpsError) -> String? {
        if let token = configuration.bearerToken, !token.isEmpty { return token }
        guard let source = configuration.tokenSource else { return nil }
        return try await source.bearerToken(registry: registry)
    }

    /// The registry API URL: the override, else `registryUrl` from the catalog's `config.json` (cached).
    func registryURL() async throws(QuiltOpsError) -> String {
        if let r = configuration.registryURL { return r }
        guard let catalog = configuration.catalogURL else {
            throw .invalidInput(field: "catalog_url", reason: "the Platform backend needs QUILT_MCP_CATALOG_URL or QUILT_MCP_REGISTRY_API_URL.")
        }
        return try await configuration.directory.config(catalog: catalog, transport: configuration.transport).registryURL
    }

    /// The catalog's `config.json` (nil with a registry URL override, which skips it).
    func catalogConfig() async throws(QuiltOpsError) -> CatalogConfig? {
        guard configuration.registryURL == nil, let catalog = configuration.catalogURL else { return nil }
        return try await configuration.directory.config(catalog: catalog, transport: configuration.transport)
    }

    /// Refuses `operation` before anything is sent or uploaded when the catalog is a quilt3 local catalog
    /// (`quilt3 catalog`), whose GraphQL `lacks` it: it reads package lists, revisions and directories and lends the
    /// workstation's AWS credentials, but resolves no mutation, has no search and leaves revision details null.
    func refuseOnLocalCatalog(_ operation: String, lacks: String) async throws(QuiltOpsError) {
        guard try await catalogConfig()?.isLocal == true else { return }
        throw .unsupported(
            operation: "\(operation) on a quilt3 local catalog (it \(lacks); the registry API with your AWS credentials, api=registry on s3://bucket, does it)",
            backend: backendID.rawValue)
    }

    /// Runs a GraphQL operation (shaped for the catalog's `features` when given), mapping catalog errors onto the
    /// contract's errors.
    func graphQL(
        _ operation: CatalogOperation, _ variables: JSONObject = [:], features: SchemaFeatures? = nil
    ) async throws(QuiltOpsError) -> JSONValue {
        let c = try await client()
        do { return try await c.graphQL(operation, variables, features: features) } catch { throw error.quiltOpsError }
    }

    /// The bucket a registry names; the catalog serves S3 buckets only.
    func bucket(_ registry: RegistryURL, field: String = "registry") throws(QuiltOpsError) -> String {
        guard registry.kind == .s3 else {
            throw .invalidInput(field: field, reason: "'\(registry.url)' is not a catalog bucket; the Platform backend serves s3://bucket registries.")
        }
        return registry.location
    }

    func requireS3(_ key: PhysicalKey) throws(QuiltOpsError) {
        guard key.scheme == .s3 else {
            throw .invalidInput(field: "physical_key", reason: "'\(key.url)' is not an s3:// object; the Platform backend reads S3 only.")
        }
    }

    /// The digest of the caller's token, keying per-caller caches.
    func callerKey() async -> String {
        var token = configuration.bearerToken ?? ""
        if token.isEmpty, let registry = try? await registryURL() { token = (try? await currentToken(registry: registry)) ?? "" }
        return RequestCredentials(bearerToken: token, verified: false, claims: [:], tenant: nil).tokenDigest
    }
}
