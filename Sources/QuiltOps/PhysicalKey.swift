/// Where an object's bytes live, written as quilt3 writes it in manifests:
/// `s3://bucket/quoted/key?versionId=v`, `file:///quoted/abs/path`, or (in-process) `memory://store/quoted/key`.
///
/// Quoting is Python's `urllib.parse.quote(…, safe='/')` on the key, and `urlencode({"versionId": v})` on the
/// version, so URLs compare byte for byte with quilt3's.
public struct PhysicalKey: Sendable, Hashable, CustomStringConvertible, Codable {
    /// The storage kind.
    public enum Scheme: String, Sendable, Hashable, Codable { case s3, file, memory }

    /// The storage kind.
    public let scheme: Scheme
    /// Bucket (`s3`) or store name (`memory`); nil for `file`.
    public let bucket: String?
    /// Object key without a leading slash (`s3`, `memory`), or the absolute path (`file`).
    public let path: String
    /// S3 object version, when the object is pinned.
    public let versionId: String?

    /// An S3 object.
    public init(s3Bucket bucket: String, key: String, versionId: String? = nil) {
        self.scheme = .s3
        self.bucket = bucket
        self.path = key
        self.versionId = versionId
    }

    /// A local file (absolute path).
    public init(filePath: String) {
        self.scheme = .file
        self.bucket = nil
        self.path = filePath
        self.versionId = nil
    }

    /// An object in an in-process memory store.
    public init(memoryStore: String, key: String) {
        self.scheme = .memory
        self.bucket = memoryStore
        self.path = key
        self.versionId = nil
    }

    /// Parses a physical-key URL the way quilt3's `PhysicalKey.from_url` does.
    /// - Throws: `QuiltOpsError.invalidInput(field:…)` for an unknown scheme, a missing bucket, a relative file URL,
    ///   or any query parameter other than `versionId` (S3 only).
    public init(_ url: String, field: String = "physical_key") throws(QuiltOpsError) {
        func bad(_ reason: String) -> QuiltOpsError { .invalidInput(field: field, reason: "'\(url)' \(reason)") }
        guard let schemeEnd = url.range(of: "://") else {
            throw bad("is not a URL; use s3://bucket/key, file:///path or memory://store/key.")
        }
        let schemeText = url[url.startIndex..<schemeEnd.lowerBound].lowercased()
        var rest = String(url[schemeEnd.upperBound...])
        // As urllib.parse: a fragment ('#…') is cut off first, then the query ('?…').
        var fragment: String? = nil
        if let h = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: h)...])
            rest = String(rest[..<h])
        }
        var query: String? = nil
        if let q = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: q)...])
            rest = String(rest[..<q])
        }
        switch schemeText {
        case "s3", "memory":
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            let bucket = String(rest[..<slash])
            guard !bucket.isEmpty else { throw bad("has no bucket.") }
            let rawKey = slash < rest.endIndex ? String(rest[rest.index(after: slash)...]) : ""
            guard let key = PercentEncoding.unquote(rawKey) else { throw bad("does not decode to UTF-8.") }
            var version: String? = nil
            if let query, !query.isEmpty {
                guard schemeText == "s3" else { throw bad("has a query; memory keys take none.") }
                for pair in query.split(separator: "&") {
                    let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    let name = PercentEncoding.unquote(String(kv[0]), plus: true) ?? ""
                    guard name == "versionId", kv.count == 2 else {
                        throw bad("has an unexpected query parameter '\(name)'; only versionId is allowed.")
                    }
                    guard version == nil else { continue }  // quilt3 (parse_qs) keeps the first
                    guard let v = PercentEncoding.unquote(String(kv[1]), plus: true) else {
                        throw bad("has a versionId that does not decode to UTF-8.")
                    }
                    version = v.isEmpty ? nil : v
                }
            }
            if schemeText == "s3" {
                self.init(s3Bucket: bucket, key: key, versionId: version)
            } else {
                self.init(memoryStore: bucket, key: key)
            }
        case "file":
            if let query, !query.isEmpty { throw bad("has a query; file URLs take none.") }
            if let fragment, !fragment.isEmpty { throw bad("has a fragment; file URLs take none.") }
            var p = rest
            if p.hasPrefix("localhost/") { p = String(p.dropFirst(9)) }
            guard p.hasPrefix("/") else { throw bad("is not an absolute file URL (file:///path).") }
            guard let decoded = PercentEncoding.unquote(p) else { throw bad("does not decode to UTF-8.") }
            self.init(filePath: decoded)
        default:
            throw bad("has an unsupported scheme '\(schemeText)'; use s3, file or memory.")
        }
    }

    /// The URL quilt3 would write for this key.
    public var url: String {
        switch scheme {
        case .s3:
            var s = "s3://\(bucket ?? "")" + PercentEncoding.quote("/" + path)
            if let versionId { s += "?versionId=" + PercentEncoding.quotePlus(versionId) }
            return s
        case .file:
            // pathlib (which quilt3 uses for local paths) drops a trailing slash.
            var p = path
            while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
            return "file://" + PercentEncoding.quote(p)
        case .memory:
            return "memory://\(bucket ?? "")" + PercentEncoding.quote("/" + path)
        }
    }

    /// The same object without a pinned version.
    public var unversioned: PhysicalKey {
        PhysicalKey(scheme: scheme, bucket: bucket, path: path, versionId: nil)
    }

    /// The last path component (the file name).
    public var basename: String { String(path.split(separator: "/").last ?? Substring(path)) }

    public var description: String { url }

    private init(scheme: Scheme, bucket: String?, path: String, versionId: String?) {
        self.scheme = scheme
        self.bucket = bucket
        self.path = path
        self.versionId = versionId
    }

    public init(from decoder: any Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(url)
    }
}
