/// One-shot hashing and verification of in-memory data and local files.
public enum ObjectHashing {
    /// The hash of `data` with the given algorithm (default `sha2-256-chunked`, quilt3's default).
    /// Never fails. Contiguous collections are hashed without copying.
    public static func hash(_ data: some Collection<UInt8>, type: ObjectHashType = .sha2256Chunked) -> ObjectHash {
        var hasher = ObjectHasher(type: type, totalSize: Int64(data.count))
        hasher.update(data)
        return hasher.finalize()
    }

    /// The hash of the regular file at `path`, streamed with `read(2)` through one reused buffer of at most
    /// 8 MiB (constant memory, whatever the file size). The chunk size comes from the file size that `fstat`
    /// reports when the file is opened.
    ///
    /// - Throws: ``HashIOError`` if the file cannot be opened or read (missing file, no permission, a directory…).
    public static func hashFile(atPath path: String, type: ObjectHashType = .sha2256Chunked) throws(HashIOError) -> ObjectHash {
        var hasher: ObjectHasher?
        try FileReader.read(path: path, start: { size in
            hasher = ObjectHasher(type: type, totalSize: size)
        }, body: { bytes in
            hasher?.update(bytes)
        })
        // `start` always runs before a successful return; fall back to an empty object just in case.
        var result = hasher ?? ObjectHasher(type: type, totalSize: 0)
        return result.finalize()
    }

    /// Whether `data` has the hash `expected`.
    ///
    /// Supports all three ``ObjectHashType``s. The value comparison is exact (case-sensitive), as in quilt3, so a
    /// `SHA256` value must be lowercase hex. Returns `false` for a hash type this library does not know. Never fails.
    public static func verify(_ data: some Collection<UInt8>, expected: ObjectHash) -> Bool {
        guard let type = expected.knownType else { return false }
        return hash(data, type: type).value == expected.value
    }

    /// Whether the file at `path` has the hash `expected` (streamed like ``hashFile(atPath:type:)``).
    ///
    /// Returns `false` without touching the file when `expected.type` is not a known ``ObjectHashType``.
    /// The comparison is exact, as in ``verify(_:expected:)``.
    /// - Throws: ``HashIOError`` if the file cannot be opened or read.
    public static func verifyFile(atPath path: String, expected: ObjectHash) throws(HashIOError) -> Bool {
        guard let type = expected.knownType else { return false }
        return try hashFile(atPath: path, type: type).value == expected.value
    }
}
