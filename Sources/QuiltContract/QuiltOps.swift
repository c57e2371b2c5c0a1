import FoundationEssentials

/// The backend-agnostic contract for working with Quilt packages, buckets and objects.
///
/// Every backend (the registry engine over memory, local files or S3; the catalog's GraphQL Platform backend)
/// conforms, and one conformance suite (`Tests/Conformance`) specifies the behaviour for all of them.
/// MCP tools sit on this protocol and never know which backend answers.
///
/// Errors: every requirement throws `QuiltOpsError` only. An operation whose capability the backend does not
/// declare throws `.unsupported(operation:backend:)` — never an empty result; ``CapabilityGate`` enforces this in
/// front of every backend, so backends declare capabilities and implement requirements without checking them.
public protocol QuiltOps: Sendable {
    /// A stable identifier such as `memory`, `file`, `s3` or `platform`.
    var backendID: BackendID { get }
    /// What this backend offers beyond reading packages.
    var capabilities: Set<Capability> { get }

    // MARK: - Packages

    /// Lists package names in `registry` in code-point order, starting after the page cursor.
    /// `prefix` filters names that start with it (e.g. `alice/`).
    /// - Throws: `.notFound(.registry)` when the registry does not exist.
    func listPackages(registry: RegistryURL, prefix: String, page: PageRequest) async throws(QuiltOpsError)
        -> Page<PackageSummary>

    /// Lists a package's revisions newest first, one row per distinct top hash, with its timestamps and tags.
    /// - Throws: `.notFound(.package)` when no pointer exists.
    func listRevisions(package: PackageName, registry: RegistryURL, page: PageRequest) async throws(QuiltOpsError)
        -> Page<RevisionSummary>

    /// Resolves `latest`, a tag or timestamp, a full hash or a unique 6–63 character prefix to a revision.
    /// - Throws: `.notFound(.revision)`; `.invalidInput(field: "top_hash")` when a prefix matches several revisions
    ///   (the message lists them).
    func resolve(package: PackageName, registry: RegistryURL, revision: RevisionRef) async throws(QuiltOpsError)
        -> ResolvedRevision

    /// Header, totals and pointers of one revision.
    /// - Throws: as `resolve`.
    func revisionInfo(package: PackageName, registry: RegistryURL, revision: RevisionRef) async throws(QuiltOpsError)
        -> RevisionInfo

    /// Lists one directory (files and subdirectories) or, with `recursive`, every file below it, in quilt3's tree
    /// order, paginated. A `path` naming a file lists that one file.
    /// - Throws: as `resolve`; `.notFound(.entry)` when nothing is at `path`; `.invalidInput(field: "path")`.
    func browse(_ request: BrowseRequest) async throws(QuiltOpsError) -> BrowseResult

    /// Compares two revisions (possibly of different packages) by logical key and object hash.
    /// - Throws: as `resolve` for either side.
    func diff(
        from: (package: PackageName, revision: RevisionRef), to: (package: PackageName, revision: RevisionRef),
        registry: RegistryURL
    ) async throws(QuiltOpsError) -> PackageDiff

    /// Creates a revision from entries; it becomes `latest`.
    /// - Throws: `.unsupported` without `packageWrite`; `.conflict` when the package exists and `force` is false;
    ///   `.invalidInput` for duplicate logical keys; `.notFound(.file/.object)` for a missing source.
    ///   A failed create never moves `latest`.
    func createRevision(_ request: CreateRevisionRequest) async throws(QuiltOpsError) -> RevisionInfo

    /// Makes a revision from `base` with entries added, replaced or removed and metadata changed; it becomes `latest`.
    /// - Throws: as `createRevision`; `.conflict` when `latest` no longer names `base` and `force` is false;
    ///   `.notFound(.entry)` when a removed key is not in the base.
    func updateRevision(_ request: UpdateRevisionRequest) async throws(QuiltOpsError) -> RevisionInfo

    /// Deletes the pointers that name one revision (quilt3 semantics: manifests and data stay). If `latest` was one of
    /// them and others remain, `latest` moves to the newest remaining timestamp.
    /// - Throws: `.unsupported` without `packageDelete`; as `resolve`.
    func deleteRevision(package: PackageName, registry: RegistryURL, revision: RevisionRef)
        async throws(QuiltOpsError) -> DeleteResult

    /// Deletes every pointer of a package; it disappears from listings. Manifests and data stay.
    /// - Throws: `.unsupported` without `packageDelete`; `.notFound(.package)`.
    func deletePackage(package: PackageName, registry: RegistryURL) async throws(QuiltOpsError) -> DeleteResult

    // MARK: - Buckets and objects

    /// The buckets or registry roots the caller can see.
    /// - Throws: `.unsupported` without `bucketListing`.
    func listBuckets() async throws(QuiltOpsError) -> [BucketInfo]

    /// Lists objects under a prefix of a bucket or registry root, in key order.
    /// - Throws: `.unsupported` without `objectListing`; `.notFound(.bucket)`.
    func listObjects(_ request: ObjectListRequest) async throws(QuiltOpsError) -> ObjectListing

    /// Size, modification time and content type of one object.
    /// - Throws: `.notFound(.object)`.
    func headObject(_ key: PhysicalKey) async throws(QuiltOpsError) -> ObjectInfo

    /// Reads an object, or a byte range of it, at most `maxBytes` bytes.
    /// - Throws: `.notFound(.object)`; `.invalidInput(field: "range")` when the range starts past the end.
    func readObject(_ key: PhysicalKey, range: ByteRange?, maxBytes: Int) async throws(QuiltOpsError) -> ObjectData

    /// A URL for the object: presigned for `expiresIn` seconds with `presign`, else a local location.
    /// - Throws: `.notFound(.object)`; `.unsupported` when the backend can do neither.
    func locateObject(_ key: PhysicalKey, expiresIn: Int) async throws(QuiltOpsError) -> ObjectLink

    /// URLs for objects a listing has just returned: what ``locateObject(_:expiresIn:)`` gives each, without
    /// asking whether each exists (the listing said so), so linking a page of objects costs no request per object.
    /// Never throws: a key that cannot be linked (no presign, refused, expired credentials) is absent.
    func linkListedObjects(_ keys: [PhysicalKey], expiresIn: Int) async -> [PhysicalKey: ObjectLink]

    /// Writes an object.
    /// - Throws: `.unsupported` without `objectWrite`; `.forbidden`.
    func putObject(_ put: ObjectPut) async throws(QuiltOpsError) -> ObjectInfo

    // MARK: - Search

    /// Searches packages (names, messages, metadata) and/or objects (keys): one page of at most `limit` hits, best
    /// first, and a `nextCursor` while more remain. Following the cursors returns each match at most once.
    /// - Throws: `.unsupported` without `search`; `.invalidInput(field: "limit")` for a limit below 1;
    ///   `.invalidInput(field: "cursor")` for a cursor from another search or not made by this server.
    func search(_ request: SearchRequest) async throws(QuiltOpsError) -> SearchResult

    /// How ``search(_:)`` would interpret `request`, without searching: the words, the registries, the matching
    /// rules and (for a catalog) the exact request it would send. May read the backend's configuration (the
    /// registries it knows, the catalog's schema) but never runs the search.
    /// - Throws: `.unsupported` without `search`; what listing the registries throws when the request names none.
    func explainSearch(_ request: SearchRequest) async throws(QuiltOpsError) -> SearchExplanation

    // MARK: - Auth

    /// Who the backend acts as and how it authenticated. Never throws for a merely unauthenticated state:
    /// that is reported with `authenticated == false`.
    func authStatus() async throws(QuiltOpsError) -> AuthStatus
}

extension QuiltOps {
    /// Throws `.unsupported` unless the backend declares `capability`.
    public func require(_ capability: Capability, for operation: String) throws(QuiltOpsError) {
        guard capabilities.contains(capability) else {
            throw .unsupported(operation: operation, backend: backendID.rawValue)
        }
    }
}
