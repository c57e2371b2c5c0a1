public import FoundationEssentials

/// A bucket or registry root the caller can see.
public struct BucketInfo: Sendable, Hashable {
    public var name: String
    public var registry: RegistryURL
    public var title: String?
    public var region: String?
    public init(name: String, registry: RegistryURL, title: String? = nil, region: String? = nil) {
        self.name = name
        self.registry = registry
        self.title = title
        self.region = region
    }
}

/// What a backend knows about one stored object.
public struct ObjectInfo: Sendable, Hashable {
    public var key: PhysicalKey
    public var size: Int64
    public var lastModified: Date?
    public var etag: String?
    public var contentType: String?
    public var metadata: [String: String]
    public init(
        key: PhysicalKey, size: Int64, lastModified: Date? = nil, etag: String? = nil, contentType: String? = nil,
        metadata: [String: String] = [:]
    ) {
        self.key = key
        self.size = size
        self.lastModified = lastModified
        self.etag = etag
        self.contentType = contentType
        self.metadata = metadata
    }
}

/// A request to list objects under a prefix.
public struct ObjectListRequest: Sendable, Hashable {
    /// The bucket or registry root.
    public var root: RegistryURL
    public var prefix: String
    /// Group keys by this delimiter (usually `/`) into common prefixes; nil lists recursively.
    public var delimiter: String?
    public var page: PageRequest
    public init(root: RegistryURL, prefix: String = "", delimiter: String? = "/", page: PageRequest = .first) {
        self.root = root
        self.prefix = prefix
        self.delimiter = delimiter
        self.page = page
    }
}

/// A page of an object listing.
public struct ObjectListing: Sendable, Hashable {
    public var objects: [ObjectInfo]
    /// Common prefixes (only with a delimiter), each ending in the delimiter.
    public var prefixes: [String]
    public var nextCursor: String?
    public init(objects: [ObjectInfo], prefixes: [String], nextCursor: String?) {
        self.objects = objects
        self.prefixes = prefixes
        self.nextCursor = nextCursor
    }
}

/// A byte range: `length` bytes from `offset` (to the end when `length` is nil).
public struct ByteRange: Sendable, Hashable {
    public var offset: Int64
    public var length: Int64?
    /// - Throws: `QuiltOpsError.invalidInput(field: "range", …)` for a negative offset or a non-positive length.
    public init(offset: Int64, length: Int64?) throws(QuiltOpsError) {
        guard offset >= 0 else { throw .invalidInput(field: "range", reason: "offset \(offset) is negative.") }
        if let length, length <= 0 {
            throw .invalidInput(field: "range", reason: "length \(length) must be positive.")
        }
        self.offset = offset
        self.length = length
    }
}

/// Bytes read from an object.
public struct ObjectData: Sendable, Hashable {
    public var info: ObjectInfo
    public var bytes: [UInt8]
    /// The offset of `bytes[0]` in the object.
    public var offset: Int64
    public init(info: ObjectInfo, bytes: [UInt8], offset: Int64) {
        self.info = info
        self.bytes = bytes
        self.offset = offset
    }
}

/// How to reach an object from outside the server.
public struct ObjectLink: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// A time-limited URL anyone holding it may GET.
        case presigned
        /// A location on this machine (`file://`), usable by local tools.
        case local
    }
    public var url: String
    public var kind: Kind
    public var expiresAt: Date?
    public init(url: String, kind: Kind, expiresAt: Date?) {
        self.url = url
        self.kind = kind
        self.expiresAt = expiresAt
    }
}

/// An object to write.
public struct ObjectPut: Sendable, Hashable {
    public var key: PhysicalKey
    public var bytes: [UInt8]
    public var contentType: String?
    public var metadata: [String: String]
    public init(key: PhysicalKey, bytes: [UInt8], contentType: String? = nil, metadata: [String: String] = [:]) {
        self.key = key
        self.bytes = bytes
        self.contentType = contentType
        self.metadata = metadata
    }
}
