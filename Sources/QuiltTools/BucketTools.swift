import FoundationEssentials
import QuiltContract
import QuiltJSON

/// Tools for buckets and their objects, with the Python server's names (`bucket_*`), over `QuiltOps`, so they
/// work on S3 and on local (`file://`, `memory://`) registries alike.
enum BucketTools {
    static let readOnly = ToolAnnotations(readOnly: true, idempotent: true)
    static let maxTextBytes = 10 * 1024 * 1024

    static let bucket = Param(
        "bucket", .string(pattern: nil, minLength: nil),
        "Bucket or s3://bucket/prefix; default: configured.")
    static let s3URI = Param(
        "s3_uri", .string(pattern: nil, minLength: nil),
        "s3://bucket/key[?versionId=…], file:// or memory:// URL.", required: true)

    // MARK: - Listing

    static let bucketList = Tool(
        ToolDefinition(
            name: "bucket_list", title: "List buckets",
            description: "Registries you can use: the configured one and, on S3, every bucket you may list.",
            parameters: [],
            annotations: readOnly)
    ) { (_, ctx) throws(QuiltOpsError) in
        let buckets = try await ctx.ops.listBuckets()
        return [
            "buckets": .array(buckets.map { b -> JSONValue in
                var o: JSONObject = ["name": .string(b.name), "registry": .string(b.registry.url)]
                if let t = b.title { o["title"] = .string(t) }
                if let r = b.region { o["region"] = .string(r) }
                return .object(o)
            }),
            "count": .number(JSONNumber(buckets.count)),
        ]
    }

    static let bucketObjectsList = Tool(
        ToolDefinition(
            name: "bucket_objects_list", title: "List objects",
            description: "Objects under a prefix in key order (key, s3_uri, size, signed_url), recursively or one level with delimiter='/'; paginated.",
            parameters: [
                bucket,
                Param("prefix", .string(pattern: nil, minLength: nil), "Key prefix.", default: ""),
                Param("max_keys", .integer(min: 1, max: 1000), "Objects per page.", default: .number(JSONNumber(100))),
                Param("continuation_token", .string(pattern: nil, minLength: nil), "From next_continuation_token.", default: ""),
                Param("include_signed_urls", .boolean, "Add presigned signed_url.", default: true),
                Param("delimiter", .string(pattern: nil, minLength: nil), "Group keys at this ('/') into common_prefixes."),
            ],
            annotations: readOnly)
    ) { (args, ctx) throws(QuiltOpsError) in
        let (root, basePrefix) = try Self.bucket(args, ctx)
        let prefix = basePrefix + (args.string("prefix") ?? "")
        let page = try PageRequest(limit: args.int("max_keys") ?? 100, cursor: args.string("continuation_token"))
        let listing = try await ctx.ops.listObjects(ObjectListRequest(root: root, prefix: prefix, delimiter: args.string("delimiter"), page: page))
        let signed = args.bool("include_signed_urls") ?? true ? await Self.signedURLs(listing.objects.map(\.key), ctx.ops) : [:]
        var objects: [JSONValue] = []
        for o in listing.objects {
            guard case .object(var row) = ResultEncoding.object(o) else { continue }
            row["key"] = .string(Self.relativeKey(o.key, root: root))
            if args.bool("include_signed_urls") ?? true {
                row["signed_url"] = signed[o.key].map { .string($0) } ?? .null
            }
            objects.append(.object(row))
        }
        return [
            "bucket": .string(root.location), "registry": .string(root.url), "prefix": .string(prefix),
            "objects": .array(objects), "common_prefixes": .array(listing.prefixes.map { .string($0) }),
            "count": .number(JSONNumber(objects.count)), "is_truncated": .bool(listing.nextCursor != nil),
            "next_continuation_token": listing.nextCursor.map { .string($0) } ?? .null,
        ]
    }

    // MARK: - One object

    static let bucketObjectInfo = Tool(
        ToolDefinition(
            name: "bucket_object_info", title: "Object metadata",
            description: "One object's size, last_modified, etag, content_type, version_id and metadata.",
            parameters: [s3URI],
            annotations: readOnly)
    ) { (args, ctx) throws(QuiltOpsError) in
        let key = try Self.object(args)
        return ResultEncoding.object(try await ctx.ops.headObject(key))
    }

    static let bucketObjectText = Tool(
        ToolDefinition(
            name: "bucket_object_text", title: "Read an object as text",
            description: "An object's first max_bytes as text; truncated=true if there is more.",
            parameters: [
                s3URI,
                Param("max_bytes", .integer(min: 1, max: maxTextBytes), "Most bytes to read.", default: .number(JSONNumber(65536))),
                Param("encoding", .string(pattern: nil, minLength: nil), "utf-8, latin-1 or ascii.", default: "utf-8"),
            ],
            annotations: readOnly)
    ) { (args, ctx) throws(QuiltOpsError) in
        let encoding = (args.string("encoding") ?? "utf-8").lowercased()
        let (bytes, out) = try await Self.readPrefix(args, ctx)
        let text: String
        switch encoding {
        case "utf-8", "utf8": text = String(decoding: bytes, as: UTF8.self)
        case "latin-1", "latin1", "iso-8859-1": text = String(bytes.map { Character(Unicode.Scalar($0)) })
        case "ascii", "us-ascii":
            guard bytes.allSatisfy({ $0 < 0x80 }) else {
                throw .invalidInput(field: "encoding", reason: "the object is not ASCII; use utf-8 or latin-1.")
            }
            text = String(decoding: bytes, as: UTF8.self)
        default:
            throw .invalidInput(field: "encoding", reason: "'\(encoding)' is not supported; use utf-8, latin-1 or ascii.")
        }
        var result = out
        result["text"] = .string(text)
        result["encoding"] = .string(encoding)
        return .object(result)
    }

    static let bucketObjectFetch = Tool(
        ToolDefinition(
            name: "bucket_object_fetch", title: "Fetch object bytes",
            description: "An object's first max_bytes as base64 data (or UTF-8 text); truncated=true if there is more.",
            parameters: [
                s3URI,
                Param("max_bytes", .integer(min: 1, max: maxTextBytes), "Most bytes to read.", default: .number(JSONNumber(65536))),
                Param("base64_encode", .boolean, "Base64, or UTF-8 text.", default: true),
            ],
            annotations: readOnly)
    ) { (args, ctx) throws(QuiltOpsError) in
        var (bytes, out) = try await Self.readPrefix(args, ctx)
        if args.bool("base64_encode") ?? true {
            out["data"] = .string(Data(bytes).base64EncodedString())
            out["encoding"] = "base64"
        } else {
            out["text"] = .string(String(decoding: bytes, as: UTF8.self))
            out["encoding"] = "utf-8"
        }
        return .object(out)
    }

    /// Reads the first `max_bytes` of the `s3_uri` object (one byte more, to know whether it was truncated) and
    /// returns them with the object's description plus `bytes_read` and `truncated`.
    static func readPrefix(_ args: Arguments, _ ctx: ToolContext) async throws(QuiltOpsError) -> ([UInt8], JSONObject) {
        let key = try Self.object(args)
        let maxBytes = args.int("max_bytes") ?? 65536
        let data = try await ctx.ops.readObject(key, range: nil, maxBytes: maxBytes + 1)
        let bytes = Array(data.bytes.prefix(maxBytes))
        var out = Self.describe(data.info)
        out["bytes_read"] = .number(JSONNumber(bytes.count))
        out["truncated"] = .bool(data.bytes.count > maxBytes)
        return (bytes, out)
    }

    static let bucketObjectLink = Tool(
        ToolDefinition(
            name: "bucket_object_link", title: "Signed link to an object",
            description: "A presigned GET URL (signed_url, expires_at) for an object; file:// for local registries.",
            parameters: [
                s3URI,
                Param("expiration", .integer(min: 1, max: 604_800), "Seconds valid.", default: .number(JSONNumber(3600))),
            ],
            annotations: readOnly)
    ) { (args, ctx) throws(QuiltOpsError) in
        let key = try Self.object(args)
        let expiration = args.int("expiration") ?? 3600
        let link = try await ctx.ops.locateObject(key, expiresIn: expiration)
        return [
            "s3_uri": .string(key.url), "bucket": .string(key.bucket ?? ""), "key": .string(key.path),
            "signed_url": .string(link.url), "kind": .string(link.kind.rawValue), "expires_at": ResultEncoding.date(link.expiresAt),
            "expiration_seconds": link.expiresAt == nil ? .null : .number(JSONNumber(expiration)),
        ]
    }

    // MARK: - Writing

    static let itemSchema: JSONValue = [
        "type": "object",
        "properties": [
            "key": ["type": "string"], "text": ["type": "string"],
            "data": ["type": "string", "description": "Base64 content, instead of text."],
            "content_type": ["type": "string"], "encoding": ["type": "string", "description": "Of text: utf-8 (default) or latin-1."],
            "metadata": ["type": "object", "description": "String values."],
        ],
        "required": ["key"],
    ]

    static let bucketObjectsPut = Tool(
        ToolDefinition(
            name: "bucket_objects_put", title: "Write objects",
            description: "Write objects from text or base64 data (content type, metadata); reports each item.",
            parameters: [
                bucket,
                Param("items", .objectArray(minItems: 1, items: itemSchema), "The objects to write.", required: true),
            ],
            annotations: ToolAnnotations(readOnly: false, destructive: true)),
        consent: { (args, ctx) throws(QuiltOpsError) in
            let (root, basePrefix) = try Self.bucket(args, ctx)
            var existing: [String] = []
            for (i, item) in (args["items"]?.arrayValue ?? []).enumerated() {
                guard let put = try? Self.put(item, index: i, root: root, prefix: basePrefix) else { continue }
                do throws(QuiltOpsError) {
                    _ = try await ctx.ops.headObject(put.key)
                    existing.append(Self.relativeKey(put.key, root: root))
                } catch {
                    guard case .notFound = error else { throw error }
                }
            }
            guard !existing.isEmpty else { return nil }
            return "Overwrite \(Consent.list(existing, noun: "existing object", plural: "existing objects")) in \(root.url)?"
        }
    ) { (args, ctx) throws(QuiltOpsError) in
        let (root, basePrefix) = try Self.bucket(args, ctx)
        var results: [JSONValue] = []
        var uploaded = 0
        for (i, item) in (args["items"]?.arrayValue ?? []).enumerated() {
            do throws(QuiltOpsError) {
                let put = try Self.put(item, index: i, root: root, prefix: basePrefix)
                let info = try await ctx.ops.putObject(put)
                guard case .object(var row) = ResultEncoding.object(info) else { continue }
                row["key"] = .string(Self.relativeKey(info.key, root: root))
                row["success"] = true
                results.append(.object(row))
                uploaded += 1
            } catch {
                if case .unsupported = error { throw error }
                if case .forbidden = error, results.isEmpty { throw error }
                results.append(["key": item["key"] ?? .null, "success": false, "error": .string(error.message)])
            }
        }
        return [
            "bucket": .string(root.location), "registry": .string(root.url), "uploaded": .number(JSONNumber(uploaded)),
            "failed": .number(JSONNumber(results.count - uploaded)), "results": .array(results),
        ]
    }
}
