import FoundationEssentials
import QuiltContract
import QuiltJSON

/// `package_create_from_s3`: a package made from the objects under a bucket prefix, with the Python server's name and
/// parameters (the `curate` toolset, off by default).
enum PackageFromS3Tool {
    /// The most objects one call lists; a larger prefix is refused, naming how to narrow it.
    static let maxObjects = 100_000
    /// The most entries a dry run lists (its counts and totals cover every entry).
    static let previewEntries = 1_000
    static let templates = ["standard", "ml", "analytics"]

    /// Where `auto_organize` puts a file, by extension, as the Python server's table does.
    static let folders: [String: String] = [
        "csv": "data/processed", "tsv": "data/processed", "parquet": "data/processed", "json": "data/processed",
        "xml": "data/processed", "jsonl": "data/processed", "log": "data/raw", "txt": "data/raw", "raw": "data/raw",
        "md": "docs", "rst": "docs", "pdf": "docs", "docx": "docs", "schema": "docs/schemas", "yml": "metadata",
        "yaml": "metadata", "toml": "metadata", "ini": "metadata", "conf": "metadata", "png": "data/media",
        "jpg": "data/media", "jpeg": "data/media", "mp4": "data/media", "avi": "data/media",
    ]

    static let tool = Tool(
        ToolDefinition(
            name: "package_create_from_s3", title: "Package a bucket prefix",
            description: "A package from every object under s3://source_bucket/source_prefix (include/exclude globs), keyed by path under the prefix (auto_organize: in folders by file type), with generated README.md and quilt_summarize.json files and source metadata. dry_run: what would be written.",
            parameters: [
                Param("source_bucket", .string(pattern: nil, minLength: 1), "Bucket (or registry URL) to package from.", required: true),
                Common.packageName,
                Param("source_prefix", .string(pattern: nil, minLength: nil), "Only keys under this prefix.", default: ""),
                Param("target_registry", .string(pattern: nil, minLength: nil), "Registry to write to; default: configured."),
                Param("description", .string(pattern: nil, minLength: nil), "What the package holds (README, message).", default: ""),
                Param("include_patterns", .stringArray(minItems: 0), "Globs on the full key; keep only matches."),
                Param("exclude_patterns", .stringArray(minItems: 0), "Globs on the full key; drop matches."),
                Param("metadata_template", .string(pattern: nil, minLength: nil), "Metadata block to add.", default: "standard", enum: templates),
                Param("copy", .boolean, "Copy the objects into the registry, not reference them.", default: false),
                Param("auto_organize", .boolean, "Put files in folders by type (data/processed, docs, …).", default: true),
                Param("generate_readme", .boolean, "Add README.md and quilt_summarize.json files.", default: true),
                Param("dry_run", .boolean, "Only say what would be written.", default: false),
                Param("force", .boolean, "Write even if latest moved meanwhile.", default: false),
                Param("metadata", .object, "More package metadata (top level)."),
                Param("confirm_structure", .boolean, "Accepted; dry_run previews the structure.").pythonOnly(),
            ],
            annotations: ToolAnnotations(readOnly: false, destructive: false, idempotent: false))
    ) { (args, ctx) throws(QuiltOpsError) in
        let plan = try await plan(args, ctx)
        if args.bool("dry_run") == true { return plan.preview }
        let info = try await ctx.ops.createRevision(
            CreateRevisionRequest(
                package: plan.package, registry: plan.target, entries: plan.entries, userMeta: plan.metadata,
                message: plan.message, force: args.bool("force") ?? false, copyObjects: args.bool("copy") ?? false,
                progress: ctx.progress))
        guard case .object(var out) = ResultEncoding.info(info) else { return ResultEncoding.info(info) }
        out["source"] = .string(plan.source)
        out["skipped"] = plan.preview["skipped"] ?? []
        return .object(out)
    }

    /// What a call would write.
    struct Plan {
        var package: PackageName
        var target: RegistryURL
        var source: String
        var entries: [NewEntry]
        var metadata: JSONValue
        var message: String
        var preview: JSONValue
    }

    static func plan(_ args: Arguments, _ ctx: ToolContext) async throws(QuiltOpsError) -> Plan {
        let package = try Common.package(args)
        let sourceRoot = try RegistryURL.userText(args.string("source_bucket") ?? "", field: "source_bucket")
        guard let target = try args.string("target_registry").map({ (t) throws(QuiltOpsError) in try RegistryURL.userText(t, field: "target_registry") })
            ?? ctx.defaultRegistry
        else {
            throw .invalidInput(field: "target_registry", reason: "no registry is configured; name the registry to write to, e.g. s3://my-registry.")
        }
        let prefix = args.string("source_prefix") ?? ""
        let include = (args["include_patterns"]?.arrayValue ?? []).compactMap(\.stringValue).map(Glob.init)
        let exclude = (args["exclude_patterns"]?.arrayValue ?? []).compactMap(\.stringValue).map(Glob.init)
        let organize = args.bool("auto_organize") ?? true
        let template = args.string("metadata_template") ?? "standard"

        // List every object under the prefix, page by page.
        var objects: [ObjectInfo] = []
        var cursor: String? = nil
        repeat {
            let page = try await ctx.ops.listObjects(
                ObjectListRequest(root: sourceRoot, prefix: prefix, delimiter: nil, page: try PageRequest(limit: 1000, cursor: cursor)))
            objects += page.objects
            guard objects.count <= maxObjects else {
                throw .invalidInput(
                    field: "source_prefix",
                    reason: "more than \(maxObjects) objects under \(sourceRoot.url)/\(prefix); narrow it with a longer source_prefix or include_patterns.")
            }
            cursor = page.nextCursor
            ctx.progress?(WriteProgress(phase: "listing", completed: Int64(objects.count), total: Int64(objects.count) + (cursor == nil ? 0 : 1)))
        } while cursor != nil

        // The key below the prefix's folder: `raw/2024` keeps `2024-01.csv` whole.
        let base = prefix.hasSuffix("/") || prefix.isEmpty ? prefix : String(prefix[..<(prefix.lastIndex(of: "/").map { prefix.index(after: $0) } ?? prefix.startIndex)])
        var entries: [NewEntry] = []
        var rows: [JSONValue] = []
        var skipped: [JSONValue] = []
        var folderCounts: [String: Int] = [:]
        var types = Set<String>()
        var total: Int64 = 0
        for object in objects {
            let key = Common.keyInRegistry(object.key, sourceRoot)
            if key.hasSuffix("/") { continue }  // a folder marker, not a file
            if exclude.contains(where: { $0.matches(key) }) { continue }
            if !include.isEmpty, !include.contains(where: { $0.matches(key) }) { continue }
            let relative = key.hasPrefix(base) ? String(key.dropFirst(base.count)) : key
            let folder = organize ? folderFor(key) : ""
            let logicalText = folder.isEmpty ? relative : folder + "/" + relative
            let logical: LogicalKey
            do throws(QuiltOpsError) {
                logical = try LogicalKey(logicalText, field: "source_prefix")
            } catch {
                skipped.append(["key": .string(key), "reason": .string(error.message)])
                continue
            }
            entries.append(NewEntry(logicalKey: logical, source: .object(object.key)))
            rows.append(["logical_key": .string(logicalText), "physical_key": .string(object.key.url), "size": .number(JSONNumber(object.size))])
            folderCounts[folder.isEmpty ? "." : folder, default: 0] += 1
            if let ext = fileExtension(key) { types.insert(ext) }
            total += object.size
        }
        guard !entries.isEmpty else {
            throw .invalidInput(
                field: include.isEmpty ? "source_prefix" : "include_patterns",
                reason: "no objects to package under \(sourceRoot.url)/\(prefix) (\(objects.count) listed, none kept); check the prefix and patterns.")
        }

        let description = args.string("description") ?? ""
        let sourceText = (sourceRoot.url.hasSuffix("/") ? sourceRoot.url : sourceRoot.url + "/") + prefix
        var metadata: JSONObject = [
            "quilt": [
                "created_by": "quilt-mcp package_create_from_s3",
                "source": [
                    "type": sourceRoot.kind == .s3 ? "s3_bucket" : "registry", "bucket": .string(sourceRoot.location), "prefix": .string(prefix),
                    "total_objects": .number(JSONNumber(entries.count)), "total_size_bytes": .number(JSONNumber(total)),
                ],
                "organization": [
                    "auto_organized": .bool(organize),
                    "folders": .object(JSONObject(folderCounts.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.number(JSONNumber($0.value))) })),
                ],
                "data_profile": ["file_types": .array(types.sorted().map { .string($0) }), "total_files": .number(JSONNumber(entries.count))],
            ],
        ]
        if !description.isEmpty { metadata["description"] = .string(description) }
        switch template {
        case "ml": metadata["ml"] = ["type": "machine_learning", "data_stage": "processed", "model_ready": true]
        case "analytics": metadata["analytics"] = ["type": "business_analytics", "analysis_ready": true, "report_generated": true]
        default: break
        }
        for (key, value) in args["metadata"]?.objectValue ?? [:] where key != "quilt" { metadata[key] = value }

        var generated: JSONObject = [:]
        if args.bool("generate_readme") ?? true {
            let taken = Set(rows.compactMap { $0["logical_key"]?.stringValue })
            let source = sourceText
            if !taken.contains("README.md") {
                let readme = readmeText(package, description: description, source: source, folders: folderCounts, files: entries.count, bytes: total, template: template)
                entries.append(NewEntry(logicalKey: try LogicalKey("README.md"), source: .bytes(Array(readme.utf8))))
                generated["README.md"] = .string(readme)
            }
            if !taken.contains("quilt_summarize.json") {
                let shown = ["README.md"] + rows.compactMap { $0["logical_key"]?.stringValue }.filter { isTabular($0) }.prefix(10)
                let summary = JSONWriter.pretty(.array(shown.map { .string($0) }))
                entries.append(NewEntry(logicalKey: try LogicalKey("quilt_summarize.json"), source: .bytes(Array(summary.utf8))))
                generated["quilt_summarize.json"] = .string(summary)
            }
        }
        let message = description.isEmpty ? "Created from \(sourceText)" : description
        let preview: JSONValue = [
            "dry_run": true, "package_name": .string(package.rawValue), "registry": .string(target.url),
            "source": .string(sourceText), "message": .string(message),
            "entry_count": .number(JSONNumber(rows.count + generated.count)), "total_bytes": .number(JSONNumber(total)),
            "entries": .array(Array(rows.prefix(previewEntries))), "entries_truncated": .bool(rows.count > previewEntries),
            "generated_files": .object(generated), "metadata": .object(metadata),
            "skipped": .array(Array(skipped.prefix(100))), "skipped_count": .number(JSONNumber(skipped.count)),
        ]
        return Plan(
            package: package, target: target, source: sourceText, entries: entries,
            metadata: .object(metadata), message: message, preview: preview)
    }

    static func fileExtension(_ key: String) -> String? {
        let name = key.split(separator: "/").last.map(String.init) ?? key
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let ext = name[name.index(after: dot)...].lowercased()
        return ext.isEmpty ? nil : ext
    }

    /// The Python server's folder for a key: by name first (readme, schema, config), then by extension.
    static func folderFor(_ key: String) -> String {
        let lower = key.lowercased()
        if lower.contains("readme") || lower.contains("documentation") { return "docs" }
        if lower.contains("schema") || lower.contains("definition") { return "docs/schemas" }
        if lower.contains("config") || lower.contains("settings") { return "metadata" }
        return fileExtension(key).flatMap { folders[$0] } ?? "data/misc"
    }

    static func isTabular(_ key: String) -> Bool { ["csv", "tsv", "parquet", "json", "jsonl"].contains(fileExtension(key) ?? "") }

    static func readmeText(
        _ package: PackageName, description: String, source: String, folders: [String: Int], files: Int, bytes: Int64?, template: String
    ) -> String {
        var text = "# \(package.rawValue)\n\n"
        text += (description.isEmpty ? "Data packaged from \(source)." : description) + "\n\n"
        text += "## Contents\n\n"
        for (folder, count) in folders.sorted(by: { $0.key < $1.key }) {
            text += "- `\(folder == "." ? "/" : folder + "/")`: \(count) file\(count == 1 ? "" : "s")\n"
        }
        text += "\n\(files) file\(files == 1 ? "" : "s")" + (bytes.map { ", \($0) bytes in all" } ?? "") + ", from `\(source)`.\n"
        if template == "ml" { text += "\n## Machine learning\n\nProcessed data, ready for model training.\n" }
        if template == "analytics" { text += "\n## Analytics\n\nData prepared for analysis and reporting.\n" }
        return text
    }
}
