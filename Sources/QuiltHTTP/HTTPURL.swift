/// An absolute `http(s)` URL split into the parts signing and fixtures need, without re-encoding anything.
public struct HTTPURL: Sendable, Hashable {
    public var scheme: String
    public var host: String
    /// The port written in the URL, if any.
    public var port: Int?
    /// The percent-encoded path, starting with `/` (`/` when the URL has none).
    public var path: String
    /// The raw query (without `?`), or nil.
    public var query: String?

    /// Parses `text`; nil when it is not an absolute http(s) URL.
    public init?(_ text: String) {
        guard let sep = text.range(of: "://") else { return nil }
        let scheme = text[..<sep.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        var rest = text[sep.upperBound...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host = String(authority)
        var port: Int? = nil
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            guard let p = Int(authority[authority.index(after: colon)...]), (1...65535).contains(p) else { return nil }
            port = p
            host = String(authority[..<colon])
        }
        guard !host.isEmpty else { return nil }
        let afterAuthority = rest[authorityEnd...]
        var path = String(afterAuthority)
        var query: String? = nil
        if let q = afterAuthority.firstIndex(of: "?") {
            path = String(afterAuthority[..<q])
            query = String(afterAuthority[afterAuthority.index(after: q)...])
        }
        if path.isEmpty { path = "/" }
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = port
        self.path = path
        self.query = query
    }

    /// The port used on the wire.
    public var effectivePort: Int { port ?? (scheme == "https" ? 443 : 80) }

    /// `host` or `host:port` when the port is not the scheme's default (the `Host` header value).
    public var hostHeader: String {
        guard let port, port != (scheme == "https" ? 443 : 80) else { return host }
        return "\(host):\(port)"
    }

    /// `scheme://host[:port]`.
    public var origin: String { "\(scheme)://\(hostHeader)" }

    /// The query as decoded name/value pairs, in order (`+` is a space, as in form encoding).
    public var queryItems: [(name: String, value: String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&", omittingEmptySubsequences: true).map { part in
            if let eq = part.firstIndex(of: "=") {
                return (FormEncoding.decode(String(part[..<eq])), FormEncoding.decode(String(part[part.index(after: eq)...])))
            }
            return (FormEncoding.decode(String(part)), "")
        }
    }

    /// The URL text.
    public var text: String { origin + path + (query.map { "?" + $0 } ?? "") }
}

/// Percent-encoding as AWS and HTML forms use it.
public enum FormEncoding {
    /// RFC 3986 encoding: everything but `A-Z a-z 0-9 - _ . ~` is `%XX` (uppercase), UTF-8. With
    /// `keepSlash`, `/` stays (S3 object keys in paths).
    public static func encode(_ text: String, keepSlash: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for b in text.utf8 {
            if isUnreserved(b) || (keepSlash && b == UInt8(ascii: "/")) {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                out += "%" + hex2(b)
            }
        }
        return out
    }

    /// Decodes `%XX` escapes and `+` (a space). Invalid escapes are kept as written; invalid UTF-8 is replaced.
    public static func decode(_ text: String, plusIsSpace: Bool = true) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        let source = Array(text.utf8)
        var i = 0
        while i < source.count {
            let b = source[i]
            if b == UInt8(ascii: "%"), i + 2 < source.count, let h = hexValue(source[i + 1]), let l = hexValue(source[i + 2]) {
                bytes.append(h << 4 | l)
                i += 3
            } else if plusIsSpace && b == UInt8(ascii: "+") {
                bytes.append(0x20)
                i += 1
            } else {
                bytes.append(b)
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `name=value&…` with RFC 3986 encoding, in the given order.
    public static func query(_ items: [(String, String)]) -> String {
        items.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }

    @inline(__always) static func isUnreserved(_ b: UInt8) -> Bool {
        (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || (0x30...0x39).contains(b) || b == 0x2D || b == 0x2E
            || b == 0x5F || b == 0x7E
    }

    static func hex2(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return String(decoding: [digits[Int(b >> 4)], digits[Int(b & 0xF)]], as: UTF8.self)
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}
