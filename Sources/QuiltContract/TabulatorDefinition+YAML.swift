import QuiltJSON

extension TabulatorDefinition {
    /// Reads a stored definition: the YAML ``yaml`` writes, one copied from a catalog, or one written by hand
    /// (Quilt's documented form: `schema`, `source`, `parser`, `continue_on_error`), then checks it with
    /// ``validate()``. As the catalog reads it, `parser.header` defaults to false and `parser.delimiter` to `,`; a
    /// `csv` parser with a tab delimiter is TSV.
    ///
    /// - Throws: `.invalidInput(field:)` (`config` unless told) naming the line or the part at fault: YAML this reader
    ///   refuses (``BlockYAML``), a missing or misspelt section or key, a value of the wrong kind, or what
    ///   ``validate()`` refuses.
    public init(yaml: String, field: String = "config") throws(QuiltOpsError) {
        let document = try BlockYAML.parse(yaml, field: field)
        func fail(_ reason: String) -> QuiltOpsError { .invalidInput(field: field, reason: reason) }
        func object(_ value: JSONValue?, _ path: String, keys: Set<String>, required: Set<String>) throws(QuiltOpsError) -> JSONObject {
            guard case .object(let o)? = value else { throw fail("\(path) must be a mapping of \(keys.sorted().joined(separator: ", ")).") }
            for key in o.keys where !keys.contains(key) {
                throw fail("\(path) has '\(key)', which is none of \(keys.sorted().joined(separator: ", ")).")
            }
            let missing = required.sorted().filter { o[$0] == nil || o[$0]?.isNull == true }
            if !missing.isEmpty { throw fail("\(path) needs " + missing.map { "'\($0)'" }.joined(separator: " and ") + ".") }
            return o
        }
        func string(_ o: JSONObject, _ key: String, _ path: String) throws(QuiltOpsError) -> String? {
            guard let value = o[key], !value.isNull else { return nil }
            guard let s = value.stringValue else { throw fail("\(path).\(key) must be text (quote it).") }
            return s
        }
        func bool(_ o: JSONObject, _ key: String, _ path: String) throws(QuiltOpsError) -> Bool? {
            guard let value = o[key], !value.isNull else { return nil }
            guard let b = value.boolValue else { throw fail("\(path).\(key) must be true or false.") }
            return b
        }

        let top = try object(document, "the definition", keys: ["schema", "source", "parser", "continue_on_error"], required: ["schema", "source", "parser"])
        guard case .array(let items)? = top["schema"] else { throw fail("schema must be a list of {name, type}.") }
        var columns: [(name: String, type: String)] = []
        for (i, item) in items.enumerated() {
            let path = "schema item \(i + 1)"
            let column = try object(item, path, keys: ["name", "type"], required: ["name", "type"])
            guard let name = try string(column, "name", path), let type = try string(column, "type", path) else { throw fail("\(path) needs a name and a type.") }
            columns.append((name, type))
        }
        let source = try object(top["source"], "source", keys: ["type", "package_name", "logical_key"], required: ["type", "package_name", "logical_key"])
        guard try string(source, "type", "source") == "quilt-packages" else { throw fail("source.type must be quilt-packages (the only source Tabulator has).") }
        let parser = try object(top["parser"], "parser", keys: ["format", "delimiter", "header", "skip_rows"], required: ["format"])
        guard let format = try string(parser, "format", "parser"), format == "csv" || format == "parquet" else {
            throw fail("parser.format must be csv or parquet.")
        }
        var skipRows = 0
        if let value = parser["skip_rows"], !value.isNull {
            guard let n = value.numberValue?.int64Value, n >= 0, n <= 1_000_000 else { throw fail("parser.skip_rows must be a whole number, 0 or more.") }
            skipRows = Int(n)
        }
        if format == "parquet", parser["delimiter"] != nil || parser["header"] != nil || parser["skip_rows"] != nil {
            throw fail("a parquet parser takes no delimiter, header or skip_rows.")
        }
        self.init(
            columns: columns, packagePattern: try string(source, "package_name", "source") ?? "",
            logicalKeyPattern: try string(source, "logical_key", "source") ?? "", format: format,
            delimiter: try string(parser, "delimiter", "parser"), header: try bool(parser, "header", "parser") ?? false,
            skipRows: skipRows, continueOnError: try bool(top, "continue_on_error", "the definition") ?? false)
        do { try validate() } catch .invalidInput(let part, let reason) { throw fail("\(part): \(reason)") }
    }

    /// The field delimiter as one byte: `,` unless the definition says (a tab for `tsv`).
    /// - Throws: `.invalidInput(field: "config")` for a delimiter that is not one ASCII character (the engine splits on bytes).
    public func delimiterByte() throws(QuiltOpsError) -> UInt8 {
        let text = delimiter ?? (format == "tsv" ? "\t" : ",")
        guard text.utf8.count == 1, let byte = text.utf8.first, byte < 0x80, byte != UInt8(ascii: "\""), byte != 0x0A, byte != 0x0D else {
            throw .invalidInput(field: "config", reason: "parser.delimiter '\(text)' must be one ASCII character other than a quote or line break.")
        }
        return byte
    }
}
