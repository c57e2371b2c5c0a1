import QuiltContract
import QuiltJSON

/// The formats the embedded engine reads as tables, and those it recognises but cannot read, by logical key.
enum TabularFormat: String, Sendable {
    case csv, tsv, jsonl

    /// What a logical key holds, as far as the engine is concerned.
    enum Kind: Equatable {
        /// A table the engine reads.
        case table(TabularFormat)
        /// Tabular data in a format the engine cannot read (`Parquet`, `gzip-compressed CSV`, …): refused by name.
        case unreadable(String)
        /// Not tabular.
        case other
    }

    static func kind(of logicalKey: String) -> Kind {
        let name = logicalKey.lowercased()
        if name.hasSuffix(".csv") { return .table(.csv) }
        if name.hasSuffix(".tsv") || name.hasSuffix(".tab") { return .table(.tsv) }
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") { return .table(.jsonl) }
        let unreadable: [(String, String)] = [
            (".parquet", "Parquet"), (".pq", "Parquet"), (".csv.gz", "gzip-compressed CSV"), (".tsv.gz", "gzip-compressed TSV"),
            (".jsonl.gz", "gzip-compressed JSON lines"), (".xlsx", "Excel"), (".xls", "Excel"), (".feather", "Arrow/Feather"),
            (".arrow", "Arrow"), (".orc", "ORC"), (".avro", "Avro"), (".h5ad", "AnnData (HDF5)"), (".h5", "HDF5"),
        ]
        if let match = unreadable.first(where: { name.hasSuffix($0.0) }) { return .unreadable(match.1) }
        return .other
    }
}

/// A file read into named columns with inferred types, ready to load: ``write`` binds its rows to an insert one at
/// a time, from the file's own bytes, so a large file is never held parsed beside them.
struct TabularData {
    var columns: [(name: String, type: String)]
    var rowCount: Int
    /// Calls `insert` once per row, in order, with a function that binds the row's values.
    var write: (_ insert: (_ bind: (RowBinder) -> Void) throws(QuiltOpsError) -> Void) throws(QuiltOpsError) -> Void
}

/// Reads CSV, TSV and JSON-lines bytes into ``TabularData``.
///
/// - CSV and TSV (RFC 4180): the first record is the header; fields may be quoted with `"` (a doubled `""` inside is
///   one quote; quoted fields may hold the delimiter and line breaks); CR LF, LF and CR end records; a UTF-8
///   byte-order mark is skipped. An empty header becomes `column_N`, a repeated one `name.1` (as pandas names them).
///   An empty unquoted field is NULL; `""` is the empty string. A record with fewer fields than the header is padded
///   with NULLs; one with more is refused with its line number.
/// - JSON lines: one object per line (blank lines skipped); the columns are every key in the order first seen;
///   strings, numbers, booleans (1/0) and null are stored as such, arrays and objects as their JSON text.
/// - Types: a column whose values are all integers (no leading zeros, so `007` stays text) is INTEGER, all numbers
///   REAL, anything else TEXT.
///
/// CSV and TSV are scanned twice: once to name and type the columns (nothing kept but the types), once to insert.
enum TabularReader {
    static func read(_ bytes: [UInt8], format: TabularFormat, logicalKey: String) throws(QuiltOpsError) -> TabularData {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw .invalidInput(field: "tables", reason: "\(logicalKey) is not UTF-8 text, so it cannot be read as \(format.rawValue).")
        }
        switch format {
        case .csv: return try delimited(bytes, delimiter: UInt8(ascii: ","), logicalKey: logicalKey)
        case .tsv: return try delimited(bytes, delimiter: UInt8(ascii: "\t"), logicalKey: logicalKey)
        case .jsonl: return try jsonLines(bytes, logicalKey: logicalKey)
        }
    }

    // MARK: - CSV and TSV

    static func delimited(_ bytes: [UInt8], delimiter: UInt8, logicalKey: String) throws(QuiltOpsError) -> TabularData {
        var header: [String]?
        var inference: [ColumnType] = []
        var count = 0
        // First scan: name and type the columns, keeping nothing else; fields are looked at in place.
        try bytes.withUnsafeBufferPointer { (input) throws(QuiltOpsError) in
            try DelimitedScanner.scanFields(input, delimiter: delimiter, logicalKey: logicalKey) { (record) throws(QuiltOpsError) in
                guard let names = header else {
                    header = columnNames(record.strings.map { $0 ?? "" })
                    inference = [ColumnType](repeating: .empty, count: header?.count ?? 0)
                    return
                }
                count += 1
                guard record.count <= names.count else {
                    throw .invalidInput(
                        field: "tables",
                        reason: "\(logicalKey) record \(count + 1) has \(record.count) fields but the header has \(names.count).")
                }
                for i in 0..<record.count { inference[i].observe(bytes: record.bytes(i)) }
            }
        }
        guard let names = header else {
            return TabularData(columns: [("column_1", "TEXT")], rowCount: 0, write: { _ throws(QuiltOpsError) in })
        }
        let types = inference
        return TabularData(columns: zip(names, types).map { ($0, $1.declared) }, rowCount: count) { (insert) throws(QuiltOpsError) in
            // Second scan: each field bound from its bytes (text without a copy).
            try bytes.withUnsafeBufferPointer { (input) throws(QuiltOpsError) in
                var first = true
                try DelimitedScanner.scanFields(input, delimiter: delimiter, logicalKey: logicalKey) { (record) throws(QuiltOpsError) in
                    if first { first = false; return }
                    try insert { binder in
                        for i in 0..<names.count {
                            types[i].bind(i < record.count ? record.bytes(i) : nil, binder, Int32(i))
                        }
                    }
                }
            }
        }
    }

    /// Header names made usable: empty → `column_N`, repeats → `name.1`, `name.2`.
    static func columnNames(_ raw: [String]) -> [String] {
        var seen: [String: Int] = [:]
        var used = Set<String>()
        return raw.enumerated().map { i, name in
            var candidate = name.isEmpty ? "column_\(i + 1)" : name
            let base = candidate
            while used.contains(candidate) {
                let n = (seen[base] ?? 0) + 1
                seen[base] = n
                candidate = "\(base).\(n)"
            }
            used.insert(candidate)
            return candidate
        }
    }

    // MARK: - JSON lines

    /// Calls `each` with every line's object and its line number (1-based; blank lines skipped).
    /// - Throws: `.invalidInput(field:)` naming the line that is not JSON, or not an object.
    static func eachObject(
        _ bytes: [UInt8], field: String, where name: String, _ each: (JSONObject, Int) throws(QuiltOpsError) -> Void
    ) throws(QuiltOpsError) {
        var number = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { continue }
            let value: JSONValue
            do {
                value = try line.withUnsafeBytes { buffer throws(JSONParseError) in try JSONParser.parse(buffer) }
            } catch {
                throw .invalidInput(field: field, reason: "\(name) line \(number) is not JSON: \(error).")
            }
            guard case .object(let object) = value else {
                throw .invalidInput(field: field, reason: "\(name) line \(number) is not a JSON object.")
            }
            try each(object, number)
        }
    }

    static func jsonLines(_ bytes: [UInt8], logicalKey: String) throws(QuiltOpsError) -> TabularData {
        var names: [String] = []
        var position: [String: Int] = [:]
        var objects: [JSONObject] = []
        try eachObject(bytes, field: "tables", where: logicalKey) { (object, _) throws(QuiltOpsError) in
            for key in object.keys where position[key] == nil {
                position[key] = names.count
                names.append(key)
            }
            objects.append(object)
        }
        var inference = [ColumnType](repeating: .empty, count: names.count)
        var cells: [[JSONValue?]] = objects.map { object in
            var row = [JSONValue?](repeating: nil, count: names.count)
            for (key, value) in object { if let i = position[key] { row[i] = value } }
            return row
        }
        for row in cells {
            for (i, value) in row.enumerated() { inference[i].observe(value) }
        }
        let types = inference
        let rows = cells
        cells = []
        return TabularData(columns: zip(columnNames(names), types).map { ($0, $1.declared) }, rowCount: rows.count) { (insert) throws(QuiltOpsError) in
            for cellsOfRow in rows {
                try insert { binder in
                    for i in 0..<names.count { binder.bind(types[i].value(cellsOfRow[i]), Int32(i)) }
                }
            }
        }
    }
}

/// What a column's values have been so far: nothing, integers, numbers, or text.
enum ColumnType {
    case empty, integer, real, text

    var declared: String {
        switch self {
        case .integer: return "INTEGER"
        case .real: return "REAL"
        case .empty, .text: return "TEXT"
        }
    }

    /// Widens the column's type for one more field (nil: NULL, which fits any): integers (no leading zeros, so `007`
    /// stays text), then decimals, then text.
    mutating func observe(bytes field: UnsafeBufferPointer<UInt8>?) {
        guard let field, self != .text else { return }
        if Self.integer(bytes: field) != nil {
            if self == .empty { self = .integer }
        } else if Self.isReal(bytes: field) {
            self = .real
        } else {
            self = .text
        }
    }

    /// Binds a field's bytes as this column's value: NULL, an integer, a real, or the text itself (uncopied).
    func bind(_ field: UnsafeBufferPointer<UInt8>?, _ binder: RowBinder, _ column: Int32) {
        guard let field else { return binder.null(column) }
        switch self {
        case .integer:
            if let v = Self.integer(bytes: field) { return binder.integer(column, v) }
        case .real:
            if Self.isReal(bytes: field) { return binder.real(column, Self.double(bytes: field)) }
        case .empty, .text:
            break
        }
        binder.text(column, field)
    }

    /// The value of decimal text `isReal(bytes:)` accepted. Plain decimals of up to 15 digits are computed exactly
    /// (an integer that a double holds exactly, divided by a power of ten it holds exactly, rounds correctly);
    /// anything else is read by the standard library.
    static func double(bytes b: UnsafeBufferPointer<UInt8>) -> Double {
        var i = 0
        var negative = false
        if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
            negative = b[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var fraction = 0
        var point = false
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: ".") {
                point = true
            } else if c >= 0x30, c <= 0x39 {
                mantissa = mantissa &* 10 &+ UInt64(c &- 0x30)
                digits += 1
                if point { fraction += 1 }
            } else {
                break
            }
            i += 1
        }
        guard i == b.count, digits <= 15, fraction <= 22 else {
            return Double(String(decoding: b, as: UTF8.self)) ?? .nan
        }
        let value = Double(mantissa) / Self.powersOfTen[fraction]
        return negative ? -value : value
    }

    private static let powersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { x, _ in x * 10 } }

    mutating func observe(_ value: JSONValue?) {
        guard let value, self != .text else { return }
        switch value {
        case .null: return
        case .number(let n): if n.int64Value != nil, n.isInteger { if self == .empty { self = .integer } } else { self = .real }
        case .bool: if self == .empty { self = .integer }
        default: self = .text
        }
    }

    func value(_ cell: JSONValue?) -> SQLValue {
        guard let cell else { return .null }
        switch cell {
        case .null: return .null
        // In a TEXT column (mixed values) numbers and booleans keep their JSON spelling: 3 stays "3", not "3.0".
        case .bool(let b): return self == .text ? .text(b ? "true" : "false") : .integer(b ? 1 : 0)
        case .number(let n):
            if self == .text { return .text(JSONWriter.compact(cell)) }
            if self == .integer, let i = n.int64Value { return .integer(i) }
            return .real(n.doubleValue)
        case .string(let s): return .text(s)
        default: return .text(JSONWriter.compact(cell))
        }
    }

    /// An integer written plainly: optional sign, digits, no leading zero (but `0` itself), within Int64.
    static func integer(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { integer(bytes: $0) }
    }

    static func integer(bytes b: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        var negative = false
        if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
            negative = b[i] == UInt8(ascii: "-")
            i += 1
        }
        guard i < b.count, b[i] != UInt8(ascii: "0") || b.count - i == 1 else { return nil }
        var value: Int64 = 0
        while i < b.count {
            let digit = b[i] &- 0x30
            guard digit < 10 else { return nil }
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? times.subtractingReportingOverflow(Int64(digit)) : times.addingReportingOverflow(Int64(digit))
            guard !o1, !o2 else { return nil }
            value = next
            i += 1
        }
        return value
    }

    /// A decimal number: sign, digits with at most one point, optional exponent; no leading zero before other digits.
    static func real(_ text: String) -> Double? {
        var text = text
        let shaped = text.withUTF8 { isReal(bytes: $0) }
        return shaped ? Double(text) : nil
    }

    static func isReal(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        func digit(_ j: Int) -> Bool { bytes[j] >= 0x30 && bytes[j] <= 0x39 }
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
        let intStart = i
        while i < bytes.count, digit(i) { i += 1 }
        let intDigits = i - intStart
        if intDigits > 1, bytes[intStart] == 0x30 { return false }
        var fracDigits = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < bytes.count, digit(i) { i += 1; fracDigits += 1 }
        }
        guard intDigits + fracDigits > 0 else { return false }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
            let expStart = i
            while i < bytes.count, digit(i) { i += 1 }
            guard i > expStart else { return false }
        }
        return i == bytes.count
    }
}

/// One field of a ``DelimitedRecord``: where its bytes are (the input, or the record's scratch for a field that had
/// to be unescaped), or NULL for an empty unquoted field.
struct FieldSpan {
    var start: Int
    var end: Int
    var inScratch: Bool
    var isNull: Bool
}

/// One record as its fields' bytes, valid only inside the scanner's callback: nothing is copied for a field that
/// needs no unescaping.
struct DelimitedRecord {
    let input: UnsafeBufferPointer<UInt8>
    let scratch: UnsafeBufferPointer<UInt8>
    let spans: [FieldSpan]

    var count: Int { spans.count }

    /// The bytes of field `i`, or nil for NULL.
    func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8>? {
        let span = spans[i]
        if span.isNull { return nil }
        return UnsafeBufferPointer(rebasing: (span.inScratch ? scratch : input)[span.start..<span.end])
    }

    func string(_ i: Int) -> String? { bytes(i).map { String(decoding: $0, as: UTF8.self) } }

    var strings: [String?] { (0..<count).map(string) }
}

/// RFC 4180 records from bytes, one at a time; nil marks an empty unquoted field.
enum DelimitedScanner {
    /// Calls `each` with every record (blank lines skipped) as strings, in order.
    static func scan(
        _ input: [UInt8], delimiter: UInt8, logicalKey: String, _ each: ([String?]) throws(QuiltOpsError) -> Void
    ) throws(QuiltOpsError) {
        try input.withUnsafeBufferPointer { (bytes) throws(QuiltOpsError) in
            try scanFields(bytes, delimiter: delimiter, logicalKey: logicalKey) { (record) throws(QuiltOpsError) in try each(record.strings) }
        }
    }

    /// Calls `each` with every record (blank lines skipped), in order, as spans of `input`: a field is copied only when
    /// it must be unescaped (a quoted field with doubled quotes, or text after its closing quote).
    static func scanFields(
        _ input: UnsafeBufferPointer<UInt8>, delimiter: UInt8, logicalKey: String, _ each: (DelimitedRecord) throws(QuiltOpsError) -> Void
    ) throws(QuiltOpsError) {
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let count = input.count
        var i = count >= 3 && input[0] == 0xEF && input[1] == 0xBB && input[2] == 0xBF ? 3 : 0
        var spans: [FieldSpan] = []
        var scratch: [UInt8] = []
        var line = 1
        func emit() throws(QuiltOpsError) {
            if !(spans.count == 1 && spans[0].isNull) {
                try scratch.withUnsafeBufferPointer { (s) throws(QuiltOpsError) in
                    try each(DelimitedRecord(input: input, scratch: s, spans: spans))
                }
            }
            spans.removeAll(keepingCapacity: true)
            scratch.removeAll(keepingCapacity: true)
        }
        while i < count {
            // One field, then what ends it.
            if input[i] == quote {
                let openedOn = line
                i += 1
                let start = i
                var doubled = false
                while true {
                    guard i < count else {
                        throw .invalidInput(field: "tables", reason: "\(logicalKey) has a quoted field opened on line \(openedOn) that never closes.")
                    }
                    let c = input[i]
                    if c == quote {
                        if i + 1 < count, input[i + 1] == quote {
                            doubled = true
                            i += 2
                            continue
                        }
                        break
                    }
                    if c == lf { line += 1 }
                    i += 1
                }
                let end = i
                i += 1
                // Anything after the closing quote up to the delimiter belongs to the field, as before.
                let tail = i
                while i < count, input[i] != delimiter, input[i] != lf, input[i] != cr { i += 1 }
                if doubled || i > tail {
                    let from = scratch.count
                    var j = start
                    while j < end {
                        scratch.append(input[j])
                        j += doubled && input[j] == quote ? 2 : 1
                    }
                    scratch.append(contentsOf: UnsafeBufferPointer(rebasing: input[tail..<i]))
                    spans.append(FieldSpan(start: from, end: scratch.count, inScratch: true, isNull: false))
                } else {
                    spans.append(FieldSpan(start: start, end: end, inScratch: false, isNull: false))
                }
            } else {
                let start = i
                while i < count, input[i] != delimiter, input[i] != lf, input[i] != cr { i += 1 }
                spans.append(FieldSpan(start: start, end: i, inScratch: false, isNull: i == start))
            }
            guard i < count else { break }
            let c = input[i]
            if c == delimiter {
                i += 1
                // A delimiter at the very end leaves one more, empty, field.
                if i == count { spans.append(FieldSpan(start: i, end: i, inScratch: false, isNull: true)) }
                continue
            }
            // A line break ends the record. Blank lines are no records.
            try emit()
            i += (c == cr && i + 1 < count && input[i + 1] == lf) ? 2 : 1
            line += 1
        }
        if !spans.isEmpty { try emit() }
    }
}
