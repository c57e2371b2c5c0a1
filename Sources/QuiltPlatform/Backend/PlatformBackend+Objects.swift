import Foundation
import QuiltHTTP
import QuiltOps
import QuiltRegistry
import QuiltS3
import QuiltStorage

/// S3 with the catalog's credentials: the registry engine's object operations over `S3StorageResolver`.
struct ObjectAccess: Sendable {
    let engine: RegistryEngine
    let resolver: S3StorageResolver

    func listObjects(_ r: ObjectListRequest) async throws(QuiltOpsError) -> ObjectListing { try await engine.listObjects(r) }
    func headObject(_ k: PhysicalKey) async throws(QuiltOpsError) -> ObjectInfo { try await engine.headObject(k) }
    func readObject(_ k: PhysicalKey, range: ByteRange?, maxBytes: Int) async throws(QuiltOpsError) -> ObjectData {
        try await engine.readObject(k, range: range, maxBytes: maxBytes)
    }
    func locateObject(_ k: PhysicalKey, expiresIn: Int) async throws(QuiltOpsError) -> ObjectLink { try await engine.locateObject(k, expiresIn: expiresIn) }
    func putObject(_ p: ObjectPut) async throws(QuiltOpsError) -> ObjectInfo { try await engine.putObject(p) }
}

extension PlatformBackend {
    // MARK: - Buckets

    /// `bucketConfigs`: every bucket the catalog knows (present in every deployed schema, unlike `buckets`).
    func listBucketsImpl() async throws(QuiltOpsError) -> [BucketInfo] {
        let data = try await graphQL(.bucketConfigs)
        let region = try? await catalogRegion()
        return (data["bucketConfigs"]?.arrayValue ?? []).compactMap { b in
            guard let name = b["name"]?.stringValue, let registry = try? RegistryURL.s3(name) else { return nil }
            return BucketInfo(name: name, registry: registry, title: b["title"]?.stringValue, region: region)
        }
    }

    /// The stack's region from `config.json` (nil without a catalog URL).
    func catalogRegion() async throws(QuiltOpsError) -> String? {
        guard let catalog = configuration.catalogURL else { return nil }
        return try await configuration.directory.config(catalog: catalog, transport: configuration.transport).region
    }

    // MARK: - Objects

    /// Object access through S3 with credentials from `GET <registry>/api/auth/get_credentials` (cached per token).
    func objects() async throws(QuiltOpsError) -> ObjectAccess {
        let registry = try await registryURL()
        guard let token = try await currentToken(registry: registry), !token.isEmpty else {
            throw .unauthenticated("object access through the catalog needs a bearer token (its AWS credentials are issued per user).")
        }
        var region = configuration.s3Region
        if region == nil { region = try? await catalogRegion() }
        let credentials = await configuration.directory.credentials(
            registry: registry, token: token, transport: configuration.transport, clock: configuration.clock)
        let client = S3Client(
            transport: configuration.transport, credentials: credentials,
            configuration: S3Configuration(
                region: region ?? "us-east-1", endpoint: configuration.s3Endpoint, retry: configuration.s3Retry, clock: configuration.clock,
                maxResponseBytes: configuration.maxObjectBytes))
        let resolver = S3StorageResolver(client: client, local: LocalStorageResolver(files: configuration.serverFiles))
        let engine = RegistryEngine(backendID: backendID, resolver: resolver, capabilities: capabilities, clock: configuration.clock)
        return ObjectAccess(engine: engine, resolver: resolver)
    }
}
