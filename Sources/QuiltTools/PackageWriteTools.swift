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
                    "logical_key": ["type": "string"],
                    "source": ["type": "string", "description": "Local path or object URL."],
                    "text": ["type": "string", "description": "Inline content, instead of source."],
                    "meta": ["type": "object"],
                ],
                "required": ["logical_key"],
            ]), "Entries with their own logical keys.")
    static let s3URIs = Param(
        "s3_uris", .stringArray(minItems: 0),
        "Object URLs to include; keys per flatten.")
    static let files = Param("files", .stringArray(minItems: 0), "Local files or directories to upload, keyed by name.")
    static let flatten = Param(
        "flatten", .boolean, "s3_uris keyed by file name, else by full key.",
        default: true)
    static let copy = Param("copy", .boolean, "Copy s3_uris into the registry, not reference.", default: false)
    static let force = Param("force", .boolean, "Write even if latest moved meanwhile.", default: false)

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
            name: "package_create", title: "Create a package",
            description: "Make a package from local files (uploaded), object URLs (referenced unless copy) and inline entries; force replaces an existing one. Returns package_info.",
            parameters: [
                Common.packageName, Common.registry, s3URIs, files, entriesParam,
                Param("metadata", .object, "Package metadata."),
                Param("message", .string(pattern: nil, minLength: nil), "Commit message."),
                flatten, copy, force,
            ],
            annotations: ToolAnnotations(readOnly: false, destructive: false, idempotent: false))
    ) { (args, ctx) throws(QuiltOpsError) in
        let entries = try entries(args)
        let info = try await ctx.ops.createRevision(
            CreateRevisionRequest(
                package: try Common.package(args), registry: try Common.registry(args, ctx), entries: entries,
                userMeta: args["metadata"], message: args.string("message") ?? "Created via package_create tool", force: args.bool("force") ?? false,
                copyObjects: args.bool("copy") ?? false, progress: ctx.progress))
        return ResultEncoding.info(info)
    }

    static let packageUpdate = Tool(
        ToolDefinition(
            name: "package_update", title: "Update a package",
            description: "New revision from one (default latest): add, replace or remove entries; merge or replace metadata. Fails if latest moved since, unless force.",
            parameters: [
                Common.packageName, Common.registry, Common.topHash, Common.tag, s3URIs, files, entriesParam,
                Param("remove", .stringArray(minItems: 0), "Logical keys to remove; 'dir/' removes a directory."),
                Param("metadata", .object, "Metadata merged over the base's."),
                Param("replace_metadata", .boolean, "Replace metadata, not merge.", default: false),
                Param("message", .string(pattern: nil, minLength: nil), "Commit message."),
                flatten, copy, force,
            ],
            annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: false)),
        consent: { (args, ctx) throws(QuiltOpsError) in
            let removed = args["remove"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let replacing = args.bool("replace_metadata") == true
            guard !removed.isEmpty || replacing else { return nil }
            let name = try Common.package(args).rawValue, registry = try Common.registry(args, ctx).url
            var changes: [String] = []
            if !removed.isEmpty { changes.append("without \(Consent.list(removed, noun: "entry", plural: "entries"))") }
            if replacing { changes.append("with its metadata replaced") }
            return "Make a new revision of \(name) in \(registry) \(changes.joined(separator: " and "))? Older revisions keep them."
        }
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
                metadata: metadata, message: args.string("message") ?? "Updated via package_update tool", force: args.bool("force") ?? false,
                copyObjects: args.bool("copy") ?? false, progress: ctx.progress))
        return ResultEncoding.info(info)
    }

    static let packageDelete = Tool(
        ToolDefinition(
            name: "package_delete", title: "Delete a package",
            description: "Delete a package, or one revision by top_hash or tag. Manifests and data stay, as in quilt3.",
            parameters: [Common.packageName, Common.registry, Common.topHash, Common.tag],
            annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: false)),
        consent: { (args, ctx) throws(QuiltOpsError) in
            let name = try Common.package(args).rawValue, registry = try Common.registry(args, ctx).url
            if let revision = args.string("top_hash") ?? args.string("tag") {
                return "Delete revision \(revision) of \(name) from \(registry)? Latest moves to the newest revision left."
            }
            return "Delete the package \(name) from \(registry), every revision pointer? Manifests and data stay, as in quilt3."
        }
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
