/// The object-hash algorithms that quilt3 manifests use in an entry's `hash.type`.
///
/// The raw value is the exact string written in a manifest (case matters: `"sha2-256-chunked"` is lowercase,
/// `"SHA256"` and `"CRC64NVME"` are uppercase).
public enum ObjectHashType: String, Sendable, CaseIterable {
    /// quilt3's default since 6.0.0: SHA-256 of each chunk (8 MiB, doubled while there would be more than 10,000
    /// chunks), then `base64(SHA-256(concatenated raw part digests))`. An empty object has no parts, so its value
    /// is `base64(SHA-256(""))`.
    case sha2256Chunked = "sha2-256-chunked"
    /// Legacy (written by quilt3 before 6.0.0): lowercase hexadecimal SHA-256 of the whole content.
    case sha256 = "SHA256"
    /// CRC-64/NVME of the whole content, as the base64 of its 8 big-endian bytes.
    case crc64nvme = "CRC64NVME"
}
