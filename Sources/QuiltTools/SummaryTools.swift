import QuiltContract
import QuiltJSON

/// Charts and `quilt_summarize.json` for the catalog (the `curate` toolset), with the Python server's names: specs the
/// catalog renders (ECharts options, Vega-Lite), never images.
enum SummaryTools {
    static let all = [createDataVisualization, generateQuiltSummarizeJSON, generatePackageVisualizations, createQuiltSummaryFiles]

    // MARK: - One chart

    static let createDataVisualization = Tool(
        ToolDefinition(
            name: "create_data_visualization", title: "Chart data for the catalog",
            description: "An ECharts option (or Vega-Lite spec) of a boxplot, scatter, line or bar chart from columns, rows, CSV text or an object URL, with its data as CSV and the quilt_summarize.json entry that shows it; files_to_upload lists both.",
            parameters: [
                Param("data", .anyJSON, "{column: [values]}, [{column: value}], CSV text, or an object URL (CSV).", required: true),
                Param("plot_type", .string(pattern: nil, minLength: nil), "Chart type.", required: true, enum: ChartSpec.Kind.allCases.map(\.rawValue)),
                Param("x_column", .string(pattern: nil, minLength: 1), "Column on the x axis (categories for boxplot).", required: true),
                Param("y_column", .string(pattern: nil, minLength: 1), "Column on the y axis; a bar chart without it counts x."),
                Param("group_column", .string(pattern: nil, minLength: 1), "Column splitting the data into series."),
                Param("title", .string(pattern: nil, minLength: nil), "Chart title.", default: ""),
                Param("xlabel", .string(pattern: nil, minLength: nil), "x axis title; default x_column.", default: ""),
                Param("ylabel", .string(pattern: nil, minLength: nil), "y axis title; default y_column.", default: ""),
                Param("color_scheme", .string(pattern: nil, minLength: nil), "Palette.", default: "genomics", enum: ChartSpec.palettes.keys.sorted()),
                Param("template", .string(pattern: nil, minLength: nil), "A label kept in the answer.", default: "research"),
                Param("output_format", .string(pattern: nil, minLength: nil), "Chart library.", default: "echarts", enum: ["echarts", "vega-lite"]),
            ],
            annotations: ToolAnnotations(readOnly: true, idempotent: true, openWorld: true))
    ) { (args, ctx) throws(QuiltOpsError) in
        let data = try await chartData(args["data"] ?? .null, ctx)
        let kind = ChartSpec.Kind(rawValue: args.string("plot_type") ?? "") ?? .bar
        let x = try data.column(args.string("x_column") ?? "", field: "x_column")
        let y = try args.string("y_column").map { (name) throws(QuiltOpsError) in try data.column(name, field: "y_column") }
        let group = try args.string("group_column").map { (name) throws(QuiltOpsError) in try data.column(name, field: "group_column") }
        if kind != .bar, y == nil {
            throw .invalidInput(field: "y_column", reason: "a \(kind.rawValue) chart needs y_column (only a bar chart counts x without one).")
        }
        if let y, !data.isNumeric(y) {
            throw .invalidInput(field: "y_column", reason: "'\(data.columns[y])' holds values that are not numbers; a chart's y axis needs numbers.")
        }
        let title = args.string("title") ?? ""
        let spec = ChartSpec(
            kind: kind, data: data, x: x, y: y, group: group, title: title,
            xLabel: args.string("xlabel") ?? data.columns[x], yLabel: args.string("ylabel") ?? y.map { data.columns[$0] } ?? "count",
            palette: ChartSpec.palettes[args.string("color_scheme") ?? "genomics"] ?? [])
        let format = args.string("output_format") ?? "echarts"
        let base = "viz/" + slug(title.isEmpty ? "\(kind.rawValue)-\(data.columns[x])" : title)
        let chartPath = base + (format == "echarts" ? ".echarts.json" : ".vl.json")
        let chart = format == "echarts" ? spec.echarts : spec.vegaLite
        var entry: JSONObject = ["path": .string(chartPath), "title": .string(title.isEmpty ? "\(kind.rawValue) of \(data.columns[x])" : title)]
        if format == "echarts" { entry["types"] = ["echarts"] }
        return [
            "plot_type": .string(kind.rawValue), "output_format": .string(format), "template": .string(args.string("template") ?? "research"),
            "rows": .number(JSONNumber(data.rows.count)), "chart": chart, "quilt_summarize_entry": .object(entry),
            "files_to_upload": [
                ["key": .string(chartPath), "text": .string(JSONWriter.pretty(chart))],
                ["key": .string(base + ".csv"), "text": .string(data.csv)],
                ["key": "quilt_summarize.json", "text": .string(JSONWriter.pretty([.object(entry)]))],
            ],
        ]
    }

    /// The table behind a chart: given inline, or read from an object URL (CSV, at most 10 MiB).
    static func chartData(_ value: JSONValue, _ ctx: ToolContext) async throws(QuiltOpsError) -> ChartData {
        if let text = value.stringValue, text.contains("://"), !text.contains("\n") {
            let key = try PhysicalKey(text, field: "data")
            let read = try await ctx.ops.readObject(key, range: nil, maxBytes: 10 << 20)
            guard let csv = String(validating: read.bytes, as: UTF8.self) else {
                throw .invalidInput(field: "data", reason: "\(text) is not UTF-8 text; give a CSV object.")
            }
            return try ChartData(csv: csv)
        }
        return try ChartData(json: value)
    }

    /// A file name from a title: lower case letters, digits and dashes.
    static func slug(_ text: String) -> String {
        var out = ""
        for c in text.lowercased() {
            if c.isASCII && (c.isLetter || c.isNumber) { out.append(c) } else if out.last != "-" { out.append("-") }
        }
        while out.hasPrefix("-") { out.removeFirst() }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "chart" : String(out.prefix(60))
    }

    // MARK: - quilt_summarize.json

    static let generateQuiltSummarizeJSON = Tool(
        ToolDefinition(
            name: "generate_quilt_summarize_json", title: "quilt_summarize.json for a package",
            description: "The catalog's quilt_summarize.json for a package's files: README.md first, then charts (as ECharts where named *.echarts.json), tables and images, at most 20.",
            parameters: summaryParams,
            annotations: ToolAnnotations(readOnly: true, idempotent: true, openWorld: false))
    ) { (args, ctx) throws(QuiltOpsError) in
        let package = try Common.package(args)
        let files = try logicalKeys(args["organized_structure"]?.objectValue ?? [:])
        let summary = JSONValue.array(summarize(package, files: files, args: args, hasReadme: !(args.string("readme_content") ?? "").isEmpty))
        return [
            "package_name": .string(package.rawValue), "template": .string(args.string("metadata_template") ?? "standard"),
            "quilt_summarize": summary, "text": .string(JSONWriter.pretty(summary)), "count": .number(JSONNumber(summary.arrayValue?.count ?? 0)),
        ]
    }

    /// The catalog's `quilt_summarize.json` items for `files`: README.md first (expanded, described by the metadata's
    /// description or the source), then charts (ECharts typed), tables and images; at most 20.
    static func summarize(_ package: PackageName, files: [String], args: Arguments, hasReadme: Bool) -> [JSONValue] {
        var rows: [JSONValue] = []
        if hasReadme || files.contains("README.md") {
            var readme: JSONObject = ["path": "README.md", "title": .string(package.rawValue), "expand": true]
            let described = args["package_metadata"]?["description"]?.stringValue ?? sourceText(args).map { "Data from \($0)" }
            if let described { readme["description"] = .string(described) }
            rows.append(.object(readme))
        }
        let charts = files.filter { $0.hasSuffix(".echarts.json") || $0.hasSuffix(".vl.json") || $0.hasSuffix(".vega.json") }
        let tables = files.filter { ["csv", "tsv", "xlsx", "parquet", "jsonl"].contains(PackageFromS3Tool.fileExtension($0) ?? "") }
        let images = files.filter { ["png", "jpg", "jpeg", "gif", "svg"].contains(PackageFromS3Tool.fileExtension($0) ?? "") }
        for path in (charts + tables + images).prefix(max(0, 20 - rows.count)) {
            var row: JSONObject = ["path": .string(path), "title": .string(String(path.split(separator: "/").last ?? Substring(path)))]
            if path.hasSuffix(".echarts.json") { row["types"] = ["echarts"] }
            rows.append(.object(row))
        }
        return rows
    }

    /// `s3://bucket/prefix` from the Python server's `source_info` (`{bucket, prefix}`), nil without a bucket.
    static func sourceText(_ args: Arguments) -> String? {
        args["source_info"].flatMap { s in s["bucket"]?.stringValue.map { "s3://\($0)/" + (s["prefix"]?.stringValue ?? "") } }
    }

    // MARK: - Charts of a package's files

    static let summaryParams: [Param] = [
        Common.packageName,
        Param("package_metadata", .object, "Package metadata; its description describes README.md.", required: true),
        Param("organized_structure", .object, "{folder: [file names, or {logical_key} / {Key} objects]}.", required: true),
        Param("readme_content", .string(pattern: nil, minLength: nil), "README.md text ('' when there is none).", required: true),
        Param("source_info", .object, "Where the data came from ({bucket, prefix}).", required: true),
        Param("metadata_template", .string(pattern: nil, minLength: nil), "A label kept in the answer.", default: "standard"),
    ]

    static let generatePackageVisualizations = Tool(
        ToolDefinition(
            name: "generate_package_visualizations", title: "Charts of a package's files",
            description: "ECharts options the catalog renders: files per folder (bar) and files per type (pie), with files_to_upload and their quilt_summarize.json entries.",
            parameters: [
                Common.packageName,
                Param("organized_structure", .object, "{folder: [file names, or {logical_key} / {Key} objects]}.", required: true),
                Param("file_types", .object, "{extension: count}; default counted from organized_structure.", required: true),
                Param("metadata_template", .string(pattern: nil, minLength: nil), "A label kept in the answer.", default: "standard"),
                Param("package_metadata", .object, "Package metadata; its description titles the charts."),
            ],
            annotations: ToolAnnotations(readOnly: true, idempotent: true, openWorld: false))
    ) { (args, ctx) throws(QuiltOpsError) in
        let package = try Common.package(args)
        let charts = try packageCharts(package, args)
        return [
            "package_name": .string(package.rawValue), "template": .string(args.string("metadata_template") ?? "standard"),
            "charts": .array(charts.map { ["path": .string($0.path), "title": .string($0.title), "option": $0.option] }),
            "quilt_summarize_entries": .array(charts.map(\.entry)),
            "files_to_upload": .array(charts.map { ["key": .string($0.path), "text": .string(JSONWriter.pretty($0.option))] }),
        ]
    }

    /// Files per folder and files per type, as ECharts options under `viz/`.
    static func packageCharts(_ package: PackageName, _ args: Arguments) throws(QuiltOpsError)
        -> [(path: String, title: String, option: JSONValue, entry: JSONValue)]
    {
        let structure = args["organized_structure"]?.objectValue ?? [:]
        var perFolder: [(String, Int)] = []
        for folder in structure.keys {
            perFolder.append((folder.isEmpty ? "/" : folder, structure[folder]?.arrayValue?.count ?? 0))
        }
        var types: [(String, Int)] = []
        if let given = args["file_types"]?.objectValue, !given.isEmpty {
            for ext in given.keys {
                guard let n = given[ext]?.intValue else {
                    throw .invalidInput(field: "file_types", reason: "'\(ext)' must map to a count of files.")
                }
                types.append((ext, n))
            }
        } else {
            var counted: [String: Int] = [:]
            for key in try logicalKeys(structure) { counted[PackageFromS3Tool.fileExtension(key) ?? "(none)", default: 0] += 1 }
            types = counted.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        }
        let palette = ChartSpec.palettes["default"] ?? []
        let name = package.rawValue
        let folders: JSONValue = [
            "title": ["text": .string("Files per folder in \(name)")], "tooltip": ["trigger": "axis"], "color": .array(palette.map { .string($0) }),
            "xAxis": ["type": "category", "data": .array(perFolder.map { .string($0.0) })], "yAxis": ["type": "value", "name": "files"],
            "series": [["type": "bar", "data": .array(perFolder.map { .number(JSONNumber($0.1)) })]],
        ]
        let kinds: JSONValue = [
            "title": ["text": .string("File types in \(name)")], "tooltip": ["trigger": "item"], "color": .array(palette.map { .string($0) }),
            "legend": ["orient": "vertical", "left": "left"],
            "series": [["type": "pie", "radius": "60%", "data": .array(types.map { ["name": .string($0.0), "value": .number(JSONNumber($0.1))] })]],
        ]
        return [("viz/files-per-folder.echarts.json", "Files per folder", folders), ("viz/file-types.echarts.json", "File types", kinds)].map { c in
            (c.0, c.1, c.2, ["path": .string(c.0), "title": .string(c.1), "types": ["echarts"]])
        }
    }

    // MARK: - Every summary file, written when asked

    static let createQuiltSummaryFiles = Tool(
        ToolDefinition(
            name: "create_quilt_summary_files", title: "README, charts and quilt_summarize.json for a package",
            description: "README.md (given, or made from the structure), charts of the package's files and the quilt_summarize.json showing them, as files_to_upload; write=true adds them to a new revision of the package.",
            parameters: summaryParams + [
                Common.registry,
                Param("write", .boolean, "Add the files to a new revision (of latest).", default: false),
                Param("message", .string(pattern: nil, minLength: nil), "Commit message when writing."),
            ],
            annotations: ToolAnnotations(readOnly: false, destructive: false, idempotent: false))
    ) { (args, ctx) throws(QuiltOpsError) in
        let package = try Common.package(args)
        let structure = args["organized_structure"]?.objectValue ?? [:]
        let files = try logicalKeys(structure)
        var readme = args.string("readme_content") ?? ""
        if readme.isEmpty {
            var counts: [String: Int] = [:]
            for folder in structure.keys { counts[folder.isEmpty ? "." : folder] = structure[folder]?.arrayValue?.count ?? 0 }
            readme = PackageFromS3Tool.readmeText(
                package, description: args["package_metadata"]?["description"]?.stringValue ?? "", source: sourceText(args) ?? "its registry",
                folders: counts, files: files.count, bytes: nil, template: args.string("metadata_template") ?? "standard")
        }
        let charts = try packageCharts(package, args)
        let summary = JSONValue.array(
            summarize(package, files: files + charts.map(\.path), args: args, hasReadme: true))
        var upload: [(String, String)] = [("README.md", readme), ("quilt_summarize.json", JSONWriter.pretty(summary))]
        upload += charts.map { ($0.path, JSONWriter.pretty($0.option)) }
        var out: JSONObject = [
            "package_name": .string(package.rawValue), "quilt_summarize": summary,
            "files_to_upload": .array(upload.map { ["key": .string($0.0), "text": .string($0.1)] }),
        ]
        if args.bool("write") == true {
            var put: [NewEntry] = []
            for (key, text) in upload { put.append(NewEntry(logicalKey: try LogicalKey(key, field: "files_to_upload"), source: .bytes(Array(text.utf8)))) }
            let info = try await ctx.ops.updateRevision(
                UpdateRevisionRequest(
                    package: package, registry: try Common.registry(args, ctx), base: .latest, put: put, remove: [], metadata: .keep,
                    message: args.string("message") ?? "Summary files via create_quilt_summary_files", force: false, copyObjects: false,
                    progress: ctx.progress))
            out["revision"] = ResultEncoding.info(info)
        }
        return .object(out)
    }

    /// The logical keys an `organized_structure` names: strings as they are; `{logical_key}` as it is; `{Key}` (an S3
    /// listing's object, as the Python server passes them) as the folder plus the key's file name.
    static func logicalKeys(_ structure: JSONObject) throws(QuiltOpsError) -> [String] {
        var out: [String] = []
        for folder in structure.keys {
            guard let items = structure[folder]?.arrayValue else {
                throw .invalidInput(field: "organized_structure", reason: "'\(folder)' must map to a list of files.")
            }
            let prefix = folder.isEmpty || folder == "." ? "" : (folder.hasSuffix("/") ? folder : folder + "/")
            for item in items {
                if let name = item.stringValue {
                    out.append(name.contains("/") || prefix.isEmpty ? name : prefix + name)
                } else if let key = item["logical_key"]?.stringValue {
                    out.append(key)
                } else if let key = item["Key"]?.stringValue {
                    out.append(prefix + String(key.split(separator: "/").last ?? Substring(key)))
                } else {
                    throw .invalidInput(field: "organized_structure", reason: "each file is a name, {\"logical_key\": …} or {\"Key\": …}.")
                }
            }
        }
        return out
    }
}
