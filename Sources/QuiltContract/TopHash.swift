/// A package revision's top hash: 64 lowercase hexadecimal characters (SHA-256).
public struct TopHash: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// 64 lowercase hex characters.
    public let rawValue: String

    /// Validates and lowercases `text`.
    /// - Throws: `QuiltOpsError.invalidInput(field:…)` when it is not 64 hex characters.
    public init(_ text: String, field: String = "top_hash") throws(QuiltOpsError) {
        let lower = text.lowercased()
        guard lower.utf8.count == 64, TopHash.isHex(lower) else {
            throw .invalidInput(
                field: field, reason: "'\(text)' is not a top hash (64 hexadecimal characters).")
        }
        rawValue = lower
    }

    /// The first `length` characters, for display.
    public func prefix(_ length: Int = 12) -> String { String(rawValue.prefix(length)) }
    public var description: String { rawValue }
    public static func < (a: TopHash, b: TopHash) -> Bool { a.rawValue < b.rawValue }

    /// True when every character is `0-9a-f`.
    public static func isHex(_ s: String) -> Bool {
        s.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    public init(from decoder: any Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}
