public import QuiltJSON

/// Where a new entry's bytes come from.
public enum EntrySource: Sendable, Hashable {
    /// A local file, uploaded into the registry at `<package>/<logical key>`.
    case localFile(path: String)
    /// An existing object (any URL the backend can read), referenced in place unless copying is asked for.
    case object(PhysicalKey)
    /// Bytes given inline, uploaded like a local file.
    case bytes([UInt8])
}

/// One file to put into a revision.
public struct NewEntry: Sendable, Hashable {
    public var logicalKey: LogicalKey
    public var source: EntrySource
    /// User metadata for the entry, stored as `meta.user_meta`; nil stores `meta: {}`.
    public var userMeta: JSONValue?
    public init(logicalKey: LogicalKey, source: EntrySource, userMeta: JSONValue? = nil) {
        self.logicalKey = logicalKey
        self.source = source
        self.userMeta = userMeta
    }
}

/// Progress of a long write, reported as work completes.
///
/// Every backend reports the same shape: phase ``entriesPhase`` once per stored entry (`completed` 1…n of n; none
/// when there are no entries), then one final phase for the revision itself — the registry engine's
/// `writing-manifest`, the catalog's `constructing-revision` — whose last report has `completed == total` and comes
/// only once the revision exists. A write that fails or is cancelled never sends that last report.
public struct WriteProgress: Sendable, Hashable {
    /// The phase of the entries (hashing and uploading, or copying, each entry).
    public static let entriesPhase = "hashing-and-uploading"
    /// What is being done: ``entriesPhase``, then the backend's final phase.
    public var phase: String
    public var completed: Int64
    public var total: Int64
    public init(phase: String, completed: Int64, total: Int64) {
        self.phase = phase
        self.completed = completed
        self.total = total
    }
}

/// Receives write progress; called from any task.
public typealias ProgressHandler = @Sendable (WriteProgress) -> Void

/// A request to create a revision from scratch.
public struct CreateRevisionRequest: Sendable {
    public var package: PackageName
    public var registry: RegistryURL
    public var entries: [NewEntry]
    /// Package-level metadata: nil leaves `user_meta` out of the header; `.null` writes `null`.
    public var userMeta: JSONValue?
    /// Commit message (quilt3 writes `null` when none is given).
    public var message: String?
    /// Create even when the package already exists (quilt3's `force=True`): the new revision becomes `latest`.
    public var force: Bool
    /// Copy `.object` sources into the registry instead of referencing them.
    public var copyObjects: Bool
    /// Receives ``WriteProgress`` as the write goes (see there for the phases every backend reports).
    public var progress: ProgressHandler?
    public init(
        package: PackageName, registry: RegistryURL, entries: [NewEntry], userMeta: JSONValue? = nil,
        message: String? = nil, force: Bool = false, copyObjects: Bool = false, progress: ProgressHandler? = nil
    ) {
        self.package = package
        self.registry = registry
        self.entries = entries
        self.userMeta = userMeta
        self.message = message
        self.force = force
        self.copyObjects = copyObjects
        self.progress = progress
    }
}

/// How an update treats package-level metadata.
public enum MetadataUpdate: Sendable, Hashable {
    /// Keep the base revision's metadata.
    case keep
    /// Shallow-merge these keys over the base metadata (an object); `null` values are stored as null.
    case merge(JSONObject)
    /// Replace it entirely (nil removes the key from the header).
    case replace(JSONValue?)
}

/// A request to make a new revision from an existing one.
public struct UpdateRevisionRequest: Sendable {
    public var package: PackageName
    public var registry: RegistryURL
    /// The revision to start from; the update conflicts if `latest` has moved away from it (unless `force`).
    public var base: RevisionRef
    /// Entries to add or replace.
    public var put: [NewEntry]
    /// Logical keys to remove; a key ending in `/` removes a whole directory.
    public var remove: [String]
    public var metadata: MetadataUpdate
    /// The new message; nil keeps quilt3's behaviour of writing `null`.
    public var message: String?
    public var force: Bool
    public var copyObjects: Bool
    /// Receives ``WriteProgress`` as the write goes (see there for the phases every backend reports).
    public var progress: ProgressHandler?
    public init(
        package: PackageName, registry: RegistryURL, base: RevisionRef = .latest, put: [NewEntry] = [],
        remove: [String] = [], metadata: MetadataUpdate = .keep, message: String? = nil, force: Bool = false,
        copyObjects: Bool = false, progress: ProgressHandler? = nil
    ) {
        self.package = package
        self.registry = registry
        self.base = base
        self.put = put
        self.remove = remove
        self.metadata = metadata
        self.message = message
        self.force = force
        self.copyObjects = copyObjects
        self.progress = progress
    }
}

/// What a delete removed.
public struct DeleteResult: Sendable, Hashable {
    /// Pointer names removed.
    public var removedPointers: [String]
    /// The hash `latest` names afterwards; nil when the package is gone.
    public var latest: TopHash?
    public init(removedPointers: [String], latest: TopHash?) {
        self.removedPointers = removedPointers
        self.latest = latest
    }
}
