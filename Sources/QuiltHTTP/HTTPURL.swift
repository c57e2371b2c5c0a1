import QuiltContract

/// An absolute `http(s)` URL split into the parts signing and fixtures need, without re-encoding anything.
package struct HTTPURL: Sendable, Hashable {
    package var scheme: String
    package var host: String
    /// The port written in the URL, if any; nil when it is the scheme's default (`https://h:443` is `https://h`, so
    /// `text` parses back to the same value).
    package var port: Int?
    /// The percent-encoded path, starting with `/` (`/` when the URL has none).
    package var path: String
    /// The raw query (without `?`), or nil.
    package var query: String?

    /// Parses `text`; nil when it is not an absolute http(s) URL.
    ///
    /// Every delimiter is ASCII and is found byte by byte in the UTF-8: a '/' or '@' followed by a combining mark is
    /// one Character, and a Character-wise search missed it and picked another host (found by fuzzing,
    /// Fuzz/Regressions/keys/httpurl-*). A UTF-8 byte below 0x80 is always a whole scalar, so no delimiter is missed
    /// and every part is cut at scalar boundaries.
    package init?(_ text: String) {
        let s = text.utf8
        func string(_ part: Substring.UTF8View) -> String { String(decoding: part, as: UTF8.self) }
        let colon = UInt8(ascii: ":"), slash = UInt8(ascii: "/")
        var sep: String.Index?
        var i = s.startIndex
        while i != s.endIndex {
            if s[i] == colon {
                let j = s.index(after: i)
                if j != s.endIndex, s[j] == slash, case let k = s.index(after: j), k != s.endIndex, s[k] == slash {
                    sep = i
                    break
                }
            }
            i = s.index(after: i)
        }
        guard let sep else { return nil }
        let scheme = string(s[..<sep]).lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        var rest = s[s.index(sep, offsetBy: 3)...]
        if let hash = rest.firstIndex(of: UInt8(ascii: "#")) { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex { $0 == slash || $0 == UInt8(ascii: "?") } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) { authority = authority[authority.index(after: at)...] }
        var host = string(authority)
        var port: Int? = nil
        if let portColon = authority.lastIndex(of: colon), authority.last != UInt8(ascii: "]") {
            let digits = authority[authority.index(after: portColon)...]
            if !digits.isEmpty {  // RFC 3986 allows an empty port: the scheme's default
                guard let p = Int(string(digits)), (1...65535).contains(p) else { return nil }
                port = p == (scheme == "https" ? 443 : 80) ? nil : p
            }
            host = string(authority[..<portColon])
        }
        // A ':' left in the host is only an IPv6 literal's, inside brackets (`sue::443` is no host and port).
        let bracketed = host.utf8.first == UInt8(ascii: "[") && host.utf8.last == UInt8(ascii: "]")
        guard !host.isEmpty, bracketed || !host.utf8.contains(colon) else { return nil }
        let afterAuthority = rest[authorityEnd...]
        var path = string(afterAuthority)
        var query: String? = nil
        if let q = afterAuthority.firstIndex(of: UInt8(ascii: "?")) {
            path = string(afterAuthority[..<q])
            query = string(afterAuthority[afterAuthority.index(after: q)...])
        }
        if path.isEmpty { path = "/" }
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = port
        self.path = path
        self.query = query
    }

    /// The port used on the wire.
    package var effectivePort: Int { port ?? (scheme == "https" ? 443 : 80) }

    /// `host` or `host:port` when the port is not the scheme's default (the `Host` header value).
    package var hostHeader: String {
        guard let port, port != (scheme == "https" ? 443 : 80) else { return host }
        return "\(host):\(port)"
    }

    /// `scheme://host[:port]`.
    package var origin: String { "\(scheme)://\(hostHeader)" }

    /// The query as decoded name/value pairs, in order (`+` is a space, as in form encoding).
    package var queryItems: [(name: String, value: String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.unicodeScalars.split(separator: "&", omittingEmptySubsequences: true).map { part in
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                .map { String(String.UnicodeScalarView($0)) }
            return (FormEncoding.decode(kv[0]), kv.count > 1 ? FormEncoding.decode(kv[1]) : "")
        }
    }

    /// The URL text.
    package var text: String { origin + path + (query.map { "?" + $0 } ?? "") }
}

/// Percent-encoding as AWS and HTML forms use it: `QuiltContract.PercentEncoding` (Python's `quote`, whose unreserved set
/// `A-Z a-z 0-9 - _ . ~` is exactly RFC 3986's) with form conventions.
package enum FormEncoding {
    /// RFC 3986 encoding: everything but `A-Z a-z 0-9 - _ . ~` is `%XX` (uppercase), UTF-8. With
    /// `keepSlash`, `/` stays (S3 object keys in paths).
    package static func encode(_ text: String, keepSlash: Bool = false) -> String {
        PercentEncoding.quote(text, safe: keepSlash ? "/" : "")
    }

    /// Decodes `%XX` escapes and `+` (a space). Invalid escapes are kept as written; invalid UTF-8 is replaced.
    package static func decode(_ text: String, plusIsSpace: Bool = true) -> String {
        String(decoding: PercentEncoding.unquoteBytes(text, plus: plusIsSpace), as: UTF8.self)
    }

    /// `name=value&…` with RFC 3986 encoding, in the given order.
    package static func query(_ items: [(String, String)]) -> String {
        items.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }
}
