/// An object hash as recorded in a manifest entry: `{"type": …, "value": …}`.
///
/// `type` is kept verbatim so that a hash of a type this library does not know survives a decode/encode round trip
/// unchanged. Use ``knownType`` to interpret it. Encodes and decodes as a JSON object with exactly the keys
/// `type` and `value`; decoding throws `DecodingError` if either is missing or not a string.
public struct ObjectHash: Sendable, Hashable, Codable {
    /// The hash type string exactly as written in the manifest (for example `"sha2-256-chunked"`).
    public var type: String
    /// The hash value string exactly as written in the manifest (base64 or lowercase hex, depending on `type`).
    public var value: String

    /// Creates a hash from its manifest strings. No validation is done; any strings are accepted.
    public init(type: String, value: String) {
        self.type = type
        self.value = value
    }

    /// Creates a hash of a known type.
    public init(type: ObjectHashType, value: String) {
        self.init(type: type.rawValue, value: value)
    }

    /// The algorithm named by ``type``, or `nil` if the string is not one of ``ObjectHashType``'s raw values
    /// (the comparison is exact and case-sensitive, as in quilt3).
    public var knownType: ObjectHashType? {
        ObjectHashType(rawValue: type)
    }
}
