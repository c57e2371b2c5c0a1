/// A page request: at most `limit` items after the opaque `cursor` from a previous page.
public struct PageRequest: Sendable, Hashable {
    /// The largest page a caller may ask for.
    public static let maxLimit = 10_000
    /// Items per page, 1...`maxLimit`.
    public let limit: Int
    /// The `nextCursor` of the previous page, or nil for the first page.
    public let cursor: String?

    /// - Throws: `QuiltOpsError.invalidInput(field: "limit", …)` when `limit` is outside 1...`maxLimit`.
    public init(limit: Int = 1000, cursor: String? = nil) throws(QuiltOpsError) {
        guard (1...PageRequest.maxLimit).contains(limit) else {
            throw .invalidInput(field: "limit", reason: "\(limit) is outside 1...\(PageRequest.maxLimit).")
        }
        self.limit = limit
        self.cursor = (cursor?.isEmpty ?? true) ? nil : cursor
    }

    /// The first page with the default size.
    public static let first: PageRequest = {
        do { return try PageRequest() } catch { fatalError("default page request is valid") }
    }()
}

/// One page of results; `nextCursor` is nil on the last page.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextCursor: String?
    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

extension Page: Equatable where Item: Equatable {}

/// Opaque, stable cursors: they encode the last key returned, so items added or removed elsewhere never make a
/// page repeat or skip what remains after it.
package enum Cursor {
    /// Encodes "continue after `key`" (base64url, prefixed with a format version).
    package static func encode(after key: String) -> String {
        let bytes = Array(("v1:" + key).utf8)
        return base64URL(bytes)
    }

    /// Decodes a cursor made by `encode(after:)`.
    /// - Throws: `QuiltOpsError.invalidInput(field: "cursor", …)` when it was not made by this server.
    package static func decode(_ cursor: String) throws(QuiltOpsError) -> String {
        guard let bytes = fromBase64URL(cursor), let text = String(validating: bytes, as: UTF8.self),
            text.hasPrefix("v1:")
        else {
            throw .invalidInput(
                field: "cursor", reason: "'\(cursor)' is not a cursor returned by this server; omit it to start over.")
        }
        return String(text.dropFirst(3))
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func base64URL(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        var i = 0
        while i + 2 < bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)]]
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)]]
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func fromBase64URL(_ s: String) -> [UInt8]? {
        var values = [UInt8]()
        for c in s.utf8 {
            guard let v = alphabet.firstIndex(of: c) else { return nil }
            values.append(UInt8(v))
        }
        guard values.count % 4 != 1 else { return nil }
        var out = [UInt8]()
        var i = 0
        while i < values.count {
            let chunk = values[i..<min(i + 4, values.count)]
            var n: UInt32 = 0
            for (j, v) in chunk.enumerated() { n |= UInt32(v) << (18 - 6 * UInt32(j)) }
            out.append(UInt8(n >> 16 & 0xff))
            if chunk.count > 2 { out.append(UInt8(n >> 8 & 0xff)) }
            if chunk.count > 3 { out.append(UInt8(n & 0xff)) }
            i += 4
        }
        return out
    }
}
