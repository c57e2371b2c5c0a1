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
    /// Every delimiter is ASCII and is found scalar by scalar: a '/' or '@' followed by a combining mark is one
    /// Character, and a Character-wise search missed it and picked another host (found by fuzzing,
    /// Fuzz/Regressions/keys/httpurl-*).
    package init?(_ text: String) {
        let s = Array(text.unicodeScalars)
        func string(_ part: ArraySlice<Unicode.Scalar>) -> String {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: part)
            return String(view)
        }
        var sep: Int?
        if s.count >= 3 {
            for i in 0...(s.count - 3) where s[i] == ":" && s[i + 1] == "/" && s[i + 2] == "/" {
                sep = i
                break
            }
        }
        guard let sep else { return nil }
        let scheme = string(s[..<sep]).lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        var rest = s[(sep + 3)...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[(at + 1)...] }
        var host = string(authority)
        var port: Int? = nil
        if let colon = authority.lastIndex(of: ":"), authority.last != "]" {
            let digits = authority[(colon + 1)...]
            if !digits.isEmpty {  // RFC 3986 allows an empty port: the scheme's default
                guard let p = Int(string(digits)), (1...65535).contains(p) else { return nil }
                port = p == (scheme == "https" ? 443 : 80) ? nil : p
            }
            host = string(authority[..<colon])
        }
        // A ':' left in the host is only an IPv6 literal's, inside brackets (`sue::443` is no host and port).
        let bracketed = host.unicodeScalars.first == "[" && host.unicodeScalars.last == "]"
        guard !host.isEmpty, bracketed || !host.unicodeScalars.contains(":") else { return nil }
        let afterAuthority = rest[authorityEnd...]
        var path = string(afterAuthority)
        var query: String? = nil
        if let q = afterAuthority.firstIndex(of: "?") {
            path = string(afterAuthority[..<q])
            query = string(afterAuthority[(q + 1)...])
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
