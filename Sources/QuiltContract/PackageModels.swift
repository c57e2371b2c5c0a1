public import FoundationEssentials
public import QuiltHash
public import QuiltJSON

/// A package as it appears in a registry listing.
public struct PackageSummary: Sendable, Hashable {
    public var name: PackageName
    public var registry: RegistryURL
    /// When `latest` was last written, when the backend knows it cheaply.
    public var modified: Date?
    public init(name: PackageName, registry: RegistryURL, modified: Date?) {
        self.name = name
        self.registry = registry
        self.modified = modified
    }
}

/// A revision resolved to its hash.
public struct ResolvedRevision: Sendable, Hashable {
    public var name: PackageName
    public var registry: RegistryURL
    public var hash: TopHash
    public init(name: PackageName, registry: RegistryURL, hash: TopHash) {
        self.name = name
        self.registry = registry
        self.hash = hash
    }
}

/// One revision in a package's history.
public struct RevisionSummary: Sendable, Hashable {
    public var hash: TopHash
    /// The newest timestamp pointer naming this hash, as a date; nil when only non-timestamp tags name it.
    public var modified: Date?
    /// Timestamp pointer names for this hash, newest first.
    public var timestamps: [String]
    /// Other pointer names for this hash (`latest`).
    public var tags: [String]
    public init(hash: TopHash, modified: Date?, timestamps: [String], tags: [String]) {
        self.hash = hash
        self.modified = modified
        self.timestamps = timestamps
        self.tags = tags
    }
    /// True when `latest` names this revision.
    public var isLatest: Bool { tags.contains("latest") }
}

/// What a revision is: its header and totals.
public struct RevisionInfo: Sendable, Hashable {
    public var revision: ResolvedRevision
    public var modified: Date?
    /// The manifest header exactly as stored (keys in stored order).
    public var header: JSONObject
    /// Commit message; nil when absent or null (see `header` to tell them apart).
    public var message: String? { header["message"]?.stringValue }
    /// Package-level user metadata: nil when absent, `.null` when explicitly null.
    public var userMeta: JSONValue? { header["user_meta"] }
    /// Workflow header, when the registry had one.
    public var workflow: JSONValue? { header["workflow"] }
    /// Number of file entries.
    public var entryCount: Int
    /// Sum of file sizes in bytes.
    public var totalBytes: Int64
    /// Pointer names (timestamps and tags) that name this hash.
    public var pointers: [String]
    public init(
        revision: ResolvedRevision, modified: Date?, header: JSONObject, entryCount: Int, totalBytes: Int64,
        pointers: [String]
    ) {
        self.revision = revision
        self.modified = modified
        self.header = header
        self.entryCount = entryCount
        self.totalBytes = totalBytes
        self.pointers = pointers
    }
}

/// A request to list part of a revision.
public struct BrowseRequest: Sendable, Hashable {
    public var package: PackageName
    public var registry: RegistryURL
    public var revision: RevisionRef
    /// A directory inside the package (`""` is the root; a trailing `/` is optional), or one file's logical key.
    public var path: String
    /// Every file below `path` (true) or the files and subdirectories directly in it (false).
    public var recursive: Bool
    public var page: PageRequest
    public init(
        package: PackageName, registry: RegistryURL, revision: RevisionRef = .latest, path: String = "",
        recursive: Bool = false, page: PageRequest = .first
    ) {
        self.package = package
        self.registry = registry
        self.revision = revision
        self.path = path
        self.recursive = recursive
        self.page = page
    }

    /// `path` as every backend reads it: `""` → the root; `a/b` or `a/b/` → the directory prefix `a/b/`, and `a/b`
    /// (without the slash) may also name a file. Leading slashes are dropped.
    /// - Throws: `.invalidInput(field: "path")` when the rest is not a valid logical key.
    public func directoryAndFile() throws(QuiltOpsError) -> (dirPrefix: String, exactFile: String?) {
        var p = path
        while p.hasPrefix("/") { p.removeFirst() }
        if p.isEmpty { return ("", nil) }
        let trailing = p.hasSuffix("/")
        while p.hasSuffix("/") { p.removeLast() }
        _ = try LogicalKey(p, field: "path")
        return (p + "/", trailing ? nil : p)
    }
}

/// One row of a browse listing: a file or (one-level browsing) a subdirectory.
public struct BrowseEntry: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case file, directory }
    public var kind: Kind
    /// A file's logical key, or a directory's path ending in `/`.
    public var logicalKey: String
    /// Files only.
    public var physicalKey: PhysicalKey?
    /// File size, or the total size of the files below a directory.
    public var size: Int64
    /// Files only.
    public var hash: ObjectHash?
    /// A file's full entry metadata (user metadata is under `user_meta`); a directory's own metadata line, if any.
    public var meta: JSONValue?
    /// Directories only: the number of files below it.
    public var fileCount: Int?
    public init(
        kind: Kind, logicalKey: String, physicalKey: PhysicalKey?, size: Int64, hash: ObjectHash?, meta: JSONValue?,
        fileCount: Int?
    ) {
        self.kind = kind
        self.logicalKey = logicalKey
        self.physicalKey = physicalKey
        self.size = size
        self.hash = hash
        self.meta = meta
        self.fileCount = fileCount
    }
    /// A file's user metadata (`meta.user_meta`).
    public var userMeta: JSONValue? { meta?["user_meta"] }
}

/// A page of a browse listing.
public struct BrowseResult: Sendable, Hashable {
    public var revision: ResolvedRevision
    /// The directory listed, normalised (`""` or ending in `/`), or the file's key.
    public var path: String
    public var entries: [BrowseEntry]
    public var nextCursor: String?
    public init(revision: ResolvedRevision, path: String, entries: [BrowseEntry], nextCursor: String?) {
        self.revision = revision
        self.path = path
        self.entries = entries
        self.nextCursor = nextCursor
    }
}

/// The difference between two revisions, by logical key and object hash.
public struct PackageDiff: Sendable, Hashable {
    public struct Change: Sendable, Hashable {
        public var logicalKey: String
        public var from: ObjectHash?
        public var to: ObjectHash?
        public var fromSize: Int64?
        public var toSize: Int64?
        public init(logicalKey: String, from: ObjectHash?, to: ObjectHash?, fromSize: Int64?, toSize: Int64?) {
            self.logicalKey = logicalKey
            self.from = from
            self.to = to
            self.fromSize = fromSize
            self.toSize = toSize
        }
    }
    public var from: ResolvedRevision
    public var to: ResolvedRevision
    /// In `to` only.
    public var added: [Change]
    /// In `from` only.
    public var removed: [Change]
    /// In both, with different hashes.
    public var modified: [Change]
    /// True when the package-level user metadata differs.
    public var metadataChanged: Bool
    public init(
        from: ResolvedRevision, to: ResolvedRevision, added: [Change], removed: [Change], modified: [Change],
        metadataChanged: Bool
    ) {
        self.from = from
        self.to = to
        self.added = added
        self.removed = removed
        self.modified = modified
        self.metadataChanged = metadataChanged
    }
}
