import QuiltContract
import QuiltJSON

/// Tools that write packages.
enum PackageWriteTools {
    static let entriesParam = Param(
        "entries",
        .objectArray(
            minItems: 0,
            items: [
                "type": "object",
                "properties": [
                    "logical_key": ["type": "string", "description": "Path inside the package."],
                    "source": ["type": "string", "description": "A local file path or an object URL (s3://, file://)."],
                    "text": ["type": "string", "description": "Inline UTF-8 content instead of a source."],
                    "meta": ["type": "object", "description": "User metadata for this entry."],
                ],
                "required": ["logical_key"], "additionalProperties": false,
            ]), "Entries with explicit logical keys.")
    static let s3URIs = Param(
        "s3_uris", .stringArray(minItems: 0),
        "Object URLs to include (s3://bucket/key, file:///path). Logical keys follow `flatten`.")
    static let files = Param("files", .stringArray(minItems: 0), "Local files to upload; each is stored under its file name, and a directory adds every file below it under its name (as quilt3's set_dir).")
    static let flatten = Param(
        "flatten", .boolean, "For s3_uris: use the file name as the logical key (true) or the key after the bucket (false).",
        default: true)
    static let copy = Param("copy", .boolean, "Copy s3_uris objects into the registry instead of referencing them.", default: false)
    static let force = Param("force", .boolean, "Write even if it replaces a latest revision made meanwhile.", default: false)

    /// Turns the three ways of naming entries into `NewEntry` values.
    static func entries(_ args: Arguments) throws(QuiltOpsError) -> [NewEntry] {
        var out: [NewEntry] = []
        let flatten = args.bool("flatten") ?? true
        for url in args["s3_uris"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
            let key = try PhysicalKey(url, field: "s3_uris")
            let logical = flatten || key.scheme == .file ? key.basename : key.path
            out.append(NewEntry(logicalKey: try LogicalKey(logical, field: "s3_uris"), source: .object(key)))
        }
        for path in args["files"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
            let name = String(path.split(separator: "/").last ?? "")
            out.append(NewEntry(logicalKey: try LogicalKey(name, field: "files"), source: .localFile(path: path)))
        }
        for item in args["entries"]?.arrayValue ?? [] {
            guard let lk = item["logical_key"]?.stringValue else {
                throw .invalidInput(field: "entries", reason: "each entry needs a logical_key.")
            }
            let key = try LogicalKey(lk, field: "entries")
            let meta = item["meta"]
            if let text = item["text"]?.stringValue {
                out.append(NewEntry(logicalKey: key, source: .bytes(Array(text.utf8)), userMeta: meta))
            } else if let source = item["source"]?.stringValue {
                if source.contains("://") {
                    out.append(NewEntry(logicalKey: key, source: .object(try PhysicalKey(source, field: "entries")), userMeta: meta))
                } else {
                    out.append(NewEntry(logicalKey: key, source: .localFile(path: source), userMeta: meta))
                }
            } else {
                throw .invalidInput(field: "entries", reason: "entry '\(lk)' needs a source or text.")
            }
        }
        return out
    }

    static let packageCreate = Tool(
        ToolDefinition(
            name: "package_create", title: "Create a package revision",
            description: "Create a package (or, with force, a new latest revision) from local files, object URLs and inline entries, with package metadata and a message. Local files are uploaded into the registry; object URLs are referenced unless copy=true.",
            parameters: [
                Common.packageName, Common.registry, s3URIs, files, entriesParam,
                Param("metadata", .object, "Package-level user metadata (a JSON object)."),
                Param("message", .string(pattern: nil, minLength: nil), "Commit message.", default: "Created via package_create tool"),
                flatten, copy, force,
            ],
            outputSchema: Schemas.object(["top_hash": "string", "entry_count": "integer"]),
            annotations: ToolAnnotations(readOnly: false, destructive: false, idempotent: false))
    ) { (args, ctx) throws(QuiltOpsError) in
        let entries = try entries(args)
        let info = try await ctx.ops.createRevision(
            CreateRevisionRequest(
                package: try Common.package(args), registry: try Common.registry(args, ctx), entries: entries,
                userMeta: args["metadata"], message: args.string("message"), force: args.bool("force") ?? false,
                copyObjects: args.bool("copy") ?? false, progress: ctx.progress))
        return ResultEncoding.info(info)
    }

    static let packageUpdate = Tool(
        ToolDefinition(
            name: "package_update", title: "Update a package",
            description: "Make a new revision from an existing one (latest by default): add or replace entries, remove keys or directories (ending in '/'), merge metadata (or replace it), with a message. Fails with a conflict if latest moved away from the base revision, unless force=true.",
            parameters: [
                Common.packageName, Common.registry, Common.topHash, Common.tag, s3URIs, files, entriesParam,
                Param("remove", .stringArray(minItems: 0), "Logical keys to remove; a key ending in '/' removes a directory."),
                Param("metadata", .object, "Metadata keys to merge over the base revision's metadata."),
                Param("replace_metadata", .boolean, "Replace the metadata with `metadata` instead of merging.", default: false),
                Param("message", .string(pattern: nil, minLength: nil), "Commit message.", default: "Updated via package_update tool"),
                flatten, copy, force,
            ],
            outputSchema: Schemas.object(["top_hash": "string", "entry_count": "integer"]),
            annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: false))
    ) { (args, ctx) throws(QuiltOpsError) in
        let metadata: MetadataUpdate
        switch (args["metadata"], args.bool("replace_metadata") ?? false) {
        case (nil, false): metadata = .keep
        case (let m, true): metadata = .replace(m)
        case (let m?, false): metadata = .merge(m.objectValue ?? JSONObject())
        }
        let info = try await ctx.ops.updateRevision(
            UpdateRevisionRequest(
                package: try Common.package(args), registry: try Common.registry(args, ctx), base: try Common.revision(args),
                put: try entries(args), remove: args["remove"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                metadata: metadata, message: args.string("message"), force: args.bool("force") ?? false,
                copyObjects: args.bool("copy") ?? false, progress: ctx.progress))
        return ResultEncoding.info(info)
    }

    static let packageDelete = Tool(
        ToolDefinition(
            name: "package_delete", title: "Delete a package or one revision",
            description: "Delete a whole package (every pointer) or, with top_hash or tag, one revision; latest then moves to the newest remaining revision. As in quilt3, manifests and data are kept.",
            parameters: [Common.packageName, Common.registry, Common.topHash, Common.tag],
            outputSchema: Schemas.object(["deleted_pointers": "array", "latest": "string"]),
            annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: false))
    ) { (args, ctx) throws(QuiltOpsError) in
        let name = try Common.package(args)
        let registry = try Common.registry(args, ctx)
        let result: DeleteResult
        if args.string("top_hash") != nil || args.string("tag") != nil {
            result = try await ctx.ops.deleteRevision(package: name, registry: registry, revision: try Common.revision(args))
        } else {
            result = try await ctx.ops.deletePackage(package: name, registry: registry)
        }
        return [
            "package_name": .string(name.rawValue), "registry": .string(registry.url),
            "deleted_pointers": .array(result.removedPointers.map { .string($0) }),
            "latest": result.latest.map { .string($0.rawValue) } ?? .null,
        ]
    }
}
