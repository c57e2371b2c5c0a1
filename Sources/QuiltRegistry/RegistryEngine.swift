package import FoundationEssentials
package import QuiltContract
import QuiltJSON
import QuiltManifest
package import QuiltStorage

/// The registry engine: `QuiltOps` over the quilt3 registry layout on any `ObjectStorage` (memory, local files,
/// and S3), reading and writing the same bytes quilt3 does.
///
/// One engine serves every registry its `StorageResolver` can reach; each call names its registry.
package struct RegistryEngine: QuiltOps {
    package let backendID: BackendID
    package let capabilities: Set<Capability>
    /// Resolves registry roots and physical keys to stores.
    package let resolver: any StorageResolver
    /// Registries reported by `listBuckets` (e.g. the default local registry).
    package let knownRegistries: [RegistryURL]
    /// The source of "now" for timestamp pointers (fixed in tests).
    package let clock: @Sendable () -> Date
    /// How the engine authenticates, for `authStatus`.
    package let auth: AuthStatus
    /// Checks credentials live for `authStatus` (S3: resolves them and names their source); nil reports `auth`.
    package let authProbe: (@Sendable () async -> AuthStatus)?

    /// Every capability the engine can offer on local storage; `presign` needs S3.
    package static let localCapabilities: Set<Capability> = [
        .packageWrite, .packageDelete, .search, .objectListing, .objectWrite, .bucketListing,
    ]
    /// The capabilities that change state; removed in read-only deployments.
    package static let writeCapabilities = Capability.writes

    package init(
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
