import FoundationEssentials
import QuiltContract
import QuiltJSON

extension BucketTools {
    // MARK: - Helpers

    /// The bucket root and a key prefix from `bucket` (`s3://b/some/prefix` → `s3://b`, `some/prefix/`).
    static func bucket(_ args: Arguments, _ ctx: ToolContext) throws(QuiltOpsError) -> (RegistryURL, String) {
        guard var text = args.string("bucket") else { return (try Common.registry(args, ctx, field: "bucket"), "") }
        if !text.contains("://") { text = "s3://" + text }
        if text.hasPrefix("s3://") {
            let rest = text.dropFirst(5)
            if let slash = rest.firstIndex(of: "/") {
                let prefix = String(rest[rest.index(after: slash)...])
                return (try RegistryURL("s3://" + rest[..<slash], field: "bucket"), prefix.isEmpty || prefix.hasSuffix("/") ? prefix : prefix + "/")
            }
        }
        return (try RegistryURL(text, field: "bucket"), "")
    }

    /// Links for the objects of a listing (signatures, no request per object); keys that cannot be linked are absent.
    static func signedURLs(_ keys: [PhysicalKey], _ ops: any QuiltOps) async -> [PhysicalKey: String] {
        await ops.linkListedObjects(keys, expiresIn: 3600).mapValues(\.url)
    }

    /// The key relative to the bucket or registry root (local files have absolute paths).
    static func relativeKey(_ key: PhysicalKey, root: RegistryURL) -> String {
        guard root.kind == .file else { return key.path }
        let base = root.location == "/" ? "/" : root.location + "/"
        return key.path.hasPrefix(base) ? String(key.path.dropFirst(base.count)) : key.path
    }

    static func object(_ args: Arguments) throws(QuiltOpsError) -> PhysicalKey {
        guard let text = args.string("s3_uri") else { throw .invalidInput(field: "s3_uri", reason: "is required.") }
        let key = try PhysicalKey(text, field: "s3_uri")
        guard !key.path.isEmpty, !key.path.hasSuffix("/") else {
            throw .invalidInput(field: "s3_uri", reason: "'\(text)' names a prefix, not an object.")
        }
        return key
    }

    static func describe(_ info: ObjectInfo) -> JSONObject {
        var o: JSONObject = [
            "s3_uri": .string(info.key.url), "bucket": .string(info.key.bucket ?? ""), "key": .string(info.key.path),
            "size": .number(JSONNumber(info.size)),
        ]
        o["content_type"] = info.contentType.map { .string($0) } ?? .null
        if let v = info.key.versionId { o["version_id"] = .string(v) }
        return o
    }

    static func put(_ item: JSONValue, index: Int, root: RegistryURL, prefix: String) throws(QuiltOpsError) -> ObjectPut {
        let field = "items[\(index)]"
        guard let key = item["key"]?.stringValue, !key.isEmpty, !key.hasSuffix("/") else {
            throw .invalidInput(field: field + ".key", reason: "is required and must name an object (not end with '/').")
        }
        let bytes: [UInt8]
        switch (item["text"]?.stringValue, item["data"]?.stringValue) {
        case (let text?, nil):
            switch (item["encoding"]?.stringValue ?? "utf-8").lowercased() {
            case "utf-8", "utf8": bytes = Array(text.utf8)
            case "latin-1", "latin1", "iso-8859-1":
                guard text.unicodeScalars.allSatisfy({ $0.value < 256 }) else {
                    throw .invalidInput(field: field + ".encoding", reason: "the text has characters outside latin-1.")
                }
                bytes = text.unicodeScalars.map { UInt8($0.value) }
            case let other: throw .invalidInput(field: field + ".encoding", reason: "'\(other)' is not supported; use utf-8 or latin-1.")
            }
        case (nil, let data?):
            guard let decoded = Data(base64Encoded: data) else { throw .invalidInput(field: field + ".data", reason: "is not valid base64.") }
            bytes = Array(decoded)
        default:
            throw .invalidInput(field: field, reason: "give exactly one of text or data.")
        }
        var metadata: [String: String] = [:]
        for (k, v) in item["metadata"]?.objectValue ?? JSONObject() { metadata[k] = v.stringValue ?? JSONWriter.compact(v) }
        return ObjectPut(key: root.physicalKey(prefix + key), bytes: bytes, contentType: item["content_type"]?.stringValue, metadata: metadata)
    }
}
