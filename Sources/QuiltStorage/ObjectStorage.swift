package import FoundationEssentials
package import QuiltContract

/// Metadata of one stored object.
package struct StoredObject: Sendable, Hashable {
    /// Key relative to the storage root.
    package var key: String
    package var size: Int64
    package var lastModified: Date?
    package var etag: String?
    /// Set by versioned stores (S3 with versioning).
    package var versionId: String?
    package var contentType: String?
    package var metadata: [String: String]
    package init(
        key: String, size: Int64, lastModified: Date? = nil, etag: String? = nil, versionId: String? = nil,
        contentType: String? = nil, metadata: [String: String] = [:]
    ) {
        self.key = key
        self.size = size
        self.lastModified = lastModified
        self.etag = etag
        self.versionId = versionId
        self.contentType = contentType
        self.metadata = metadata
    }
}

/// One page of a storage listing, in UTF-8 byte order of keys (S3's order).
package struct StorageListing: Sendable, Hashable {
    package var objects: [StoredObject]
    /// With a delimiter: the distinct key prefixes up to and including the delimiter.
    package var commonPrefixes: [String]
    /// When more remain: the last key or prefix returned; pass it as `startAfter` to continue.
    package var continueAfter: String?
    package init(objects: [StoredObject], commonPrefixes: [String], continueAfter: String?) {
        self.objects = objects
        self.commonPrefixes = commonPrefixes
        self.continueAfter = continueAfter
    }
}

/// Reads an object as a sequence of chunks, so large manifests never need to be held whole.
/// A reader is used by one task at a time.
package protocol ChunkReader: AnyObject, Sendable {
    /// The next chunk, or nil at the end.
    /// - Throws: `QuiltOpsError.remote` when the read fails part-way.
    func next() async throws(QuiltOpsError) -> [UInt8]?
}

/// A flat key/value object store rooted at a bucket or directory: the storage seam of the registry engine.
///
/// Keys are `/`-separated strings relative to the root, compared in UTF-8 byte order. Implementations: memory,
/// local files, and S3. All errors are `QuiltOpsError`: a missing key is `.notFound(.object(url))`.
package protocol ObjectStorage: Sendable {
    /// The root this store serves.
    var root: RegistryURL { get }

    // MARK: - Reading

    /// Metadata of `key`.
    /// - Throws: `.notFound(.object)` when absent.
    func head(_ key: String) async throws(QuiltOpsError) -> StoredObject

    /// The bytes of `key` (or of `range`), with its metadata.
    /// - Throws: `.notFound(.object)`; `.invalidInput(field: "range")` when the range starts past the end.
    func get(_ key: String, range: ByteRange?) async throws(QuiltOpsError) -> (StoredObject, [UInt8])

    /// A chunked reader over the whole object.
    /// - Throws: `.notFound(.object)`.
    func reader(_ key: String) async throws(QuiltOpsError) -> any ChunkReader

    /// Lists keys starting with `prefix` and greater than `startAfter`, at most `limit` entries (objects plus
    /// common prefixes). With `delimiter`, keys containing it after the prefix are rolled up into common prefixes.
    func list(prefix: String, delimiter: String?, startAfter: String?, limit: Int) async throws(QuiltOpsError)
        -> StorageListing

    // MARK: - Writing

    /// Writes `bytes` at `key`, replacing it atomically: readers see the old or the new object, never a part.
    func put(_ key: String, bytes: [UInt8], contentType: String?, metadata: [String: String])
        async throws(QuiltOpsError) -> StoredObject

    /// Streams a local file into `key` (atomic like `put`).
    /// - Throws: `.notFound(.file)` when the local file is missing.
    func putFile(_ key: String, fromPath path: String) async throws(QuiltOpsError) -> StoredObject

    /// Copies `source` to `destination` within this store.
    func copy(from source: String, to destination: String) async throws(QuiltOpsError) -> StoredObject

    /// Deletes `key`; deleting a missing key succeeds (S3 semantics).
    func delete(_ key: String) async throws(QuiltOpsError)

    // MARK: - Versions

    /// Metadata of one version of `key` (nil: the current one). Stores without versions ignore `versionId`.
    func head(_ key: String, versionId: String?) async throws(QuiltOpsError) -> StoredObject

    /// The bytes of one version of `key`. Stores without versions ignore `versionId`.
    func get(_ key: String, range: ByteRange?, versionId: String?) async throws(QuiltOpsError) -> (StoredObject, [UInt8])

    /// A chunked reader over one version of `key`. Stores without versions ignore `versionId`.
    func reader(_ key: String, versionId: String?) async throws(QuiltOpsError) -> any ChunkReader

    /// Copies one version of `source` to `destination`. Stores without versions ignore `versionId`.
    func copy(from source: String, versionId: String?, to destination: String) async throws(QuiltOpsError) -> StoredObject

    /// Copies `key` (`size` bytes) of `source` — this store or another — to `destination` inside the service, without
    /// the bytes passing through this process, at any size (S3: CopyObject, or UploadPartCopy above 5 GiB).
    /// - Returns: nil when the service cannot copy from `source` (then the caller moves the bytes itself).
    func serverSideCopy(from source: any ObjectStorage, key: String, versionId: String?, size: Int64, to destination: String)
        async throws(QuiltOpsError) -> StoredObject?

    // MARK: - Local files

    /// Whether the root exists. A local directory that is missing answers false; stores whose root comes into being
    /// with the first write (memory, a bucket seen through S3) answer true.
    func rootExists() async -> Bool

    /// The file on this machine that holds `key`, for stores that keep objects as local files; nil otherwise.
    func localPath(of key: String) -> String?

    /// Writes `key` from the reader `open` gives, one chunk in memory at a time (atomic like `put`), where this
    /// store can; nil where it cannot (nothing was opened or written), and the caller moves the bytes another way.
    func putStreamed(_ key: String, from open: () async throws(QuiltOpsError) -> any ChunkReader)
        async throws(QuiltOpsError) -> StoredObject?
}

extension ObjectStorage {
    package func head(_ key: String, versionId: String?) async throws(QuiltOpsError) -> StoredObject {
        try await head(key)
    }
    package func get(_ key: String, range: ByteRange?, versionId: String?) async throws(QuiltOpsError) -> (StoredObject, [UInt8]) {
        try await get(key, range: range)
    }
    package func reader(_ key: String, versionId: String?) async throws(QuiltOpsError) -> any ChunkReader {
        try await reader(key)
    }
    package func copy(from source: String, versionId: String?, to destination: String) async throws(QuiltOpsError) -> StoredObject {
        try await copy(from: source, to: destination)
    }
    package func serverSideCopy(from source: any ObjectStorage, key: String, versionId: String?, size: Int64, to destination: String)
        async throws(QuiltOpsError) -> StoredObject?
    {
        nil
    }
    package func rootExists() async -> Bool { true }
    package func localPath(of key: String) -> String? { nil }
    package func putStreamed(_ key: String, from open: () async throws(QuiltOpsError) -> any ChunkReader)
        async throws(QuiltOpsError) -> StoredObject?
    {
        nil
    }
}

/// A store that can hand out time-limited URLs for its objects (S3 presigned GETs).
package protocol PresigningStorage: ObjectStorage {
    /// A URL that reads `key` (one version, when given) without credentials until it expires.
    /// - Throws: `.invalidInput(field: "expiration")` outside 1…604800 seconds.
    func presignedURL(_ key: String, versionId: String?, expiresIn: Int) async throws(QuiltOpsError) -> (url: String, expiresAt: Date)
}

extension ObjectStorage {
    /// The physical-key URL of `key` in this store.
    package func physicalKey(_ key: String, versionId: String? = nil) -> PhysicalKey {
        root.physicalKey(key, versionId: versionId)
    }

    /// Every page of a listing, concatenated (for small listings).
    package func listAll(prefix: String, delimiter: String? = nil) async throws(QuiltOpsError) -> StorageListing {
        var all = StorageListing(objects: [], commonPrefixes: [], continueAfter: nil)
        var after: String? = nil
        repeat {
            let page = try await list(prefix: prefix, delimiter: delimiter, startAfter: after, limit: 1000)
            all.objects += page.objects
            all.commonPrefixes += page.commonPrefixes
            after = page.continueAfter
        } while after != nil
        return all
    }

    /// Reads a whole small object (a pointer file) as UTF-8 text, asking for at most `limit` + 1 bytes, so a huge
    /// object planted where a small one belongs is never loaded.
    /// - Throws: `.tooLarge` when the object holds more than `limit` bytes; `.notFound(.object)` when absent.
    package func getText(_ key: String, limit: Int = 1024) async throws(QuiltOpsError) -> String {
        let bytes: [UInt8]
        do {
            (_, bytes) = try await get(key, range: ByteRange(offset: 0, length: Int64(limit) + 1))
        } catch .invalidInput(field: "range", _) {
            return ""  // an empty object: no byte 0 to start a range at
        }
        guard bytes.count <= limit else {
            throw .tooLarge(
                what: "\(physicalKey(key).url) (read as a small text file, e.g. a package pointer)", limit: Int64(limit),
                unit: "bytes", setting: "the quilt3 registry layout (a pointer holds one 64-character hash)")
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// UTF-8 byte-order comparison of keys (S3's listing order).
@inline(__always)
package func keyPrecedes(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}

/// A chunk reader over bytes already in memory.
package final class BytesChunkReader: ChunkReader {
    private let bytes: [UInt8]
    private let chunkSize: Int
    private let state = LockedOffset()
    package init(_ bytes: [UInt8], chunkSize: Int = 1 << 20) {
        self.bytes = bytes
        self.chunkSize = chunkSize
    }
    package func next() async throws(QuiltOpsError) -> [UInt8]? {
        let start = state.advance(by: chunkSize, limit: bytes.count)
        guard start < bytes.count else { return nil }
        return Array(bytes[start..<min(start + chunkSize, bytes.count)])
    }
}

/// A tiny lock-protected counter.
final class LockedOffset: @unchecked Sendable {
    private let lock = PosixLock()
    private var value = 0
    /// Returns the old offset and advances it.
    func advance(by n: Int, limit: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        let old = value
        value = min(value + n, limit + 1)
        return old
    }
}

/// Applies listing rules (prefix, delimiter roll-up, start-after, limit) to a sorted key sequence.
/// Shared by the memory and file stores so both list exactly like S3.
package struct ListingBuilder {
    let prefix: String
    let delimiter: String?
    let startAfter: String?
    let limit: Int
    package private(set) var objects: [StoredObject] = []
    package private(set) var prefixes: [String] = []
    package private(set) var truncated = false
    private var lastEmitted: String? = nil

    package init(prefix: String, delimiter: String?, startAfter: String?, limit: Int) {
        self.prefix = prefix
        self.delimiter = (delimiter?.isEmpty ?? true) ? nil : delimiter
        self.startAfter = startAfter
        self.limit = max(1, limit)
    }

    /// Offers the next key in ascending order; returns false once the page is full (stop offering).
    package mutating func offer(_ key: String, _ make: () -> StoredObject?) -> Bool {
        guard key.hasPrefix(prefix) else { return true }
        if let startAfter, !keyPrecedes(startAfter, key) { return true }
        if let delimiter {
            let rest = key.dropFirst(prefix.count)
            if let r = rest.firstRange(of: delimiter) {
                let common = prefix + rest[..<r.upperBound]
                if common == lastEmitted { return true }
                if let startAfter, !keyPrecedes(startAfter, common) && !startAfter.hasPrefix(common) { return true }
                if let startAfter, startAfter.hasPrefix(common) { return true }
                guard count < limit else { truncated = true; return false }
                prefixes.append(common)
                lastEmitted = common
                return true
            }
        }
        guard count < limit else { truncated = true; return false }
        guard let object = make() else { return true }
        objects.append(object)
        lastEmitted = key
        return true
    }

    var count: Int { objects.count + prefixes.count }

    /// The finished page.
    package func build() -> StorageListing {
        StorageListing(objects: objects, commonPrefixes: prefixes, continueAfter: truncated ? lastEmitted : nil)
    }
}

extension ObjectStorage {
    /// Copies one version of `key` in `source` (this store or another) to `destination`, the cheapest way there is:
    /// inside the service (``serverSideCopy(from:key:versionId:size:to:)``), a copy within this store, a local file
    /// streamed (multipart on S3), any object streamed chunk by chunk into a local directory, and only otherwise
    /// (into memory or from memory) through memory.
    /// - Parameter info: the source object's head (size and content type).
    package func copyIn(
        from source: any ObjectStorage, key: String, versionId: String?, info: StoredObject, to destination: String
    ) async throws(QuiltOpsError) -> StoredObject {
        if let copied = try await serverSideCopy(from: source, key: key, versionId: versionId, size: info.size, to: destination) {
            return copied
        }
        if source.root == root { return try await copy(from: key, versionId: versionId, to: destination) }
        if let path = source.localPath(of: key) { return try await putFile(destination, fromPath: path) }
        if let streamed = try await putStreamed(destination, from: { () async throws(QuiltOpsError) in try await source.reader(key, versionId: versionId) }) {
            return streamed
        }
        let (_, bytes) = try await source.get(key, range: nil, versionId: versionId)
        return try await put(destination, bytes: bytes, contentType: info.contentType, metadata: [:])
    }
}
