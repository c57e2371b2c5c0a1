package import FoundationEssentials
package import QuiltContract
package import QuiltHTTP
import QuiltHash
package import QuiltMode
import QuiltRegistry
import QuiltS3
package import QuiltStorage
import Synchronization

extension BackendFactory {
    /// The HTTP transport every backend this process makes shares (one connection pool).
    package static let sharedTransport: any HTTPTransport = LiveHTTPTransport.shared

    /// The registry engine over an `s3://` registry, with credentials chosen by `mode.auth`:
    /// - `iam`: the AWS credential chain over `mode.aws`;
    /// - `session`: the quilt3 login session (`mode.quilt3DataDirectory`), falling back to the AWS chain when
    ///   there is none or it fails (as the Python server's IAM service did);
    /// - `jwt`: `bearerToken` exchanged for AWS credentials at the registry API (`mode.registryAPIURL`, else
    ///   discovered from `mode.catalogURL`).
    ///
    /// Endpoint and region come from `mode.aws` (`AWS_ENDPOINT_URL_S3`/`AWS_ENDPOINT_URL`, `AWS_REGION`, the
    /// profile's region, quilt3's `region`). Local `file://`/`memory://` keys in manifests still resolve.
    /// - Throws: `invalidInput` for a malformed endpoint variable.
    package static func makeS3(
        mode: Mode, registry: RegistryURL, memory: MemoryStoragePool = sharedMemory, clock: @escaping @Sendable () -> Date = { Date() },
        bearerToken: String? = nil, caller: RequestCredentials? = nil, tokenPool: TokenCredentialPool = .shared,
        transport: any HTTPTransport = sharedTransport
    ) throws(QuiltOpsError) -> any QuiltOps {
        let parts = try s3Client(
            mode: mode, bearerToken: caller?.bearerToken ?? bearerToken, tokenDigest: caller?.tokenDigest, tokenPool: tokenPool,
            transport: transport)
        let (client, credentials, method, detail, configuration, quilt3Config) = (
            parts.client, parts.credentials, parts.method, parts.detail, parts.client.configuration, parts.quilt3Config
        )
        var capabilities = RegistryEngine.localCapabilities.union([.presign])
        if mode.readOnly { capabilities.subtract(RegistryEngine.writeCapabilities) }
        let resolver = S3StorageResolver(client: client, local: LocalStorageResolver(memory: memory, files: mode.serverFiles))
        let endpoint = configuration.endpoint.map { " at \($0.origin)" } ?? ""
        let base = AuthStatus(
            authenticated: false, method: method, identity: caller?.subject ?? caller?.tenant, catalogURL: mode.catalogURL ?? quilt3Config?.navigatorURL, registry: registry.url,
            detail: "\(registry.url)\(endpoint) (region \(configuration.region)) through the \(detail).")
        return CapabilityGate(RegistryEngine(
            backendID: "s3", resolver: resolver, capabilities: capabilities, knownRegistries: [registry], clock: clock, auth: base,
            authProbe: {
                var status = base
                do {
                    let c = try await credentials.credentials()
                    status.authenticated = true
                    status.detail += " Credentials: \(c.source)."
                } catch {
                    status.detail += " No usable credentials: \((error as? QuiltOpsError)?.message ?? String(describing: error))"
                }
                return status
            }))
    }

    /// The S3 client and credentials `mode` asks for (see `makeS3`).
    /// With `tokenDigest` (a caller's token over HTTP) the jwt exchange is shared through `tokenPool`.
    static func s3Client(
        mode: Mode, bearerToken: String?, tokenDigest: String? = nil, tokenPool: TokenCredentialPool = .shared,
        transport: any HTTPTransport
    ) throws(QuiltOpsError) -> (
        client: S3Client, credentials: any CredentialsProvider, method: String, detail: String, quilt3Config: Quilt3Config?
    ) {
        let quilt3Config = mode.auth == .session ? mode.quilt3DataDirectory.flatMap { Quilt3Config.load(dataDirectory: $0) } : nil
        let fallbackRegion = AWSCredentialChain.profileRegion(aws: mode.aws) ?? quilt3Config?.region
        var configuration = try S3Configuration.from(aws: mode.aws, fallbackRegion: fallbackRegion)
        configuration.maxResponseBytes = mode.limits.objectBytes
        let chain = AWSCredentialChain(aws: mode.aws, childEnvironment: mode.childEnvironment, transport: transport)
        let credentials: any CredentialsProvider
        let method: String
        let detail: String
        switch mode.auth {
        case .iam:
            credentials = chain
            method = "aws-iam"
            detail = "AWS credential chain (environment, profile \(AWSCredentialChain.profileName(aws: mode.aws)), web identity, container, instance role)"
        case .session:
            if let directory = mode.quilt3DataDirectory {
                let session = Quilt3SessionCredentials(
                    dataDirectory: directory, registryURL: mode.registryAPIURL, persistent: mode.state == .persistent, transport: transport)
                credentials = FallbackCredentialsProvider([("quilt3 session", session), ("AWS credential chain", chain)])
            } else {
                credentials = chain
            }
            method = "quilt3-session"
            detail = "quilt3 login session, else the AWS credential chain"
        case .jwt:
            let token = bearerToken
            let make = { () -> any CredentialsProvider in
                CatalogTokenCredentials(registryURL: mode.registryAPIURL, catalogURL: mode.catalogURL, token: { token }, transport: transport)
            }
            credentials = tokenDigest.map { tokenPool.provider(digest: $0, make: make) } ?? make()
            method = "jwt"
            detail = "catalog bearer token exchanged for AWS credentials"
        }
        let client = S3Client(transport: transport, credentials: credentials, configuration: configuration)
        return (client, credentials, method, detail, quilt3Config)
    }

    /// For a local default registry: `local`, plus S3 for calls naming `s3://` registries or manifests pointing
    /// into S3. Nothing about S3 is done until such a call: the client is made (and the AWS settings read) on first
    /// use, so a malformed AWS setting is that call's typed error and never stops the local registry.
    ///
    /// The S3 client (and so its credentials, once resolved) is made once per distinct settings and transport in
    /// this process, not per backend: over HTTP a backend is made per request, and re-reading the AWS files and
    /// re-resolving credentials (an AssumeRole, an SSO exchange) each time would cost a round trip per request.
    static func localWithS3(mode: Mode, local: LocalStorageResolver, transport: any HTTPTransport = sharedTransport) -> any StorageResolver {
        LocalFirstResolver(mode: mode, local: local, transport: transport)
    }

    /// The local fallback's S3 client for `mode`, shared per settings and transport.
    /// - Throws: `invalidInput` naming a malformed AWS variable.
    static func localS3Client(mode: Mode, transport: any HTTPTransport) throws(QuiltOpsError) -> S3Client {
        let key = localS3Key(mode: mode, transport: transport)
        if let client = localS3Clients.withLock({ key.flatMap($0.get) }) { return client }
        let client = try s3Client(mode: mode, bearerToken: mode.jwtToken, transport: transport).client
        if let key { localS3Clients.withLock { $0.put(key, client) } }
        return client
    }

    /// The local fallback's S3 clients by settings (a few per process; tests make many modes).
    private static let localS3Clients = Mutex(SmallCache<S3Client>(capacity: 16))

    /// A digest of everything `s3Client` reads from `mode`, and the transport's identity; nil for a transport that is
    /// not an object (nothing to tell two of them apart by).
    static func localS3Key(mode: Mode, transport: any HTTPTransport) -> String? {
        guard type(of: transport) is AnyObject.Type else { return nil }
        let settings = [
            "auth=\(mode.auth)", "state=\(mode.state)", "catalog=\(mode.catalogURL ?? "")", "api=\(mode.registryAPIURL ?? "")",
            "quilt3=\(mode.quilt3DataDirectory ?? "")", "jwt=\(mode.jwtToken ?? "")",
        ] + mode.aws.sorted { $0.key < $1.key }.map { "aws.\($0.key)=\($0.value)" }
        let digest = ObjectHashing.hash(Array(settings.joined(separator: "\n").utf8), type: .sha256).value
        return "\(ObjectIdentifier(transport as AnyObject))/\(digest)"
    }
}

/// Local registries first, S3 on demand (the client made on the first `s3://` root); unlike `S3StorageResolver` it
/// does not list buckets, so `listBuckets` on a local deployment never asks AWS.
struct LocalFirstResolver: StorageResolver {
    let mode: Mode
    let local: LocalStorageResolver
    let transport: any HTTPTransport
    /// The S3 side once made: each S3 call through this backend after the first skips the process cache lookup.
    private let s3 = S3Side()

    init(mode: Mode, local: LocalStorageResolver, transport: any HTTPTransport) {
        self.mode = mode
        self.local = local
        self.transport = transport
    }

    var serverFiles: ServerFileAccess { local.files }

    func storage(for root: RegistryURL) throws(QuiltOpsError) -> any ObjectStorage {
        guard root.kind == .s3 else { return try local.storage(for: root) }
        if let resolver = s3.resolver.withLock({ $0 }) { return try resolver.storage(for: root) }
        let resolver = S3StorageResolver(client: try BackendFactory.localS3Client(mode: mode, transport: transport), local: local)
        s3.resolver.withLock { $0 = resolver }
        return try resolver.storage(for: root)
    }

    private final class S3Side: Sendable {
        let resolver = Mutex<S3StorageResolver?>(nil)
    }
}

/// A few values by key; the oldest goes when full.
struct SmallCache<Value> {
    let capacity: Int
    private var entries: [(key: String, value: Value)] = []
    init(capacity: Int) { self.capacity = capacity }
    func get(_ key: String) -> Value? { entries.first { $0.key == key }?.value }
    mutating func put(_ key: String, _ value: Value) {
        entries.removeAll { $0.key == key }
        if entries.count >= capacity { entries.removeFirst() }
        entries.append((key, value))
    }
}
