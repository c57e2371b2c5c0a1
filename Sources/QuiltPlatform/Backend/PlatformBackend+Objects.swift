import FoundationEssentials
package import QuiltContract
import QuiltHTTP
import QuiltJSON
import QuiltRegistry
import QuiltS3
import QuiltStorage

/// S3 with the catalog's credentials: the registry engine's object operations over `S3StorageResolver`.
struct ObjectAccess: Sendable {
    let engine: RegistryEngine
    let resolver: S3StorageResolver
}

extension PlatformBackend {
    // MARK: - Buckets

    /// `bucketConfigs`: every bucket the catalog knows (present in every deployed schema, unlike `buckets`).
    package func listBuckets() async throws(QuiltOpsError) -> [BucketInfo] {
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

    package func listObjects(_ request: ObjectListRequest) async throws(QuiltOpsError) -> ObjectListing {
        _ = try bucket(request.root, field: "bucket")
        return try await objects().engine.listObjects(request)
    }

    package func headObject(_ key: PhysicalKey) async throws(QuiltOpsError) -> ObjectInfo {
        try requireS3(key)
        return try await objects().engine.headObject(key)
    }

    package func readObject(_ key: PhysicalKey, range: ByteRange?, maxBytes: Int) async throws(QuiltOpsError) -> ObjectData {
        try requireS3(key)
        return try await objects().engine.readObject(key, range: range, maxBytes: maxBytes)
    }

    package func locateObject(_ key: PhysicalKey, expiresIn: Int) async throws(QuiltOpsError) -> ObjectLink {
        try requireS3(key)
        return try await objects().engine.locateObject(key, expiresIn: expiresIn)
    }

    package func linkListedObjects(_ keys: [PhysicalKey], expiresIn: Int) async -> [PhysicalKey: ObjectLink] {
        let s3 = keys.filter { $0.scheme == .s3 }
        guard !s3.isEmpty, let objects = try? await objects() else { return [:] }
        return await objects.engine.linkListedObjects(s3, expiresIn: expiresIn)
    }

    package func putObject(_ put: ObjectPut) async throws(QuiltOpsError) -> ObjectInfo {
        try requireS3(put.key)
        return try await objects().engine.putObject(put)
    }

    // MARK: - Object access

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
