/// A Tabulator table's definition as its parts, checked and written as the YAML the catalog stores:
///
/// ```yaml
/// schema:
/// - name: sample_id
///   type: STRING
/// source:
///   type: quilt-packages
///   package_name: "^experiments/(?<year>\\d{4})$"
///   logical_key: "samples/.*\\.csv$"
/// parser:
///   format: csv
///   delimiter: "\t"
///   header: true
/// ```
///
/// Rules (Quilt's Tabulator documentation): column names match `^[a-z_][a-z0-9_]*$`; types are BOOLEAN, TINYINT,
/// SMALLINT, INT, BIGINT, FLOAT, DOUBLE, STRING, BINARY, DATE or TIMESTAMP; the patterns are regular expressions
/// (named groups become columns); the format is `csv` (TSV is CSV with a tab delimiter) or `parquet`.
public struct TabulatorDefinition: Sendable, Hashable {
    public var columns: [(name: String, type: String)]
    public var packagePattern: String
    public var logicalKeyPattern: String
    /// `csv`, `tsv` or `parquet`.
    public var format: String
    public var delimiter: String?
    public var header: Bool
    public var skipRows: Int
    public var continueOnError: Bool

    public static let types = ["BOOLEAN", "TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE", "STRING", "BINARY", "DATE", "TIMESTAMP"]

    public init(
        columns: [(name: String, type: String)], packagePattern: String, logicalKeyPattern: String, format: String = "csv",
        delimiter: String? = nil, header: Bool = true, skipRows: Int = 0, continueOnError: Bool = false
    ) {
        self.columns = columns
        self.packagePattern = packagePattern
        self.logicalKeyPattern = logicalKeyPattern
        self.format = format
        self.delimiter = delimiter
        self.header = header
        self.skipRows = skipRows
        self.continueOnError = continueOnError
    }

    public static func == (a: TabulatorDefinition, b: TabulatorDefinition) -> Bool { a.yaml == b.yaml }
    public func hash(into hasher: inout Hasher) { hasher.combine(yaml) }

    /// Checks every part, naming the argument at fault (the tool's names: `schema`, `package_pattern`, …).
    /// - Throws: `.invalidInput` with what is wrong and what is allowed.
    public func validate() throws(QuiltOpsError) {
        guard !columns.isEmpty else { throw .invalidInput(field: "schema", reason: "give at least one column ({name, type}).") }
        var seen = Set<String>()
        for (i, column) in columns.enumerated() {
            guard Self.isColumnName(column.name) else {
                throw .invalidInput(field: "schema", reason: "column \(i + 1) name '\(column.name)' must match ^[a-z_][a-z0-9_]*$ (lowercase letters, digits, underscores).")
            }
            guard seen.insert(column.name).inserted else { throw .invalidInput(field: "schema", reason: "column '\(column.name)' appears twice.") }
            guard Self.types.contains(column.type) else {
                throw .invalidInput(field: "schema", reason: "column '\(column.name)' type '\(column.type)' is not one of \(Self.types.joined(separator: ", ")) (uppercase).")
            }
        }
        for (field, pattern) in [("package_pattern", packagePattern), ("logical_key_pattern", logicalKeyPattern)] {
            guard !pattern.isEmpty else { throw .invalidInput(field: field, reason: "give a regular expression (e.g. ^team/.* or \\.csv$).") }
            do { _ = try Regex(pattern) } catch {
                throw .invalidInput(field: field, reason: "'\(pattern)' is not a regular expression: \(error).")
            }
        }
        guard ["csv", "tsv", "parquet"].contains(format) else {
            throw .invalidInput(field: "parser_format", reason: "'\(format)' is not csv, tsv or parquet.")
        }
        if let delimiter {
            guard format != "parquet" else { throw .invalidInput(field: "parser_delimiter", reason: "Parquet has no delimiter.") }
            guard delimiter.unicodeScalars.count == 1 else {
                throw .invalidInput(field: "parser_delimiter", reason: "'\(delimiter)' must be one character (\",\" or \"\\t\").")
            }
        }
        guard skipRows >= 0 else { throw .invalidInput(field: "parser_skip_rows", reason: "must be 0 or more.") }
    }

    /// Whether `name` is a column (or table) name Athena and the catalog accept: `^[a-z_][a-z0-9_]*$`.
    public static func isColumnName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(0x30...0x39).contains(first) else { return false }
        return name.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "_") }
    }

    /// The YAML the catalog stores: strings double-quoted with JSON's escapes (which YAML reads the same way), so
    /// patterns keep every backslash.
    public var yaml: String {
        var lines = ["schema:"]
        for column in columns { lines += ["- name: \(column.name)", "  type: \(column.type)"] }
        lines += [
            "source:", "  type: quilt-packages", "  package_name: \(Self.quoted(packagePattern))",
            "  logical_key: \(Self.quoted(logicalKeyPattern))", "parser:", "  format: \(format == "parquet" ? "parquet" : "csv")",
        ]
        if format != "parquet" {
            lines.append("  delimiter: \(Self.quoted(delimiter ?? (format == "tsv" ? "\t" : ",")))")
            lines.append("  header: \(header)")
            if skipRows > 0 { lines.append("  skip_rows: \(skipRows)") }
        }
        if continueOnError { lines.append("continue_on_error: true") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `text` as a YAML double-quoted scalar.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
