import QuiltContract
import QuiltJSON

/// A small table for a chart: named columns and rows of JSON scalars, from any of the forms the Python server's
/// `create_data_visualization` takes (an object of columns, a list of row objects, CSV text).
struct ChartData: Sendable, Equatable {
    var columns: [String]
    var rows: [[JSONValue]]

    /// The most rows a chart embeds; a larger table is refused with the advice to aggregate it first.
    static let maxRows = 50_000

    /// - Throws: `invalidInput(field: "data")` naming what is wrong with the shape.
    init(json: JSONValue) throws(QuiltOpsError) {
        switch json {
        case .object(let object):
            columns = object.keys
            var length: Int?
            var cells: [[JSONValue]] = []
            for name in columns {
                guard let values = object[name]?.arrayValue else {
                    throw .invalidInput(field: "data", reason: "column '\(name)' is not a list; give {\"column\": [values…], …}.")
                }
                if let length, values.count != length {
                    throw .invalidInput(field: "data", reason: "column '\(name)' has \(values.count) values, others \(length); columns must be equally long.")
                }
                length = values.count
                cells.append(values)
            }
            rows = (0..<(length ?? 0)).map { i in cells.map { $0[i] } }
        case .array(let items):
            var names: [String] = []
            var seen = Set<String>()
            for item in items {
                guard let object = item.objectValue else {
                    throw .invalidInput(field: "data", reason: "a list of rows must hold objects ({\"column\": value}).")
                }
                for key in object.keys where seen.insert(key).inserted { names.append(key) }
            }
            columns = names
            rows = items.map { item in names.map { item[$0] ?? .null } }
        case .string(let text):
            self = try ChartData(csv: text)
            return
        default:
            throw .invalidInput(field: "data", reason: "give an object of columns, a list of row objects, CSV text or an object URL.")
        }
        try checkSize()
    }

    /// CSV with a header row; numbers become numbers, empty cells null.
    init(csv text: String) throws(QuiltOpsError) {
        var lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
        while lines.last?.allSatisfy(\.isWhitespace) == true { lines.removeLast() }
        guard let header = lines.first else { throw .invalidInput(field: "data", reason: "the CSV is empty; it needs a header row.") }
        columns = Self.fields(header)
        rows = []
        for (n, line) in lines.dropFirst().enumerated() {
            let fields = Self.fields(line)
            guard fields.count == columns.count else {
                throw .invalidInput(field: "data", reason: "CSV line \(n + 2) has \(fields.count) fields; the header has \(columns.count).")
            }
            rows.append(fields.map(Self.scalar))
        }
        try checkSize()
    }

    private func checkSize() throws(QuiltOpsError) {
        guard !columns.isEmpty, !rows.isEmpty else { throw .invalidInput(field: "data", reason: "has no rows to chart.") }
        guard rows.count <= Self.maxRows else {
            throw .invalidInput(field: "data", reason: "has \(rows.count) rows; a chart embeds at most \(Self.maxRows): aggregate first (package_query).")
        }
    }

    /// One CSV line's fields (double quotes, `""` inside them).
    static func fields(_ line: String) -> [String] {
        var out: [String] = []
        var field = ""
        var quoted = false
        var chars = line.makeIterator()
        while let c = chars.next() {
            if quoted {
                if c == "\"" {
                    if let n = chars.next() {
                        if n == "\"" { field.append("\"") } else { quoted = false; if n == "," { out.append(field); field = "" } else { field.append(n) } }
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == "\"" && field.isEmpty {
                quoted = true
            } else if c == "," {
                out.append(field)
                field = ""
            } else {
                field.append(c)
            }
        }
        out.append(field)
        return out
    }

    static func scalar(_ text: String) -> JSONValue {
        let t = text.trimmingWhitespace()
        if t.isEmpty { return .null }
        if let d = Double(t), d.isFinite, t.first.map({ $0.isNumber || $0 == "-" || $0 == "." }) == true {
            return .number(JSONNumber(d))
        }
        return .string(text)
    }

    /// The index of column `name`. - Throws: `invalidInput(field: field)` naming the columns there are.
    func column(_ name: String, field: String) throws(QuiltOpsError) -> Int {
        guard let i = columns.firstIndex(of: name) else {
            throw .invalidInput(field: field, reason: "'\(name)' is not a column; the data has \(columns.joined(separator: ", ")).")
        }
        return i
    }

    /// Whether every non-null value of column `i` is a number.
    func isNumeric(_ i: Int) -> Bool { rows.allSatisfy { $0[i] == .null || $0[i].doubleValue != nil } }

    /// The table as CSV (for the data file beside a chart).
    var csv: String {
        func cell(_ v: JSONValue) -> String {
            let s: String
            switch v {
            case .null: return ""
            case .string(let text): s = text
            default: s = JSONWriter.compact(v)
            }
            return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replacing("\"", with: "\"\"") + "\"" : s
        }
        return ([columns.map { cell(.string($0)) }] + rows.map { $0.map(cell) }).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}
