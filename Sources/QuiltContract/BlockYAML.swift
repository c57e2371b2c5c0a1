public import QuiltJSON

/// Reads the YAML that configuration files like Tabulator's are written in, into a `JSONValue`, as PyYAML's
/// `safe_load` reads it (the tests compare the two on vectors PyYAML produced: `Fixtures/tabulator/yaml_vectors.py`).
///
/// What it reads: block mappings and sequences (a sequence may sit at its key's indentation), `- key: value` items,
/// comments, an optional leading `---`, plain, single- and double-quoted scalars (every escape YAML defines), and flow
/// collections (`[a, b]`, `{name: x, type: STRING}`) on one line. Plain scalars resolve as YAML 1.1 does: null (`~`,
/// `null`, empty), booleans (`true`/`yes`/`on` and their opposites, in three spellings), integers (decimal, `0x`, `0o`,
/// `0b`, octal `0…`, `_` separators) and floats.
///
/// What it refuses, with the line: anchors and aliases, tags, block scalars (`|`, `>`), complex keys (`?`),
/// directives, several documents, a plain scalar continued on the next line, a quoted scalar spanning lines, a key
/// given twice, and indentation that does not line up. A configuration needs none of them; a refusal names the line
/// and how to write it instead, where a subset parser that guessed would read a different value than the catalog.
public enum BlockYAML {
    /// - Throws: `.invalidInput(field:)` naming the line and what is wrong.
    public static func parse(_ text: String, field: String = "config") throws(QuiltOpsError) -> JSONValue {
        var parser = try Parser(text: text, field: field)
        return try parser.document()
    }

    struct Line {
        var indent: Int
        var content: Substring
        let number: Int
    }

    struct Parser {
        var lines: [Line]
        var i = 0
        let field: String

        init(text: String, field: String) throws(QuiltOpsError) {
            self.field = field
            var lines: [Line] = []
            var number = 0
            var text = Substring(text)
            if text.hasPrefix("\u{FEFF}") { text = text.dropFirst() }
            // "\r\n" is one Character: split on both.
            for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
                number += 1
                if line.contains("\t"), line.prefix(while: { $0 == " " || $0 == "\t" }).contains("\t") {
                    throw .invalidInput(field: field, reason: "line \(number) is indented with a tab; YAML indents with spaces.")
                }
                let indent = line.prefix(while: { $0 == " " }).count
                var content = Self.withoutComment(line.dropFirst(indent))
                while content.last == " " || content.last == "\t" { content = content.dropLast() }
                if content.isEmpty { continue }
                lines.append(Line(indent: indent, content: content, number: number))
            }
            if let first = lines.first, first.indent == 0, first.content == "---" || first.content.hasPrefix("--- ") {
                lines[0].content = first.content.dropFirst(3).drop { $0 == " " }
                if lines[0].content.isEmpty { lines.removeFirst() }
            }
            self.lines = lines
        }

        /// The line without a comment: `#` at its start or after a space, outside quotes.
        static func withoutComment(_ line: Substring) -> Substring {
            var quote: Character?
            var previous: Character = " "
            var index = line.startIndex
            while index < line.endIndex {
                let c = line[index]
                if let q = quote {
                    if q == "\"", c == "\\" {
                        index = line.index(after: index)
                        if index < line.endIndex { index = line.index(after: index) }
                        previous = "x"
                        continue
                    }
                    if c == q { quote = nil }
                } else if c == "#", previous == " " || previous == "\t" {
                    return line[..<index]
                } else if c == "\"" || c == "'", previous == " " || previous == "\t" || previous == "[" || previous == "{"
                    || previous == "," || previous == ":" || previous == "-" || index == line.startIndex {
                    quote = c
                }
                previous = c
                index = line.index(after: index)
            }
            return line
        }

        func fail(_ line: Line?, _ reason: String) -> QuiltOpsError {
            .invalidInput(field: field, reason: (line.map { "line \($0.number): " } ?? "") + reason)
        }

        mutating func document() throws(QuiltOpsError) -> JSONValue {
            guard let first = lines.first else { return .null }
            let value = try node(indent: first.indent)
            if i < lines.count {
                let line = lines[i]
                if Self.endsDocument(line) {
                    throw fail(line, "one YAML document only.")
                }
                throw fail(line, "this line does not line up with the ones before it (check its indentation).")
            }
            return value
        }

        /// The node starting at the current line, whose lines are indented `indent`.
        mutating func node(indent: Int) throws(QuiltOpsError) -> JSONValue {
            let line = lines[i]
            if line.content.first == "%" { throw fail(line, "YAML directives (%) are not read here.") }
            if line.content == "-" || line.content.hasPrefix("- ") { return try sequence(indent: line.indent) }
            if try Self.splitKey(line.content, self, line) != nil { return try mapping(indent: line.indent) }
            i += 1
            if i < lines.count, lines[i].indent > line.indent {
                throw fail(lines[i], "a plain value continued on another line is not read here; keep it on one line, or quote it.")
            }
            return try inline(line.content, line)
        }

        mutating func sequence(indent: Int) throws(QuiltOpsError) -> JSONValue {
            var items: [JSONValue] = []
            while i < lines.count, lines[i].indent == indent, lines[i].content == "-" || lines[i].content.hasPrefix("- ") {
                let line = lines[i]
                let rest = line.content.dropFirst().drop { $0 == " " }
                if rest.isEmpty {
                    i += 1
                    items.append(i < lines.count && lines[i].indent > indent ? try node(indent: lines[i].indent) : .null)
                } else {
                    // `- key: value` opens a mapping whose lines sit where `key` starts: read the rest as that line.
                    lines[i] = Line(indent: indent + (line.content.count - rest.count), content: rest, number: line.number)
                    items.append(try node(indent: lines[i].indent))
                }
            }
            if i < lines.count, lines[i].indent > indent { throw fail(lines[i], "this line is indented more than the list item before it.") }
            return .array(items)
        }

        mutating func mapping(indent: Int) throws(QuiltOpsError) -> JSONValue {
            var object = JSONObject()
            var seen = Set<String>()
            while i < lines.count, lines[i].indent == indent {
                let line = lines[i]
                guard let (key, rest) = try Self.splitKey(line.content, self, line) else {
                    if Self.endsDocument(line) { break }
                    if line.content == "-" || line.content.hasPrefix("- ") {
                        throw fail(line, "a list item where a key was expected (indent the list under its key).")
                    }
                    throw fail(line, "expected 'key: value'.")
                }
                guard seen.insert(key).inserted else { throw fail(line, "key '\(key)' appears twice.") }
                i += 1
                let value: JSONValue
                if !rest.isEmpty {
                    value = try inline(rest, line)
                    if i < lines.count, lines[i].indent > indent {
                        throw fail(lines[i], "a value continued on another line is not read here; keep '\(key)' on one line, or quote it.")
                    }
                } else if i < lines.count, lines[i].indent > indent {
                    value = try node(indent: lines[i].indent)
                } else if i < lines.count, lines[i].indent == indent, lines[i].content == "-" || lines[i].content.hasPrefix("- ") {
                    value = try sequence(indent: indent)
                } else {
                    value = .null
                }
                object[key] = value
            }
            if i < lines.count, lines[i].indent > indent { throw fail(lines[i], "this line is indented more than the key before it.") }
            return .object(object)
        }

        static func endsDocument(_ line: Line) -> Bool {
            line.indent == 0 && (line.content == "---" || line.content.hasPrefix("--- ") || line.content == "...")
        }

        /// `key: rest` split at the first `: ` (or a final `:`) outside quotes and brackets; nil when the line holds no key.
        static func splitKey(_ content: Substring, _ parser: Parser, _ line: Line) throws(QuiltOpsError) -> (String, Substring)? {
            if content.first == "?" { throw parser.fail(line, "complex keys (?) are not read here.") }
            if content.first == "\"" || content.first == "'" {
                var scanner = Scanner(text: content, parser: parser, line: line)
                let key = try scanner.quoted()
                let after = scanner.rest.drop { $0 == " " }
                guard after.first == ":" else { return nil }
                let rest = after.dropFirst()
                guard rest.isEmpty || rest.first == " " else { return nil }
                return (key, rest.drop { $0 == " " })
            }
            if content.first == "[" || content.first == "{" { return nil }
            var index = content.startIndex
            while index < content.endIndex {
                if content[index] == ":" {
                    let next = content.index(after: index)
                    if next == content.endIndex || content[next] == " " {
                        var key = content[..<index]
                        while key.last == " " { key = key.dropLast() }
                        return (String(key), content[next...].drop { $0 == " " })
                    }
                }
                index = content.index(after: index)
            }
            return nil
        }

        /// A value written on its key's (or item's) line: a quoted or plain scalar, or a one-line flow collection.
        func inline(_ text: Substring, _ line: Line) throws(QuiltOpsError) -> JSONValue {
            var scanner = Scanner(text: text, parser: self, line: line)
            let value = try scanner.value(flow: false)
            scanner.skipSpaces()
            guard scanner.rest.isEmpty else { throw fail(line, "unexpected '\(scanner.rest)' after the value.") }
            return value
        }
    }

    /// Reads scalars and flow collections from one line.
    struct Scanner {
        var rest: Substring
        let parser: Parser
        let line: Line

        init(text: Substring, parser: Parser, line: Line) {
            rest = text
            self.parser = parser
            self.line = line
        }

        mutating func skipSpaces() { rest = rest.drop { $0 == " " } }

        mutating func value(flow: Bool) throws(QuiltOpsError) -> JSONValue {
            skipSpaces()
            guard let c = rest.first else { return .null }
            switch c {
            case "\"", "'": return .string(try quoted())
            case "[": return try flowSequence()
            case "{": return try flowMapping()
            case "&", "*": throw parser.fail(line, "anchors and aliases (& and *) are not read here; write the value out.")
            case "!": throw parser.fail(line, "tags (!) are not read here; write the value plainly.")
            case "|", ">": throw parser.fail(line, "block scalars (| and >) are not read here; write the value on one line, quoted.")
            case "@", "`": throw parser.fail(line, "a plain value cannot start with '\(c)'; quote it.")
            default:
                let text = plain(flow: flow)
                if !flow, text.contains(": ") || text.hasSuffix(":") {
                    throw parser.fail(line, "'\(text)' reads as a key inside a value; quote the value.")
                }
                return BlockYAML.resolve(text)
            }
        }

        /// A plain scalar: to the end of the line, or in a flow collection to `,`, `]`, `}` or `: `.
        mutating func plain(flow: Bool) -> String {
            guard flow else {
                defer { rest = rest[rest.endIndex...] }
                return String(rest)
            }
            var index = rest.startIndex
            while index < rest.endIndex {
                let c = rest[index]
                if c == "," || c == "]" || c == "}" { break }
                if c == ":" {
                    let next = rest.index(after: index)
                    if next == rest.endIndex || rest[next] == " " || rest[next] == "," || rest[next] == "]" || rest[next] == "}" { break }
                }
                index = rest.index(after: index)
            }
            var text = rest[..<index]
            rest = rest[index...]
            while text.last == " " { text = text.dropLast() }
            return String(text)
        }

        mutating func quoted() throws(QuiltOpsError) -> String {
            guard let q = rest.first else { return "" }
            rest = rest.dropFirst()
            var out = ""
            while let c = rest.first {
                rest = rest.dropFirst()
                if c == q {
                    if q == "'", rest.first == "'" {
                        rest = rest.dropFirst()
                        out.append("'")
                        continue
                    }
                    return out
                }
                if q == "\"", c == "\\" { out.unicodeScalars.append(contentsOf: try escape()) } else { out.append(c) }
            }
            throw parser.fail(line, "a quoted value must end on its line (this one never closes its \(q)).")
        }

        /// The scalar a double-quoted escape stands for (after the backslash).
        mutating func escape() throws(QuiltOpsError) -> [Unicode.Scalar] {
            guard let c = rest.first else { throw parser.fail(line, "a backslash ends the line inside a quoted value.") }
            rest = rest.dropFirst()
            let simple: [Character: UInt32] = [
                "0": 0, "a": 7, "b": 8, "t": 9, "\t": 9, "n": 10, "v": 11, "f": 12, "r": 13, "e": 27, " ": 32, "\"": 34, "/": 47,
                "\\": 92, "N": 0x85, "_": 0xA0, "L": 0x2028, "P": 0x2029,
            ]
            if let v = simple[c], let s = Unicode.Scalar(v) { return [s] }
            let digits: Int
            switch c {
            case "x": digits = 2
            case "u": digits = 4
            case "U": digits = 8
            default: throw parser.fail(line, "'\\\(c)' is no escape YAML knows (write \\\\ for a backslash inside double quotes).")
            }
            let hex = rest.prefix(digits)
            guard hex.count == digits, let v = UInt32(hex, radix: 16), let s = Unicode.Scalar(v) else {
                throw parser.fail(line, "'\\\(c)\(hex)' needs \(digits) hexadecimal digits of a valid character.")
            }
            rest = rest.dropFirst(digits)
            return [s]
        }

        mutating func flowSequence() throws(QuiltOpsError) -> JSONValue {
            rest = rest.dropFirst()
            var items: [JSONValue] = []
            while true {
                skipSpaces()
                if rest.first == "]" { rest = rest.dropFirst(); return .array(items) }
                items.append(try value(flow: true))
                skipSpaces()
                if rest.first == "," { rest = rest.dropFirst(); continue }
                if rest.first == "]" { rest = rest.dropFirst(); return .array(items) }
                throw parser.fail(line, "a [list] must close on its line, with ',' between items.")
            }
        }

        mutating func flowMapping() throws(QuiltOpsError) -> JSONValue {
            rest = rest.dropFirst()
            var object = JSONObject()
            var seen = Set<String>()
            while true {
                skipSpaces()
                if rest.first == "}" { rest = rest.dropFirst(); return .object(object) }
                let key: String
                if rest.first == "\"" || rest.first == "'" { key = try quoted() } else { key = plain(flow: true) }
                skipSpaces()
                var value = JSONValue.null
                if rest.first == ":" {
                    rest = rest.dropFirst()
                    value = try self.value(flow: true)
                }
                guard seen.insert(key).inserted else { throw parser.fail(line, "key '\(key)' appears twice.") }
                object[key] = value
                skipSpaces()
                if rest.first == "," { rest = rest.dropFirst(); continue }
                if rest.first == "}" { rest = rest.dropFirst(); return .object(object) }
                throw parser.fail(line, "a {mapping} must close on its line, with ',' between pairs.")
            }
        }
    }

    // MARK: - Plain scalars (YAML 1.1, as PyYAML resolves them)

    static func resolve(_ text: String) -> JSONValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON": return .bool(true)
        case "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF": return .bool(false)
        default: break
        }
        if let n = integer(text) { return .number(n) }
        if let d = float(text) { return .number(JSONNumber(d)) }
        return .string(text)
    }

    static func integer(_ text: String) -> JSONNumber? {
        var body = Substring(text)
        var negative = false
        if let sign = body.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        guard let first = body.first, first.isASCII, first.isNumber else { return nil }
        let radix: Int
        var digits: Substring
        if body.hasPrefix("0x") { radix = 16; digits = body.dropFirst(2) }
        else if body.hasPrefix("0b") { radix = 2; digits = body.dropFirst(2) }
        else if body.hasPrefix("0o") { radix = 8; digits = body.dropFirst(2) }
        else if body.count > 1, body.first == "0" { radix = 8; digits = body.dropFirst() }
        else { radix = 10; digits = body }
        guard !digits.isEmpty, digits.allSatisfy({ $0 == "_" || $0.isHexDigit }) else { return nil }
        let clean = digits.filter { $0 != "_" }
        guard !clean.isEmpty, let magnitude = Int64(clean, radix: radix) else { return nil }
        return JSONNumber(negative ? -magnitude : magnitude)
    }

    /// `[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?` — PyYAML's float, finite ones only.
    static func float(_ text: String) -> Double? {
        var body = Substring(text)
        if let sign = body.first, sign == "-" || sign == "+" { body = body.dropFirst() }
        let whole = body.prefix { $0.isASCII && ($0.isNumber || $0 == "_") }
        if whole.first == "_" { return nil }
        body = body.dropFirst(whole.count)
        guard body.first == "." else { return nil }
        body = body.dropFirst()
        let fraction = body.prefix { $0.isASCII && ($0.isNumber || $0 == "_") }
        body = body.dropFirst(fraction.count)
        guard !(whole.isEmpty && fraction.filter({ $0 != "_" }).isEmpty) else { return nil }
        if let e = body.first, e == "e" || e == "E" {
            body = body.dropFirst()
            guard let sign = body.first, sign == "-" || sign == "+" else { return nil }
            body = body.dropFirst()
            guard !body.isEmpty, body.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        } else if !body.isEmpty {
            return nil
        }
        let value = Double(text.filter { $0 != "_" })
        return value.flatMap { $0.isFinite ? $0 : nil }
    }
}
