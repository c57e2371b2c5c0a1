/// Where a quilt3 registry lives: a bucket root `s3://bucket`, a local directory `file:///abs/path`,
/// or an in-process store `memory://name`.
///
/// quilt3 refuses `s3://bucket/prefix`, and so does this type: a registry is always a bucket or directory root.
public struct RegistryURL: Sendable, Hashable, CustomStringConvertible, Codable {
    /// The storage kind of a registry.
    public enum Kind: String, Sendable, Hashable, Codable {
        case s3, file, memory
    }

    /// Which storage the registry is on.
    public let kind: Kind
    /// Bucket name (`s3`), absolute directory path without trailing slash (`file`), or store name (`memory`).
    public let location: String

    /// Parses and validates a registry URL.
    /// - Throws: `QuiltOpsError.invalidInput(field:…)` explaining the accepted shapes.
    public init(_ text: String, field: String = "registry") throws(QuiltOpsError) {
        let shapes = "use s3://bucket, file:///absolute/path or memory://name"
        if text.hasPrefix("s3://") {
            var rest = String(text.dropFirst(5))
            if rest.hasSuffix("/") { rest.removeLast() }
            guard !rest.contains("/") else {
                throw .invalidInput(
                    field: field,
                    reason: "'\(text)' has a path; a quilt registry is a bucket root (s3://bucket).")
            }
            guard RegistryURL.isValidBucketName(rest) else {
                throw .invalidInput(field: field, reason: "'\(rest)' is not a valid S3 bucket name.")
            }
            self.kind = .s3
            self.location = rest
        } else if text.hasPrefix("file://") {
            let rest = String(text.dropFirst(7))
            var path: String
            if rest.hasPrefix("/") {
                path = rest
            } else if rest.hasPrefix("localhost/") {
                path = String(rest.dropFirst(9))
            } else {
                throw .invalidInput(
                    field: field, reason: "'\(text)' is not an absolute file URL; \(shapes).")
            }
            guard let decoded = PercentEncoding.unquote(path) else {
                throw .invalidInput(field: field, reason: "'\(text)' does not decode to UTF-8.")
            }
            path = decoded
            while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
            self.kind = .file
            self.location = path
        } else if text.hasPrefix("memory://") {
            var name = String(text.dropFirst(9))
            if name.hasSuffix("/") { name.removeLast() }
            guard !name.isEmpty,
                name.unicodeScalars.allSatisfy({ $0.isASCII && (PercentEncoding.isUnreserved(UInt8($0.value))) })
            else {
                throw .invalidInput(
                    field: field, reason: "'\(text)' needs a name of letters, digits, '.', '_', '-' or '~'.")
            }
            self.kind = .memory
            self.location = name
        } else {
            throw .invalidInput(field: field, reason: "'\(text)' is not a registry URL; \(shapes).")
        }
    }

    /// A registry as a person writes it, in a tool's `registry` argument or `--registry`: a registry URL, or a bare
    /// S3 bucket name (`my-bucket` is `s3://my-bucket`).
    /// - Throws: `.invalidInput(field:)` for a local path (saying to write it as `file:///absolute/path`), for a word
    ///   that is no bucket name, and for every malformed URL ``init(_:field:)`` refuses.
    public static func userText(_ text: String, field: String = "registry") throws(QuiltOpsError) -> RegistryURL {
        guard !text.contains("://") else { return try RegistryURL(text, field: field) }
        if text.hasPrefix("/") || text.hasPrefix(".") || text.hasPrefix("~") {
            throw .invalidInput(field: field, reason: "'\(text)' is a local path; write a directory registry as file:///absolute/path")
        }
        do {
            return try RegistryURL("s3://" + text, field: field)
        } catch {
            throw .invalidInput(
                field: field,
                reason: "'\(text)' is neither a registry URL nor an S3 bucket name; use s3://bucket, file:///absolute/path or memory://name")
        }
    }

    /// A registry in S3.
    public static func s3(_ bucket: String) throws(QuiltOpsError) -> RegistryURL { try RegistryURL("s3://\(bucket)") }
    /// A registry in a local directory (absolute path).
    public static func file(_ path: String) throws(QuiltOpsError) -> RegistryURL {
        try RegistryURL("file://" + PercentEncoding.quote(path))
    }
    /// An in-process memory registry.
    public static func memory(_ name: String) throws(QuiltOpsError) -> RegistryURL { try RegistryURL("memory://\(name)") }

    /// The canonical URL text.
    public var url: String {
        switch kind {
        case .s3: return "s3://\(location)"
        case .file: return "file://" + PercentEncoding.quote(location)
        case .memory: return "memory://\(location)"
        }
    }

    public var description: String { url }

    /// The physical key of `key` (a storage key relative to the registry root).
    public func physicalKey(_ key: String, versionId: String? = nil) -> PhysicalKey {
        switch kind {
        case .s3: return PhysicalKey(s3Bucket: location, key: key, versionId: versionId)
        case .file: return PhysicalKey(filePath: location == "/" ? "/" + key : location + "/" + key)
        case .memory: return PhysicalKey(memoryStore: location, key: key)
        }
    }

    /// S3 bucket names: 3–63 characters of lowercase letters, digits, `.` and `-`, starting and ending with a letter
    /// or digit. Legacy names with uppercase letters or `_` are tolerated.
    public static func isValidBucketName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (3...255).contains(bytes.count) else { return false }
        func alnum(_ b: UInt8) -> Bool {
            (0x30...0x39).contains(b) || (0x61...0x7a).contains(b) || (0x41...0x5a).contains(b)
        }
        guard let first = bytes.first, let last = bytes.last, alnum(first), alnum(last) else { return false }
        return bytes.allSatisfy { alnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }

    public init(from decoder: any Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(url)
    }
}
