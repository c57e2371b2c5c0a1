import Foundation
import QuiltJSON
import QuiltManifest
import QuiltOps
import QuiltStorage

/// The registry engine: `QuiltOps` over the quilt3 registry layout on any `ObjectStorage` (memory, local files,
/// and S3), reading and writing the same bytes quilt3 does.
///
/// One engine serves every registry its `StorageResolver` can reach; each call names its registry.
public struct RegistryEngine: QuiltOps {
    public let backendID: BackendID
    public let capabilities: Set<Capability>
    /// Resolves registry roots and physical keys to stores.
    public let resolver: any StorageResolver
    /// Registries reported by `listBuckets` (e.g. the default local registry).
    public let knownRegistries: [RegistryURL]
    /// The source of "now" for timestamp pointers (fixed in tests).
    public let clock: @Sendable () -> Date
    /// How the engine authenticates, for `authStatus`.
    public let auth: AuthStatus
    /// Checks credentials live for `authStatus` (S3: resolves them and names their source); nil reports `auth`.
    public let authProbe: (@Sendable () async -> AuthStatus)?

    /// Every capability the engine can offer on local storage; `presign` needs S3.
    public static let localCapabilities: Set<Capability> = [
        .packageWrite, .packageDelete, .search, .objectListing, .objectWrite, .bucketListing,
    ]
    /// The capabilities that change state; removed in read-only deployments.
    public static let writeCapabilities: Set<Capability> = [.packageWrite, .packageDelete, .objectWrite]

    public init(
        backendID: BackendID, resolver: any StorageResolver, capabilities: Set<Capability> = localCapabilities,
        knownRegistries: [RegistryURL] = [], clock: @escaping @Sendable () -> Date = { Date() },
        auth: AuthStatus = AuthStatus(
            authenticated: true, method: "local", detail: "Local and in-memory registries need no credentials."),
        authProbe: (@Sendable () async -> AuthStatus)? = nil
    ) {
        self.authProbe = authProbe
        self.backendID = backendID
        self.resolver = resolver
        self.capabilities = capabilities
        self.knownRegistries = knownRegistries
        self.clock = clock
        self.auth = auth
    }

    // MARK: - Packages

    public func listPackages(registry: RegistryURL, prefix: String, page: PageRequest) async throws(QuiltOpsError)
        -> Page<PackageSummary>
    {
        try await listPackagesImpl(registry: registry, prefix: prefix, page: page)
    }

    public func listRevisions(package: PackageName, registry: RegistryURL, page: PageRequest)
        async throws(QuiltOpsError) -> Page<RevisionSummary>
    {
        try await listRevisionsImpl(package: package, registry: registry, page: page)
    }

    public func resolve(package: PackageName, registry: RegistryURL, revision: RevisionRef)
        async throws(QuiltOpsError) -> ResolvedRevision
    {
        let storage = try resolver.storage(for: registry)
        let hash = try await resolveHash(storage, package, revision)
        return ResolvedRevision(name: package, registry: registry, hash: hash)
    }

    public func revisionInfo(package: PackageName, registry: RegistryURL, revision: RevisionRef)
        async throws(QuiltOpsError) -> RevisionInfo
    {
        try await revisionInfoImpl(package: package, registry: registry, revision: revision)
    }

    public func browse(_ request: BrowseRequest) async throws(QuiltOpsError) -> BrowseResult {
        try await browseImpl(request)
    }

    public func diff(
        from: (package: PackageName, revision: RevisionRef), to: (package: PackageName, revision: RevisionRef),
        registry: RegistryURL
    ) async throws(QuiltOpsError) -> PackageDiff {
        try await diffImpl(from: from, to: to, registry: registry)
    }

    public func createRevision(_ request: CreateRevisionRequest) async throws(QuiltOpsError) -> RevisionInfo {
        try require(.packageWrite, for: "createRevision")
        return try await createImpl(request)
    }

    public func updateRevision(_ request: UpdateRevisionRequest) async throws(QuiltOpsError) -> RevisionInfo {
        try require(.packageWrite, for: "updateRevision")
        return try await updateImpl(request)
    }

    public func deleteRevision(package: PackageName, registry: RegistryURL, revision: RevisionRef)
        async throws(QuiltOpsError) -> DeleteResult
    {
        try require(.packageDelete, for: "deleteRevision")
        return try await deleteRevisionImpl(package: package, registry: registry, revision: revision)
    }

    public func deletePackage(package: PackageName, registry: RegistryURL) async throws(QuiltOpsError) -> DeleteResult {
        try require(.packageDelete, for: "deletePackage")
        return try await deletePackageImpl(package: package, registry: registry)
    }

    // MARK: - Buckets and objects

    public func listBuckets() async throws(QuiltOpsError) -> [BucketInfo] {
        try require(.bucketListing, for: "listBuckets")
        var buckets = knownRegistries.map { BucketInfo(name: $0.location, registry: $0) }
        if let lister = resolver as? any BucketListingResolver {
            do {
                for b in try await lister.listBuckets() where !buckets.contains(where: { $0.registry == b.registry }) {
                    buckets.append(b)
                }
            } catch .forbidden {
                // Many roles may not list every bucket; the configured registries still answer.
            }
        }
        return buckets
    }

    public func listObjects(_ request: ObjectListRequest) async throws(QuiltOpsError) -> ObjectListing {
        try require(.objectListing, for: "listObjects")
        return try await listObjectsImpl(request)
    }

    public func headObject(_ key: PhysicalKey) async throws(QuiltOpsError) -> ObjectInfo {
        let (storage, k) = try resolver.locate(key)
        return objectInfo(key, try await storage.head(k, versionId: key.versionId))
    }

    public func readObject(_ key: PhysicalKey, range: ByteRange?, maxBytes: Int) async throws(QuiltOpsError)
        -> ObjectData
    {
        try await readObjectImpl(key, range: range, maxBytes: maxBytes)
    }

    public func locateObject(_ key: PhysicalKey, expiresIn: Int) async throws(QuiltOpsError) -> ObjectLink {
        try await locateObjectImpl(key, expiresIn: expiresIn)
    }

    public func linkListedObjects(_ keys: [PhysicalKey], expiresIn: Int) async -> [PhysicalKey: ObjectLink] {
        await linkListedObjectsImpl(keys, expiresIn: expiresIn)
    }

    public func putObject(_ put: ObjectPut) async throws(QuiltOpsError) -> ObjectInfo {
        try require(.objectWrite, for: "putObject")
        let (storage, k) = try resolver.locate(put.key)
        let stored = try await storage.put(k, bytes: put.bytes, contentType: put.contentType, metadata: put.metadata)
        return objectInfo(storage.physicalKey(k, versionId: stored.versionId), stored)
    }

    // MARK: - Search

    public func search(_ request: SearchRequest) async throws(QuiltOpsError) -> SearchResult {
        try require(.search, for: "search")
        return try await searchImpl(request)
    }

    // MARK: - Auth

    public func authStatus() async throws(QuiltOpsError) -> AuthStatus { await authProbe?() ?? auth }

    // MARK: - Helpers

    func objectInfo(_ key: PhysicalKey, _ o: StoredObject) -> ObjectInfo {
        ObjectInfo(
            key: key, size: o.size, lastModified: o.lastModified, etag: o.etag, contentType: o.contentType,
            metadata: o.metadata)
    }

    /// Throws `.cancelled` when the calling task was cancelled.
    func checkCancellation(_ what: String) throws(QuiltOpsError) {
        if Task.isCancelled { throw .cancelled("\(what) was cancelled before it finished.") }
    }
}
