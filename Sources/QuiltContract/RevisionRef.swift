/// How a caller names a revision, as quilt3's `browse(top_hash=…)` and the catalog's `hashOrTag` do.
public enum RevisionRef: Sendable, Hashable, CustomStringConvertible {
    /// Whatever the `latest` pointer names.
    case latest
    /// A pointer by name: a Unix-timestamp pointer such as `1795282874` (or any other named pointer).
    case tag(String)
    /// A full top hash.
    case hash(TopHash)
    /// A unique prefix of a top hash, 6 to 63 lowercase hex characters.
    case hashPrefix(String)

    /// Builds a reference from the tool parameters `top_hash` (full or prefix) and `tag` (`latest` or a timestamp).
    /// Both absent means `latest`.
    /// - Throws: `QuiltOpsError.invalidInput` when both are given, the hash is not hex or shorter than 6, or the tag is
    ///   not a pointer name.
    public static func parse(topHash: String?, tag: String?) throws(QuiltOpsError) -> RevisionRef {
        let hash = topHash?.trimmingWhitespace()
        let tag = tag?.trimmingWhitespace()
        switch (hash.flatMap { $0.isEmpty ? nil : $0 }, tag.flatMap { $0.isEmpty ? nil : $0 }) {
        case (nil, nil):
            return .latest
        case (.some, .some):
            throw .invalidInput(field: "top_hash", reason: "give either top_hash or tag, not both.")
        case (let h?, nil):
            let lower = h.lowercased()
            guard TopHash.isHex(lower) else {
                throw .invalidInput(field: "top_hash", reason: "'\(h)' is not hexadecimal.")
            }
            switch lower.utf8.count {
            case 64: return .hash(try TopHash(lower))
            case 6...63: return .hashPrefix(lower)
            case ..<6:
                throw .invalidInput(
                    field: "top_hash", reason: "'\(h)' is too short; give at least 6 characters of the hash.")
            default:
                throw .invalidInput(field: "top_hash", reason: "'\(h)' is longer than a top hash (64 characters).")
            }
        case (nil, let t?):
            if t == "latest" { return .latest }
            guard RevisionRef.isPointerName(t) else {
                throw .invalidInput(
                    field: "tag", reason: "'\(t)' is not a tag; use 'latest' or a timestamp such as 1795282874.")
            }
            return .tag(t)
        }
    }

    /// Pointer file names: non-empty, no `/`, not `.` or `..`.
    public static func isPointerName(_ s: String) -> Bool {
        !s.isEmpty && s != "." && s != ".." && !s.contains("/") && !s.contains("\n")
    }

    public var description: String {
        switch self {
        case .latest: return "latest"
        case .tag(let t): return t
        case .hash(let h): return h.rawValue
        case .hashPrefix(let p): return p
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing whitespace and newlines (Unicode's, as Foundation's
    /// `trimmingCharacters(in: .whitespacesAndNewlines)`), without Foundation.
    package func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else {
            return ""
        }
        return String(self[first...last])
    }
}
