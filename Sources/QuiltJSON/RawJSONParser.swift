// The byte-level recursive-descent parser behind JSONParser: values, containers and errors.
// Strings and numbers are in the RawJSONParser+Strings/+Numbers files.

/// The recursive-descent parser over raw bytes. Every read of `bytes[i]` is guarded by `i < count`.
struct RawJSONParser: ~Copyable {
    let bytes: UnsafePointer<UInt8>
    let count: Int
    var pos = 0
    var depth = 0
    /// Elements of the arrays being parsed, innermost last; each array pops its own frame.
    var valueStack: ParseStack<JSONValue>
    /// Members of the objects being parsed, innermost last; each object pops its own frame.
    var memberStack: ParseStack<JSONMember>
    /// Decoded bytes of the string being unescaped (strings with backslashes only).
    var scratch: [UInt8] = []

    init(bytes: UnsafePointer<UInt8>, count: Int,
         values: UnsafeMutableBufferPointer<JSONValue>, members: UnsafeMutableBufferPointer<JSONMember>) {
        self.bytes = bytes
        self.count = count
        valueStack = ParseStack(initial: values)
        memberStack = ParseStack(initial: members)
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard pos == count else {
            throw fail("expected end of input after the JSON value, found \(found(at: pos))")
        }
        return value
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while pos < count {
            let b = bytes[pos]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            pos += 1
        }
    }

    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard pos < count else { throw fail("expected a JSON value, found end of input") }
        switch bytes[pos] {
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "{"):
            return try parseObject()
        case UInt8(ascii: "["):
            return try parseArray()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        default:
            throw fail("expected a JSON value (object, array, string, number, true, false or null), found \(found(at: pos))")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let n = literal.utf8CodeUnitCount
        let start = literal.utf8Start
        var i = 0
        while i < n {
            guard pos + i < count, bytes[pos + i] == start[i] else {
                throw fail("expected a JSON value; invalid literal (did you mean '\(literal)'?)")
            }
            i += 1
        }
        pos += n
    }

    @inline(__always)
    mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        if depth > JSONParser.maximumDepth {
            throw fail("nesting too deep: more than \(JSONParser.maximumDepth) nested arrays/objects")
        }
    }

    mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        pos += 1
        skipWhitespace()
        if pos < count, bytes[pos] == UInt8(ascii: "]") {
            pos += 1
            depth -= 1
            return .array([])
        }
        let frame = valueStack.count
        while true {
            let element = try parseValue()
            valueStack.push(element)
            skipWhitespace()
            guard pos < count else { throw fail("expected ',' or ']' after array element, found end of input") }
            let b = bytes[pos]
            if b == UInt8(ascii: ",") {
                pos += 1
                skipWhitespace()
            } else if b == UInt8(ascii: "]") {
                pos += 1
                break
            } else {
                throw fail("expected ',' or ']' after array element, found \(found(at: pos))")
            }
        }
        let array = valueStack.popArray(from: frame)
        depth -= 1
        return .array(array)
    }

    mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        pos += 1
        skipWhitespace()
        if pos < count, bytes[pos] == UInt8(ascii: "}") {
            pos += 1
            depth -= 1
            return .object(JSONObject())
        }
        let frame = memberStack.count
        while true {
            guard pos < count, bytes[pos] == UInt8(ascii: "\"") else {
                throw fail("expected '\"' to begin an object key, found \(found(at: pos))")
            }
            let key = try parseString()
            skipWhitespace()
            guard pos < count, bytes[pos] == UInt8(ascii: ":") else {
                throw fail("expected ':' after object key, found \(found(at: pos))")
            }
            pos += 1
            skipWhitespace()
            let value = try parseValue()
            memberStack.push(JSONMember(key: key, value: value))
            skipWhitespace()
            guard pos < count else { throw fail("expected ',' or '}' after object member, found end of input") }
            let b = bytes[pos]
            if b == UInt8(ascii: ",") {
                pos += 1
                skipWhitespace()
            } else if b == UInt8(ascii: "}") {
                pos += 1
                break
            } else {
                throw fail("expected ',' or '}' after object member, found \(found(at: pos))")
            }
        }
        let object = JSONObject.fromParsed(&memberStack, frame: frame)
        depth -= 1
        return .object(object)
    }

    // MARK: Errors

    /// An error at the current position.
    func fail(_ message: String) -> JSONParseError { JSONParseError(offset: pos, message: message) }

    /// An error at `offset`.
    func fail(_ message: String, at offset: Int) -> JSONParseError {
        JSONParseError(offset: offset, message: message)
    }

    /// Describes the byte at `offset` for an error message.
    func found(at offset: Int) -> String {
        guard offset < count else { return "end of input" }
        let b = bytes[offset]
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x\(hex2(b))"
    }
}

/// Two lowercase hex digits.
func hex2(_ b: UInt8) -> String {
    let digits = Array("0123456789abcdef".utf8)
    return String(decoding: [digits[Int(b >> 4)], digits[Int(b & 0xF)]], as: UTF8.self)
}
