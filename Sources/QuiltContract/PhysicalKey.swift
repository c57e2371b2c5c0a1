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

    /// Parses a physical-key URL the way quilt3's `PhysicalKey.from_url` does (urllib semantics: a fragment is cut
    /// off, then the query; `versionId` is the only query parameter; the first of repeated ones wins).
    ///
    /// Manifests hold one URL per entry, so this is on the hot path of every manifest read: it scans the UTF-8
    /// bytes once and decodes percent escapes only when there are any.
    /// - Throws: `QuiltOpsError.invalidInput(field:…)` for an unknown scheme, a missing bucket, a relative file URL,
    ///   or any query parameter other than `versionId` (S3 only).
    public init(_ url: String, field: String = "physical_key") throws(QuiltOpsError) {
        func bad(_ reason: String) -> QuiltOpsError { .invalidInput(field: field, reason: "'\(url)' \(reason)") }
        let parsed: (scheme: Scheme, bucket: String?, path: String, version: String?)? = url.utf8.withContiguousStorageIfAvailable {
            (b: UnsafeBufferPointer<UInt8>) -> (Scheme, String?, String, String?)? in
            PhysicalKey.fastParse(b)
        } ?? nil
        if let parsed {
            self.init(scheme: parsed.scheme, bucket: parsed.bucket, path: parsed.path, versionId: parsed.version)
            return
        }
        // The slow path only runs for unusual URLs (escapes, queries, errors): it produces the precise error. It
        // splits at ASCII delimiters byte by byte: a '/' followed by a combining mark is one Character, so
        // Character-wise searches would not see it (found by fuzzing, Fuzz/Regressions/keys).
        let bytes = Array(url.utf8)
        guard let schemeEnd = Self.find(Array("://".utf8), in: bytes[...]) else {
            throw bad("is not a URL; use s3://bucket/key, file:///path or memory://store/key.")
        }
        let schemeText = Self.text(bytes[..<schemeEnd]).lowercased()
        var restBytes = bytes[(schemeEnd + 3)...]
        var fragment: String? = nil
        if let h = restBytes.firstIndex(of: UInt8(ascii: "#")) {
            fragment = Self.text(restBytes[(h + 1)...])
            restBytes = restBytes[..<h]
        }
        var query: String? = nil
        if let q = restBytes.firstIndex(of: UInt8(ascii: "?")) {
            query = Self.text(restBytes[(q + 1)...])
            restBytes = restBytes[..<q]
        }
        let rest = Self.text(restBytes)
        switch schemeText {
        case "s3", "memory":
            let slash = restBytes.firstIndex(of: UInt8(ascii: "/")) ?? restBytes.endIndex
            let bucket = Self.text(restBytes[..<slash])
            guard !bucket.isEmpty else { throw bad("has no bucket.") }
            let rawKey = slash < restBytes.endIndex ? Self.text(restBytes[(slash + 1)...]) : ""
            guard let key = PercentEncoding.unquote(rawKey) else { throw bad("does not decode to UTF-8.") }
            var version: String? = nil
            if let query, !query.isEmpty {
                guard schemeText == "s3" else { throw bad("has a query; memory keys take none.") }
                var seen = false
                for pair in query.unicodeScalars.split(separator: "&") {
                    let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                        .map { String(String.UnicodeScalarView($0)) }
                    let name = PercentEncoding.unquote(kv[0], plus: true) ?? ""
                    guard name == "versionId", kv.count == 2 else {
                        throw bad("has an unexpected query parameter '\(name)'; only versionId is allowed.")
                    }
                    guard !seen else { continue }  // quilt3 (parse_qs) keeps the first
                    seen = true
                    guard let v = PercentEncoding.unquote(kv[1], plus: true) else {
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
            if p.unicodeScalars.starts(with: "localhost/".unicodeScalars) {
                p = String(String.UnicodeScalarView(p.unicodeScalars.dropFirst(9)))
            }
            guard p.unicodeScalars.first == "/" else { throw bad("is not an absolute file URL (file:///path).") }
            guard let decoded = PercentEncoding.unquote(p) else { throw bad("does not decode to UTF-8.") }
            self.init(filePath: decoded)
        default:
            throw bad("has an unsupported scheme '\(schemeText)'; use s3, file or memory.")
        }
    }

    /// The first index of `needle` in `haystack`.
    static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var i = haystack.startIndex
        while i + needle.count <= haystack.endIndex {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// UTF-8 bytes as text (they came from a String, and are cut only at ASCII delimiters).
    static func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    /// The common case in one pass: lowercase `s3://bucket/key` (optionally `?versionId=v` with a plain value) or
    /// `file:///path`, with no `%`, `+`, `#` or other query. Returns nil to defer to the general parser.
    static func fastParse(_ b: UnsafeBufferPointer<UInt8>) -> (Scheme, String?, String, String?)? {
        let n = b.count
        func has(_ prefix: StaticString, at i: Int) -> Bool { Self.bytes(UnsafeRawBufferPointer(b), start: i, are: prefix) }
        var query = -1
        for i in 0..<n {
            switch b[i] {
            case UInt8(ascii: "%"), UInt8(ascii: "#"): return nil
            case UInt8(ascii: "?"): if query < 0 { query = i }
            default: break
            }
        }
        let end = query < 0 ? n : query
        func text(_ from: Int, _ to: Int) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: b[from..<to]), as: UTF8.self)
        }
        if has("s3://", at: 0) {
            var slash = 5
            while slash < end && b[slash] != UInt8(ascii: "/") { slash += 1 }
            guard slash > 5 else { return nil }
            let key = slash < end ? text(slash + 1, end) : ""
            var version: String? = nil
            if query >= 0 {
                let v = query + 1
                guard has("versionId=", at: v) else { return nil }
                for i in (v + 10)..<n where b[i] == UInt8(ascii: "&") || b[i] == UInt8(ascii: "+") { return nil }
                version = v + 10 < n ? text(v + 10, n) : nil
            }
            return (.s3, text(5, slash), key, version)
        }
        if query < 0 && has("file:///", at: 0) {
            return (.file, nil, text(7, n), nil)
        }
        return nil
    }

    /// Whether `url` (raw UTF-8 bytes) is certainly a physical key ``init(_:field:)`` accepts, judged in one pass
    /// without allocating: lowercase `s3://bucket/…` (with at most a plain `?versionId=v`), `file:///…` or
    /// `memory://store/…`, printable ASCII, no fragment, and percent escapes only of ASCII bytes. False means "not
    /// sure", never "invalid": the caller then parses the URL fully (which gives the precise error).
    ///
    /// Manifest readers that skip building entries (the top-hash fast path) use it so a manifest with a broken
    /// physical key is refused whichever path reads it.
    package static func isCertainlyValid(_ b: UnsafeRawBufferPointer) -> Bool {
        let n = b.count
        func has(_ prefix: StaticString) -> Bool { Self.bytes(b, start: 0, are: prefix) }
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        let scheme: Scheme
        var i: Int
        if has("s3://") { scheme = .s3; i = 5 } else if has("file:///") { scheme = .file; i = 8 } else if has("memory://") {
            scheme = .memory; i = 9
        } else {
            return false
        }
        if scheme != .file {
            let bucketStart = i
            while i < n, b[i] != UInt8(ascii: "/"), b[i] != UInt8(ascii: "?") {
                guard b[i] > 0x20, b[i] < 0x7F, b[i] != UInt8(ascii: "#") else { return false }
                i += 1
            }
            guard i > bucketStart else { return false }
        }
        while i < n {
            // Eight plain bytes at a time (printable ASCII other than '#', '%', '?'), then the special one bytewise.
            while i + 8 <= n, Self.plainWord(b.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { i += 8 }
            guard i < n else { break }
            let c = b[i]
            guard c >= 0x20, c < 0x7F, c != UInt8(ascii: "#") else { return false }
            if c == UInt8(ascii: "%") {
                // An escape of a byte >= 0x80 may not decode to UTF-8: the full parser decides.
                guard i + 2 < n, let high = hex(b[i + 1]), hex(b[i + 2]) != nil, high < 8 else { return false }
                i += 3
                continue
            }
            if c == UInt8(ascii: "?") {
                // Only S3 takes a query, and only one plain versionId (the parser's general rules are not repeated).
                guard scheme == .s3 else { return false }
                guard i + 11 <= n, UInt64(littleEndian: b.loadUnaligned(fromByteOffset: i + 1, as: UInt64.self)) == Self.versionIPrefix,
                    b[i + 9] == UInt8(ascii: "d"), b[i + 10] == UInt8(ascii: "=")
                else { return false }
                var k = i + 11
                while k + 8 <= n, Self.plainVersionWord(b.loadUnaligned(fromByteOffset: k, as: UInt64.self)) { k += 8 }
                for k in k..<n {
                    let d = b[k]
                    guard d >= 0x21, d < 0x7F, d != UInt8(ascii: "&"), d != UInt8(ascii: "+"), d != UInt8(ascii: "%"),
                        d != UInt8(ascii: "#")
                    else { return false }
                }
                return true
            }
            i += 1
        }
        return true
    }

    /// Whether `b` holds `text` at `start`.
    @inline(__always)
    private static func bytes(_ b: UnsafeRawBufferPointer, start: Int, are text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard start + count <= b.count else { return false }
        let p = text.utf8Start
        for j in 0..<count where b[start + j] != p[j] { return false }
        return true
    }

    // MARK: - Eight bytes at a time (SWAR)

    // Computed, not stored: a stored static is a lazily initialised global, checked on every use in the loop.
    private static var ones: UInt64 { 0x0101_0101_0101_0101 }
    private static var high: UInt64 { 0x8080_8080_8080_8080 }
    /// "versionI" (the first eight bytes of `versionId=`) as a word read little-endian.
    private static var versionIPrefix: UInt64 { 0x496E_6F69_7372_6576 }

    /// Whether some byte of `x` equals `byte`.
    @inline(__always)
    private static func has(_ x: UInt64, _ byte: UInt8) -> Bool {
        let v = x ^ (ones &* UInt64(byte))
        return (v &- ones) & ~v & high != 0
    }

    /// Whether some byte of `x` (all below 0x80) is below `limit` (at most 0x80).
    @inline(__always)
    private static func hasBelow(_ x: UInt64, _ limit: UInt8) -> Bool { (x &- ones &* UInt64(limit)) & ~x & high != 0 }

    /// A key word with no byte below 0x20, at or above 0x7F, or '#', '%' or '?'.
    @inline(__always)
    private static func plainWord(_ x: UInt64) -> Bool {
        x & high == 0 && !hasBelow(x, 0x20) && !has(x, 0x7F) && !has(x, UInt8(ascii: "#")) && !has(x, UInt8(ascii: "%"))
            && !has(x, UInt8(ascii: "?"))
    }

    /// A version-id word with no byte below 0x21, at or above 0x7F, or '#', '%', '&' or '+'.
    @inline(__always)
    private static func plainVersionWord(_ x: UInt64) -> Bool {
        x & high == 0 && !hasBelow(x, 0x21) && !has(x, 0x7F) && !has(x, UInt8(ascii: "#")) && !has(x, UInt8(ascii: "%"))
            && !has(x, UInt8(ascii: "&")) && !has(x, UInt8(ascii: "+"))
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
    public var basename: String {
        guard let last = path.unicodeScalars.split(separator: "/").last else { return path }
        return String(String.UnicodeScalarView(last))
    }

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
