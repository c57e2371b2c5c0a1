import FoundationEssentials

/// The one place capabilities are enforced: a `QuiltOps` in front of a backend that refuses every operation whose
/// capability the backend does not declare with `.unsupported(operation:backend:)`, before the backend sees it,
/// and passes everything else through unchanged. `BackendFactory` puts one in front of every backend it makes, so
/// backends implement their operations without checking capabilities themselves.
///
/// The operations each capability gates: `packageWrite` (createRevision, updateRevision), `packageDelete`
/// (deleteRevision, deletePackage), `bucketListing` (listBuckets), `objectListing` (listObjects), `objectWrite`
/// (putObject), `search` (search). `presign` gates nothing here: without it `locateObject` still gives a local
/// location where the backend has one, and never a presigned URL (the backend's own promise).
public struct CapabilityGate: QuiltOps {
    /// The backend behind the gate.
    public let base: any QuiltOps
    /// The setting that made the deployment read-only, nil when it may write: writes are then refused as
    /// `.readOnly` naming it, whatever the backend could do.
    public let readOnlySetting: String?

    /// A gate in front of `base` (a gate is never put in front of another gate: gating a gate keeps its backend,
    /// and its read-only setting unless `readOnly` names one).
    public init(_ base: any QuiltOps, readOnly: String? = nil) {
        let inner = base as? CapabilityGate
        self.base = inner?.base ?? base
        self.readOnlySetting = readOnly ?? inner?.readOnlySetting
    }

    public var backendID: BackendID { base.backendID }
    public var capabilities: Set<Capability> { base.capabilities }

    // MARK: - Packages

    public func listPackages(registry: RegistryURL, prefix: String, page: PageRequest) async throws(QuiltOpsError)
        -> Page<PackageSummary>
    {
        try await base.listPackages(registry: registry, prefix: prefix, page: page)
    }

    public func listRevisions(package: PackageName, registry: RegistryURL, page: PageRequest) async throws(QuiltOpsError)
        -> Page<RevisionSummary>
    {
        try await base.listRevisions(package: package, registry: registry, page: page)
    }

    public func resolve(package: PackageName, registry: RegistryURL, revision: RevisionRef) async throws(QuiltOpsError)
        -> ResolvedRevision
    {
        try await base.resolve(package: package, registry: registry, revision: revision)
    }

    public func revisionInfo(package: PackageName, registry: RegistryURL, revision: RevisionRef) async throws(QuiltOpsError)
        -> RevisionInfo
    {
        try await base.revisionInfo(package: package, registry: registry, revision: revision)
    }

    public func browse(_ request: BrowseRequest) async throws(QuiltOpsError) -> BrowseResult {
        try await base.browse(request)
    }

    public func diff(
        from: (package: PackageName, revision: RevisionRef), to: (package: PackageName, revision: RevisionRef),
        registry: RegistryURL
    ) async throws(QuiltOpsError) -> PackageDiff {
        try await base.diff(from: from, to: to, registry: registry)
    }

    public func createRevision(_ request: CreateRevisionRequest) async throws(QuiltOpsError) -> RevisionInfo {
        try check(.packageWrite, for: "createRevision")
        return try await base.createRevision(request)
    }

    public func updateRevision(_ request: UpdateRevisionRequest) async throws(QuiltOpsError) -> RevisionInfo {
        try check(.packageWrite, for: "updateRevision")
        return try await base.updateRevision(request)
    }

    public func deleteRevision(package: PackageName, registry: RegistryURL, revision: RevisionRef)
        async throws(QuiltOpsError) -> DeleteResult
    {
        try check(.packageDelete, for: "deleteRevision")
        return try await base.deleteRevision(package: package, registry: registry, revision: revision)
    }

    public func deletePackage(package: PackageName, registry: RegistryURL) async throws(QuiltOpsError) -> DeleteResult {
        try check(.packageDelete, for: "deletePackage")
        return try await base.deletePackage(package: package, registry: registry)
    }

    // MARK: - Buckets and objects

    public func listBuckets() async throws(QuiltOpsError) -> [BucketInfo] {
        try check(.bucketListing, for: "listBuckets")
        return try await base.listBuckets()
    }

    public func listObjects(_ request: ObjectListRequest) async throws(QuiltOpsError) -> ObjectListing {
        try check(.objectListing, for: "listObjects")
        return try await base.listObjects(request)
    }

    public func headObject(_ key: PhysicalKey) async throws(QuiltOpsError) -> ObjectInfo {
        try await base.headObject(key)
    }

    public func readObject(_ key: PhysicalKey, range: ByteRange?, maxBytes: Int) async throws(QuiltOpsError) -> ObjectData {
        try await base.readObject(key, range: range, maxBytes: maxBytes)
    }

    public func locateObject(_ key: PhysicalKey, expiresIn: Int) async throws(QuiltOpsError) -> ObjectLink {
        try await base.locateObject(key, expiresIn: expiresIn)
    }

    public func linkListedObjects(_ keys: [PhysicalKey], expiresIn: Int) async -> [PhysicalKey: ObjectLink] {
        await base.linkListedObjects(keys, expiresIn: expiresIn)
    }

    public func putObject(_ put: ObjectPut) async throws(QuiltOpsError) -> ObjectInfo {
        try check(.objectWrite, for: "putObject")
        return try await base.putObject(put)
    }

    // MARK: - Search

    public func search(_ request: SearchRequest) async throws(QuiltOpsError) -> SearchResult {
        try check(.search, for: "search")
        return try await base.search(request)
    }

    public func explainSearch(_ request: SearchRequest) async throws(QuiltOpsError) -> SearchExplanation {
        try check(.search, for: "search")
        return try await base.explainSearch(request)
    }

    // MARK: - Auth

    public func authStatus() async throws(QuiltOpsError) -> AuthStatus {
        try await base.authStatus()
    }

    // MARK: - Checks

    /// `.readOnly` for a write in a read-only deployment, else `.unsupported` when the backend lacks `capability`.
    private func check(_ capability: Capability, for operation: String) throws(QuiltOpsError) {
        if let readOnlySetting, Capability.writes.contains(capability) {
            throw .readOnly(operation: operation, setting: readOnlySetting)
        }
        try require(capability, for: operation)
    }
}
