/// A package name `user/package`, validated like quilt3's `^[\w-]+/[\w-]+$` with Unicode-aware `\w`.
///
/// `\w` follows Python's `re` on `str`: letters (Lu, Ll, Lt, Lm, Lo), numbers (Nd, Nl, No) and `_`. Combining marks,
/// `.`, spaces and a third segment are refused. Unlike Python's `$`, a trailing newline is refused too.
public struct PackageName: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// The name as given, e.g. `alice/simple`.
    public let rawValue: String

    /// Validates `rawValue`.
    /// - Throws: `QuiltOpsError.invalidInput(field: "package_name", …)` naming the offending character or shape.
    public init(_ rawValue: String) throws(QuiltOpsError) {
        let parts = rawValue.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw .invalidInput(
                field: "package_name",
                reason: "'\(rawValue)' must have exactly two parts, like 'user/package'.")
        }
        for part in parts {
            guard !part.isEmpty else {
                throw .invalidInput(
                    field: "package_name", reason: "'\(rawValue)' has an empty part; use 'user/package'.")
            }
            for scalar in part.unicodeScalars where !PackageName.isWordOrHyphen(scalar) {
                throw .invalidInput(
                    field: "package_name",
                    reason:
                        "'\(rawValue)' contains \(PackageName.describe(scalar)); only letters, digits, '_' and '-' are allowed in each part."
                )
            }
        }
        self.rawValue = rawValue
    }

    /// The part before the slash (the "user" or namespace).
    public var namespace: String { String(rawValue.split(separator: "/")[0]) }
    /// The part after the slash.
    public var shortName: String { String(rawValue.split(separator: "/")[1]) }
    public var description: String { rawValue }

    public static func < (a: PackageName, b: PackageName) -> Bool {
        a.rawValue.unicodeScalars.lexicographicallyPrecedes(b.rawValue.unicodeScalars) { $0.value < $1.value }
    }

    public init(from decoder: any Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        try self.init(s)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }

    static func isWordOrHyphen(_ s: Unicode.Scalar) -> Bool {
        if s == "_" || s == "-" { return true }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    static func describe(_ s: Unicode.Scalar) -> String {
        switch s {
        case "\n": return "a newline"
        case " ": return "a space"
        default:
            let hex = String(s.value, radix: 16, uppercase: true)
            return "'\(String(s).debugDescription.dropFirst().dropLast())' (U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex))"
        }
    }
}
