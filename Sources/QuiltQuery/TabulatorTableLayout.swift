import QuiltContract
import QuiltJSON

/// A Tabulator table's columns and how one file's records become its rows.
struct TableLayout {
    /// The schema's columns, then the patterns' named groups, then the added `$…` columns; SQLite types.
    let columns: [(name: String, type: String)]
    let schema: [(name: String, type: String)]
    let packagePattern: Regex<AnyRegexOutput>
    let keyPattern: Regex<AnyRegexOutput>
    let packageGroups: [String]
    let keyGroups: [String]
    static let added = ["$pkg_name", "$logical_key", "$physical_key", "$top_hash", "$issue"]

    /// - Throws: `.invalidInput(field: "query")` for a named group that repeats a column's name.
    init(_ definition: TabulatorDefinition, table: String) throws(QuiltOpsError) {
        schema = definition.columns
        do {
            packagePattern = try Regex(definition.packagePattern)
            keyPattern = try Regex(definition.logicalKeyPattern)
        } catch {
            throw .invalidInput(field: "query", reason: "table '\(table)' has a pattern this server cannot compile: \(error).")
        }
        let packageGroups = Self.groupNames(definition.packagePattern)
        let keyGroups = Self.groupNames(definition.logicalKeyPattern).filter { !packageGroups.contains($0) }
        self.packageGroups = packageGroups
        self.keyGroups = keyGroups
        var names = Set(definition.columns.map(\.name))
        for group in packageGroups + keyGroups {
            guard names.insert(group).inserted else {
                throw .invalidInput(field: "query", reason: "table '\(table)': the named group '\(group)' repeats a column's name; rename one of them.")
            }
        }
        columns = definition.columns.map { ($0.name, Self.sqliteType($0.type)) } + (packageGroups + keyGroups + Self.added).map { ($0, "TEXT") }
    }

    /// The SQLite type a Tabulator type is stored as (its affinity keeps `007` text in a STRING column).
    static func sqliteType(_ type: String) -> String {
        switch type {
        case "TINYINT", "SMALLINT", "INT", "BIGINT": return "INTEGER"
        case "FLOAT", "DOUBLE": return "REAL"
        case "BOOLEAN": return "BOOLEAN"
        default: return "TEXT"
        }
    }

    /// The names of a pattern's named groups, `(?<name>…)` or `(?P<name>…)`, in order (escapes and classes skipped).
    static func groupNames(_ pattern: String) -> [String] {
        let chars = Array(pattern)
        var names: [String] = []
        var i = 0
        var inClass = false
        while i < chars.count {
            let c = chars[i]
            if c == "\\" { i += 2; continue }
            if inClass {
                if c == "]" { inClass = false }
            } else if c == "[" {
                inClass = true
            } else if c == "(", i + 2 < chars.count, chars[i + 1] == "?" {
                var j = i + 2
                if chars[j] == "P" { j += 1 }
                if j < chars.count, chars[j] == "<", j + 1 < chars.count, chars[j + 1] != "=", chars[j + 1] != "!" {
                    let start = j + 1
                    var end = start
                    while end < chars.count, chars[end] != ">" { end += 1 }
                    let name = String(chars[start..<end])
                    if !name.isEmpty, !names.contains(name) { names.append(name) }
                    i = end
                }
            }
            i += 1
        }
        return names
    }

    /// The values of `names` in `pattern`'s first match in `text` (NULL for a group that took no part).
    static func groups(_ pattern: Regex<AnyRegexOutput>, in text: String, _ names: [String]) -> [SQLValue] {
        guard !names.isEmpty else { return [] }
        guard let match = try? pattern.firstMatch(in: text) else { return names.map { _ in .null } }
        return names.map { name in match.output[name]?.substring.map { .text(String($0)) } ?? .null }
    }

    // MARK: - Rows

    /// Inserts the rows of `file`: every record converted, or (with `continue_on_error`) one row noting why the file
    /// did not parse. Returns the rows inserted and whether the file had an issue.
    /// - Throws: `.invalidInput(field: "query")` naming the file, record and column, without `continue_on_error`.
    func load(
        _ file: TabulatorTableBuilder.File, _ definition: TabulatorDefinition, _ insert: ([SQLValue]) throws(QuiltOpsError) -> Void
    ) throws(QuiltOpsError) -> (rows: Int, issue: Bool) {
        let tail: [SQLValue] = file.groups + [.text(file.package), .text(file.logicalKey), .text(file.physicalKey), .text(file.topHash)]
        // First pass: check every record, keeping nothing, so a bad file inserts no rows but its issue row.
        do {
            try rows(file, definition) { (_, _) throws(QuiltOpsError) in }
        } catch .invalidInput(_, let reason) where definition.continueOnError {
            try insert([SQLValue](repeating: .null, count: schema.count) + tail + [.text(reason)])
            return (1, true)
        }
        var count = 0
        var issue = false
        try rows(file, definition) { (values, note) throws(QuiltOpsError) in
            if note != nil { issue = true }
            try insert(values + tail + [note.map { .text($0) } ?? .null])
            count += 1
        }
        return (count, issue)
    }

    /// Calls `each` with every record of `file` as the schema's values, and a note when the record lacked columns.
    /// JSON lines (`.jsonl`, `.ndjson`) are read by column name, as Tabulator reads Parquet; everything else as the
    /// definition's CSV.
    private func rows(
        _ file: TabulatorTableBuilder.File, _ definition: TabulatorDefinition, _ each: ([SQLValue], String?) throws(QuiltOpsError) -> Void
    ) throws(QuiltOpsError) {
        let where_ = "\(file.package)/\(file.logicalKey)"
        let lowered = file.logicalKey.lowercased()
        let json = lowered.hasSuffix(".jsonl") || lowered.hasSuffix(".ndjson")
        guard String(validating: file.bytes, as: UTF8.self) != nil else {
            throw .invalidInput(field: "query", reason: "\(where_) is not UTF-8 text, so it cannot be read as \(json ? "JSON lines" : "CSV").")
        }
        if json {
            try jsonLines(file.bytes, where_, each)
            return
        }
        let skip = definition.skipRows + (definition.header ? 1 : 0)
        var number = 0
        try DelimitedScanner.scan(file.bytes, delimiter: try definition.delimiterByte(), logicalKey: where_) { (record) throws(QuiltOpsError) in
            number += 1
            if number <= skip { return }
            let (values, short) = try convert(record, number, where_)
            try each(values, short)
        }
    }

    /// JSON lines: one object per line (blank lines skipped); each column is the value of its name (matched without
    /// regard to case); a missing name is NULL, noted.
    private func jsonLines(_ bytes: [UInt8], _ where_: String, _ each: ([SQLValue], String?) throws(QuiltOpsError) -> Void) throws(QuiltOpsError) {
        try TabularReader.eachObject(bytes, field: "query", where: where_) { (object, number) throws(QuiltOpsError) in
            var byName: [String: JSONValue] = [:]
            for (key, v) in object { byName[key.lowercased()] = v }
            var values: [SQLValue] = []
            var missing: [String] = []
            for column in schema {
                guard let cell = byName[column.name] else {
                    missing.append(column.name)
                    values.append(.null)
                    continue
                }
                guard let converted = Self.value(cell, column.type) else {
                    throw .invalidInput(
                        field: "query",
                        reason: "\(where_) line \(number) column '\(column.name)' has \(JSONWriter.compact(cell).prefix(40)), which is no \(column.type).")
                }
                values.append(converted)
            }
            try each(values, missing.isEmpty ? nil : "line \(number) lacks \(missing.joined(separator: ", "))")
        }
    }

    /// A JSON value as a value of Tabulator type `type`: JSON's own kind where it is one, else its text read as CSV
    /// text is; arrays and objects in STRING columns as their JSON.
    static func value(_ cell: JSONValue, _ type: String) -> SQLValue? {
        switch cell {
        case .null: return .null
        case .string(let text): return value(text, type)
        case .bool(let b):
            if type == "BOOLEAN" { return .integer(b ? 1 : 0) }
            return type == "STRING" ? .text(b ? "true" : "false") : nil
        case .number(let n):
            switch type {
            case "FLOAT", "DOUBLE": return n.doubleValue.isFinite ? .real(n.doubleValue) : nil
            case "STRING": return .text(JSONWriter.compact(cell))
            default: return n.isInteger && n.int64Value != nil ? value(String(n.int64Value ?? 0), type) : nil
            }
        case .array, .object: return type == "STRING" ? .text(JSONWriter.compact(cell)) : nil
        }
    }

    /// A record's fields as the schema's typed values, and a note when it had fewer fields than columns.
    private func convert(_ fields: [String?], _ number: Int, _ where_: String) throws(QuiltOpsError) -> ([SQLValue], String?) {
        guard fields.count <= schema.count else {
            throw .invalidInput(field: "query", reason: "\(where_) record \(number) has \(fields.count) fields; the schema has \(schema.count) columns.")
        }
        var values: [SQLValue] = []
        values.reserveCapacity(schema.count)
        for (i, column) in schema.enumerated() {
            guard i < fields.count, let field = fields[i] else {
                values.append(.null)
                continue
            }
            guard let value = Self.value(field, column.type) else {
                throw .invalidInput(
                    field: "query", reason: "\(where_) record \(number) column '\(column.name)' has '\(field.prefix(40))', which is no \(column.type).")
            }
            values.append(value)
        }
        let short = fields.count < schema.count
            ? "record \(number) has \(fields.count) of \(schema.count) columns; missing: \(schema[fields.count...].map(\.name).joined(separator: ", "))"
            : nil
        return (values, short)
    }

    /// `field` as a value of Tabulator type `type`, or nil when it is not one.
    static func value(_ field: String, _ type: String) -> SQLValue? {
        switch type {
        case "TINYINT", "SMALLINT", "INT", "BIGINT":
            guard let v = ColumnType.integer(field) else { return nil }
            let range: ClosedRange<Int64> = switch type {
            case "TINYINT": Int64(Int8.min)...Int64(Int8.max)
            case "SMALLINT": Int64(Int16.min)...Int64(Int16.max)
            case "INT": Int64(Int32.min)...Int64(Int32.max)
            default: Int64.min...Int64.max
            }
            return range.contains(v) ? .integer(v) : nil
        case "FLOAT", "DOUBLE":
            return ColumnType.real(field).map { .real($0) }
        case "BOOLEAN":
            switch field.lowercased() {
            case "true": return .integer(1)
            case "false": return .integer(0)
            default: return nil
            }
        case "DATE":
            let parts = field.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
                  parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                  let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m), (1...31).contains(d) else { return nil }
            return .text(field)
        default:
            return .text(field)
        }
    }
}
