/// Chunking parameters of the `sha2-256-chunked` algorithm (quilt3 `checksums.get_checksum_chunksize`).
public enum ChunkedChecksum {
    /// The starting chunk size: 8 MiB (8,388,608 bytes).
    public static let defaultChunkSize = 8 * 1024 * 1024
    /// The maximum number of parts (S3's multipart-upload limit): 10,000.
    public static let maxParts = 10_000

    /// The chunk size quilt3 uses for an object of `size` bytes: 8 MiB, doubled while `ceil(size / chunk)` would
    /// exceed ``maxParts``.
    ///
    /// For example, up to 83,886,080,000 bytes the result is 8 MiB; one byte more gives 16 MiB. A size of 0 or less
    /// gives 8 MiB. Never traps.
    public static func chunkSize(forTotalSize size: Int64) -> Int {
        var chunk = Int64(defaultChunkSize)
        guard size > 0 else { return defaultChunkSize }
        // ceil(size / chunk) > maxParts  <=>  size > chunk * maxParts (for positive integers).
        while chunk.multipliedReportingOverflow(by: Int64(maxParts)).overflow == false,
              size > chunk * Int64(maxParts) {
            chunk *= 2
        }
        return Int(chunk)
    }
}
