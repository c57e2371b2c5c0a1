import QuiltContract
import QuiltJSON

/// Tools that read packages.
enum PackageReadTools {
    static let readOnly = ToolAnnotations(readOnly: true, idempotent: true)

    static let packagesList = Tool(
        ToolDefinition(
            name: "packages_list", title: "List packages",
            description: "Package names in a registry (name, modified), optionally by name prefix; paginated.",
            parameters: [
                Common.registry,
                Param("prefix", .string(pattern: nil, minLength: nil), "Name prefix, e.g. 'alice/'.", default: ""),
                Common.limit, Common.cursor,
            ],
            annotations: readOnly)
    ) { (args, ctx) throws(QuiltOpsError) in
        let registry = try Common.registry(args, ctx)
        let page = try await ctx.ops.listPackages(registry: registry, prefix: args.string("prefix") ?? "", page: try Common.page(args))
        return [
            "registry": .string(registry.url),
            "packages": .array(page.items.map { ["name": .string($0.name.rawValue), "modified": ResultEncoding.date($0.modified)] }),
            "count": .number(JSONNumber(page.items.count)),
            "next_cursor": page.nextCursor.map { .string($0) } ?? .null,
        ]
    }

    static let packageVersions = Tool(
        ToolDefinition(
            name: "package_versions", title: "List package revisions",
            description: "A package's revisions, newest first: top_hash, modified, timestamps, tags, is_latest; paginated.",
            parameters: [Common.packageName, Common.registry, Common.limit, Common.cursor],
            annotations: readOnly)
    ) { (args, ctx) throws(QuiltOpsError) in
        let registry = try Common.registry(args, ctx)
        let name = try Common.package(args)
        let page = try await ctx.ops.listRevisions(package: name, registry: registry, page: try Common.page(args))
        return [
            "package_name": .string(name.rawValue), "registry": .string(registry.url),
            "versions": .array(page.items.map { r -> JSONValue in
                [
                    "top_hash": .string(r.hash.rawValue), "modified": ResultEncoding.date(r.modified),
                    "timestamps": .array(r.timestamps.map { .string($0) }), "tags": .array(r.tags.map { .string($0) }),
                    "is_latest": .bool(r.isLatest),
                ]
            }),
            "next_cursor": page.nextCursor.map { .string($0) } ?? .null,
        ]
    }

    static let packageInfo = Tool(
        ToolDefinition(
            name: "package_info", title: "Package revision info",
            description: "One revision: top_hash, modified, message, user_meta, entry_count, total_bytes, pointers.",
            parameters: [Common.packageName, Common.registry, Common.topHash, Common.tag],
            annotations: readOnly)
    ) { (args, ctx) throws(QuiltOpsError) in
        let info = try await ctx.ops.revisionInfo(
            package: try Common.package(args), registry: try Common.registry(args, ctx), revision: try Common.revision(args))
        return ResultEncoding.info(info)
    }

    static let packageBrowse = Tool(
        ToolDefinition(
            name: "package_browse", title: "Browse a package",
            description: "Files of a revision below path (logical_key, physical_key, size, hash, meta), or one level with recursive=false. Paginated.",
            parameters: [
                Common.packageName, Common.registry, Common.topHash, Common.tag,
                Param("path", .string(pattern: nil, minLength: nil), "Directory ('' = root) or one file's logical key.", default: ""),
                Param("recursive", .boolean, "Every file below path, or one level.", default: true),
                Common.limit, Common.cursor,
                Param("include_signed_urls", .boolean, "Add presigned download_url.", default: false),
                Param("top", .integer(min: 0, max: Int(Int32.max)), "Most entries (0: a page of limit).").pythonOnly(),
                Param("max_depth", .integer(min: 0, max: 1), "1: one level (recursive=false); 0: no limit.").pythonOnly(),
                Param("include_file_info", .boolean, "false: entries without size, hash and meta.").pythonOnly(),
            ],
            annotations: readOnly)
    ) { (args, ctx) throws(QuiltOpsError) in
        let registry = try Common.registry(args, ctx)
        let result = try await ctx.ops.browse(
            BrowseRequest(
                package: try Common.package(args), registry: registry, revision: try Common.revision(args),
                path: args.string("path") ?? "", recursive: try browseRecursive(args), page: try browsePage(args)))
        let fileInfo = args.bool("include_file_info") ?? true
        var entries: [JSONValue] = []
        for e in result.entries {
            var row = ResultEncoding.entry(e)
            if !fileInfo, case .object(var o) = row {
                for field in ["size", "hash", "meta", "file_count"] { o[field] = nil }
                row = .object(o)
            }
            if args.bool("include_signed_urls") == true, let key = e.physicalKey, case .object(var o) = row {
                let link = try? await ctx.ops.locateObject(key, expiresIn: 3600)
                o["download_url"] = link.map { .string($0.url) } ?? .null
                row = .object(o)
            }
            entries.append(row)
        }
        var out = ResultEncoding.revision(result.revision)
        out["path"] = .string(result.path)
        out["entries"] = .array(entries)
        out["count"] = .number(JSONNumber(entries.count))
        out["next_cursor"] = result.nextCursor.map { .string($0) } ?? .null
        return .object(out)
    }

    /// `recursive`, or the Python server's `max_depth` (1: one level; 0: no limit); both given must agree.
    static func browseRecursive(_ args: Arguments) throws(QuiltOpsError) -> Bool {
        let recursive = args.bool("recursive") ?? true
        guard let depth = args.int("max_depth"), depth > 0 else { return recursive }
        if args.passed("recursive"), recursive {
            throw .invalidInput(field: "max_depth", reason: "1 lists one level, which contradicts recursive=true; pass one of them.")
        }
        return false
    }

    /// The page: `limit`, or the Python server's `top` (most entries; 0: a page of `limit`), with `cursor`.
    static func browsePage(_ args: Arguments) throws(QuiltOpsError) -> PageRequest {
        guard let top = args.int("top"), top > 0, !args.passed("limit") else { return try Common.page(args) }
        return try PageRequest(limit: min(top, PageRequest.maxLimit), cursor: args.string("cursor"))
    }

    static let packageDiff = Tool(
        ToolDefinition(
            name: "package_diff", title: "Compare two revisions",
            description: "Entries added, deleted and modified (by hash) from one revision to another, of one package or two.",
            parameters: [
                Param("package1_name", .string(pattern: nil, minLength: nil), "From user/package.", required: true),
                Param("package2_name", .string(pattern: nil, minLength: nil), "To package; default package1_name."),
                Common.registry,
                Param("package1_hash", .string(pattern: nil, minLength: nil), "From top hash (or prefix); default latest."),
                Param("package2_hash", .string(pattern: nil, minLength: nil), "To top hash; default latest."),
                Param("package1_tag", .string(pattern: nil, minLength: nil), "Or from tag."),
                Param("package2_tag", .string(pattern: nil, minLength: nil), "Or to tag."),
            ],
            annotations: readOnly)
    ) { (args, ctx) throws(QuiltOpsError) in
        let p1 = try Common.package(args, "package1_name")
        let p2 = args.string("package2_name") == nil ? p1 : try Common.package(args, "package2_name")
        let d = try await ctx.ops.diff(
            from: (p1, try Common.revision(args, hash: "package1_hash", tag: "package1_tag")),
            to: (p2, try Common.revision(args, hash: "package2_hash", tag: "package2_tag")),
            registry: try Common.registry(args, ctx))
        return [
            "from": .object(ResultEncoding.revision(d.from)), "to": .object(ResultEncoding.revision(d.to)),
            "added": .array(d.added.map(ResultEncoding.change)), "deleted": .array(d.removed.map(ResultEncoding.change)),
            "modified": .array(d.modified.map(ResultEncoding.change)), "metadata_changed": .bool(d.metadataChanged),
        ]
    }
}
