/// Validation of the http(s) URLs a catalog is configured with.
enum HTTPURLText {
    /// Accepts `http://host[:port][/path]` or `https://…` (scheme case-insensitive), without credentials, query,
    /// fragment or whitespace, and returns it with the scheme lowercased and trailing slashes trimmed.
    static func normalize(_ text: String) -> Result<String, ValueRejection> {
        let lower = text.lowercased()
        let scheme: String
        if lower.hasPrefix("https://") {
            scheme = "https://"
        } else if lower.hasPrefix("http://") {
            scheme = "http://"
        } else {
            let hint = text.contains("://") ? "" : " (did you mean https://\(text)?)"
            return .failure(ValueRejection("'\(text)' is not an http(s) URL\(hint)"))
        }
        var rest = Substring(text.dropFirst(scheme.count))
        while rest.hasSuffix("/") { rest.removeLast() }
        let host = rest.prefix { $0 != "/" }
        guard !host.isEmpty else { return .failure(ValueRejection("'\(text)' has no host")) }
        guard !text.contains(where: { $0.isWhitespace }) else {
            return .failure(ValueRejection("'\(text)' contains whitespace"))
        }
        guard !rest.contains("?"), !rest.contains("#") else {
            return .failure(ValueRejection("'\(text)' has a query or fragment"))
        }
        guard !host.contains("@") else {
            return .failure(ValueRejection("'\(text)' contains credentials; put no user or password in the URL"))
        }
        return .success(scheme + rest)
    }
}
