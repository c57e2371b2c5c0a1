import QuiltContract
import QuiltJSON

/// Tools that read packages.
enum PackageReadTools {
    static let readOnly = ToolAnnotations(readOnly: true, idempotent: true)

    static let packagesList = Tool(
        ToolDefinition(
            name: "packages_list", title: "List packages",
            description: "List package names in a registry, in registry order, with an optional name prefix and cursor pagination.",
            parameters: [
                Common.registry,
                Param("prefix", .string(pattern: nil, minLength: nil), "Only names starting with this, e.g. 'alice/'.", default: ""),
                Common.limit, Common.cursor,
            ],
            outputSchema: Schemas.page("packages", item: Schemas.object(["name": "string", "modified": "string"])),
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
            description: "List a package's revisions newest first: top hash, date, timestamp pointers and tags (latest).",
            parameters: [Common.packageName, Common.registry, Common.limit, Common.cursor],
            outputSchema: Schemas.page("versions", item: Schemas.object(["top_hash": "string", "modified": "string"])),
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
            description: "Header and totals of one revision (latest by default): top hash, date, message, user metadata, entry count, total bytes, pointers.",
            parameters: [Common.packageName, Common.registry, Common.topHash, Common.tag],
            outputSchema: Schemas.object(["top_hash": "string", "entry_count": "integer", "total_bytes": "integer"]),
            annotations: readOnly)
    ) { (args, ctx) throws(QuiltOpsError) in
        let info = try await ctx.ops.revisionInfo(
            package: try Common.package(args), registry: try Common.registry(args, ctx), revision: try Common.revision(args))
        return ResultEncoding.info(info)
    }

    static let packageBrowse = Tool(
        ToolDefinition(
            name: "package_browse", title: "Browse a package",
            description: "List the entries of any revision: one directory (recursive=false: files and subdirectories with sizes and file counts) or every file below it (recursive=true), in quilt3's order, paginated. Each file has its logical key, physical key, size, hash and metadata.",
            parameters: [
                Common.packageName, Common.registry, Common.topHash, Common.tag,
                Param("path", .string(pattern: nil, minLength: nil), "A directory inside the package ('' for the root), or one file's logical key.", default: ""),
                Param("recursive", .boolean, "List every file below path (true) or one level (false).", default: true),
                Common.limit, Common.cursor,
                Param("include_signed_urls", .boolean, "Add a download_url to each file (presigned on S3, file:// locally).", default: false),
            ],
            outputSchema: Schemas.page("entries", item: Schemas.object(["logical_key": "string", "type": "string", "size": "integer"])),
            annotations: readOnly)
    ) { (args, ctx) throws(QuiltOpsError) in
        let registry = try Common.registry(args, ctx)
        let result = try await ctx.ops.browse(
            BrowseRequest(
                package: try Common.package(args), registry: registry, revision: try Common.revision(args),
                path: args.string("path") ?? "", recursive: args.bool("recursive") ?? true, page: try Common.page(args)))
        var entries: [JSONValue] = []
        for e in result.entries {
            var row = ResultEncoding.entry(e)
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

    static let packageDiff = Tool(
        ToolDefinition(
            name: "package_diff", title: "Compare two revisions",
            description: "Entries added, deleted and modified (by object hash) between two revisions of one package or of two packages.",
            parameters: [
                Param("package1_name", .string(pattern: Common.namePattern, minLength: 3), "The first (older) package.", required: true),
                Param("package2_name", .string(pattern: Common.namePattern, minLength: 3), "The second package; defaults to package1_name."),
                Common.registry,
                Param("package1_hash", .string(pattern: "^([0-9a-fA-F]{6,64})?$", minLength: nil), "Revision of the first package (hash or prefix); latest when omitted."),
                Param("package2_hash", .string(pattern: "^([0-9a-fA-F]{6,64})?$", minLength: nil), "Revision of the second package; latest when omitted."),
                Param("package1_tag", .string(pattern: nil, minLength: nil), "Or a tag/timestamp for the first package."),
                Param("package2_tag", .string(pattern: nil, minLength: nil), "Or a tag/timestamp for the second package."),
            ],
            outputSchema: Schemas.object(["added": "array", "deleted": "array", "modified": "array"]),
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

/// Small JSON Schema builders for output schemas.
enum Schemas {
    static func object(_ props: [(String, String)]) -> JSONValue {
        var p = JSONObject()
        for (name, type) in props { p[name] = ["type": .array([.string(type), "null"])] }
        return ["type": "object", "properties": .object(p)]
    }
    static func object(_ props: KeyValuePairs<String, String>) -> JSONValue { object(props.map { ($0.key, $0.value) }) }
    static func page(_ field: String, item: JSONValue) -> JSONValue {
        [
            "type": "object",
            "properties": .object([field: ["type": "array", "items": item], "next_cursor": ["type": ["string", "null"]]]),
            "required": [.string(field)],
        ]
    }
}
