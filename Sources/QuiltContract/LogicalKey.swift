/// The path of a file inside a package: `/`-separated, non-empty, with no empty, `.` or `..` component.
///
/// `.b` and `.quilt/x` are valid; `a//b`, `/a`, `a/` and `a/../b` are not.
public struct LogicalKey: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// The key as stored in the manifest.
    public let rawValue: String

    /// Validates `rawValue`.
    /// - Throws: `QuiltOpsError.invalidInput(field: "logical_key", …)` saying which component is wrong.
    public init(_ rawValue: String, field: String = "logical_key") throws(QuiltOpsError) {
        guard !rawValue.isEmpty else {
            throw .invalidInput(field: field, reason: "a logical key cannot be empty.")
        }
        // Split at every '/' byte, as quilt3 (Python's str.split) and file systems do: a '/' followed by a combining
        // mark is one Character, and a Character-wise split would hide the '..' before it (found by fuzzing).
        for component in rawValue.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            if component.isEmpty {
                throw .invalidInput(
                    field: field,
                    reason: "'\(rawValue)' has an empty path component (leading, trailing or double '/').")
            }
            if component.elementsEqual(".".utf8) || component.elementsEqual("..".utf8) {
                throw .invalidInput(
                    field: field, reason: "'\(rawValue)' contains a '\(String(decoding: component, as: UTF8.self))' component.")
            }
        }
        self.rawValue = rawValue
    }

    /// The components between slashes.
    public var components: [Substring] {
        rawValue.unicodeScalars.split(separator: "/").map { Substring(Substring.UnicodeScalarView($0)) }
    }
    public var description: String { rawValue }

    /// quilt3's tree order: keys compared as lists of components, each by Unicode code point.
    /// `B/upper.txt < a/x < a-b/x < a.txt < b/c.txt < b.txt`.
    public static func < (a: LogicalKey, b: LogicalKey) -> Bool { treeOrderPrecedes(a.rawValue, b.rawValue) }

    /// Compares two `/`-separated paths as quilt3 orders manifest entries: component by component, by code point.
    public static func treeOrderPrecedes(_ a: String, _ b: String) -> Bool {
        treeOrderPrecedes(bytes: a.utf8, b.utf8)
    }

    /// `treeOrderPrecedes` on UTF-8 bytes.
    @inlinable
    public static func treeOrderPrecedes<A: Sequence<UInt8>, B: Sequence<UInt8>>(bytes a: A, _ b: B) -> Bool {
        var ia = a.makeIterator()
        var ib = b.makeIterator()
        // UTF-8 byte order equals code-point order; '/' must sort before every other byte, so map it to 0.
        while true {
            let ca = ia.next()
            let cb = ib.next()
            switch (ca, cb) {
            case (nil, nil): return false
            case (nil, _): return true
            case (_, nil): return false
            case (let x?, let y?):
                if x == y { continue }
                let mx: UInt16 = x == UInt8(ascii: "/") ? 0 : UInt16(x) + 1
                let my: UInt16 = y == UInt8(ascii: "/") ? 0 : UInt16(y) + 1
                return mx < my
            }
        }
    }

    public init(from decoder: any Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}
