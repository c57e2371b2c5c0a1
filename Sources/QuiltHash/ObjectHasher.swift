import Crypto

/// Streaming hasher for one object of known total size: feed bytes in any slicing, then call ``finalize()``.
///
/// The result does not depend on how the bytes are split between ``update(_:)-(UnsafeRawBufferPointer)`` calls.
/// Whole buffers go straight to SHA-256 (split only at chunk boundaries), so there is no per-byte Swift work for
/// the SHA-based types. Memory use is constant: `sha2-256-chunked` folds each finished part digest into a running
/// outer SHA-256 instead of keeping the list of parts.
///
/// `totalSize` only matters for ``ObjectHashType/sha2256Chunked``: it fixes the chunk size
/// (``ChunkedChecksum/chunkSize(forTotalSize:)``). Nothing checks that exactly `totalSize` bytes are fed: if fewer
/// or more arrive, the chunk boundaries still follow the chunk size derived from the *declared* size, and the
/// result is the chunked hash of the bytes actually fed, cut at those boundaries. (That equals the quilt3 value
/// only when the declared size is the real size, or both sizes give the same chunk size.)
public struct ObjectHasher: Sendable {
    /// The algorithm this hasher computes.
    public let type: ObjectHashType
    /// The declared total size, in bytes, given at creation.
    public let totalSize: Int64
    /// The `sha2-256-chunked` chunk size derived from ``totalSize``.
    public let chunkSize: Int

    /// SHA-256 of the current chunk (`sha2-256-chunked`) or of everything (`SHA256`).
    private var inner = SHA256()
    /// SHA-256 over the concatenated raw part digests (`sha2-256-chunked` only).
    private var outer = SHA256()
    /// Bytes already fed into the current chunk (`sha2-256-chunked` only); always `< chunkSize`.
    private var bytesInChunk = 0
    /// The running CRC (`CRC64NVME` only).
    private var crc = CRC64NVME()

    /// Creates a hasher for an object of `totalSize` bytes. Never fails; a negative size is treated like 0.
    public init(type: ObjectHashType, totalSize: Int64) {
        self.type = type
        self.totalSize = totalSize
        self.chunkSize = ChunkedChecksum.chunkSize(forTotalSize: totalSize)
    }

    /// Feeds the next `bytes` of the object. An empty buffer is a no-op.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        switch type {
        case .sha256:
            inner.update(bufferPointer: bytes)
        case .crc64nvme:
            crc.update(bytes)
        case .sha2256Chunked:
            var start = 0
            while start < bytes.count {
                let take = min(chunkSize - bytesInChunk, bytes.count - start)
                inner.update(bufferPointer: UnsafeRawBufferPointer(rebasing: bytes[start..<(start + take)]))
                bytesInChunk += take
                start += take
                if bytesInChunk == chunkSize {
                    finishChunk()
                }
            }
        }
    }

    /// Feeds the next bytes of the object from any sequence. Contiguous collections (`[UInt8]`, `Data`, array
    /// slices…) are fed without copying; other sequences are copied through a small bounded buffer.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            update(UnsafeRawBufferPointer(buffer))
        }
        if handled != nil { return }
        let capacity = 64 * 1024
        var pending: [UInt8] = []
        pending.reserveCapacity(capacity)
        for byte in bytes {
            pending.append(byte)
            if pending.count == capacity {
                pending.withUnsafeBytes { update($0) }
                pending.removeAll(keepingCapacity: true)
            }
        }
        pending.withUnsafeBytes { update($0) }
    }

    /// Returns the hash of everything fed since creation (or since the previous `finalize()`), then resets the
    /// hasher to its initial state for the same type and declared size, so it can be reused.
    ///
    /// Values: `sha2-256-chunked` → base64 (44 chars) of SHA-256 over the raw part digests (no parts for 0 bytes,
    /// giving `base64(SHA-256(""))`); `SHA256` → 64 lowercase hex chars; `CRC64NVME` → base64 (12 chars) of the
    /// 8 big-endian CRC bytes. Never fails.
    public mutating func finalize() -> ObjectHash {
        let value: String
        switch type {
        case .sha256:
            value = HashEncoding.lowercaseHex(inner.finalize())
        case .crc64nvme:
            value = HashEncoding.base64(crc.bigEndianBytes)
        case .sha2256Chunked:
            if bytesInChunk > 0 {
                finishChunk()
            }
            value = HashEncoding.base64(outer.finalize())
        }
        inner = SHA256()
        outer = SHA256()
        bytesInChunk = 0
        crc = CRC64NVME()
        return ObjectHash(type: type, value: value)
    }

    /// Closes the current chunk: folds its raw digest into `outer` and starts a new chunk.
    private mutating func finishChunk() {
        let digest = inner.finalize()
        digest.withUnsafeBytes { outer.update(bufferPointer: $0) }
        inner = SHA256()
        bytesInChunk = 0
    }
}
