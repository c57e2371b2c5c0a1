/// Standard JSON text for tool output and the command line (not for hashing: see
/// ``CanonicalJSON`` and ``ManifestJSON`` for the Python-compatible encodings).
///
/// Objects keep insertion order; strings are raw UTF-8 escaping only `"`, `\` and U+0000–U+001F
/// (`/` is not escaped); integers are exact and doubles use ``PythonFloat/repr(_:)``. JSON has no
/// NaN or infinity, so non-finite doubles are written as `null`.
public enum JSONWriter: Sendable {
    /// Compact JSON with separators `,` and `:` and no whitespace. Never fails.
    public static func compact(_ value: JSONValue) -> String {
        ByteWriter.withWriter { writer in
            write(value, indent: nil, to: &writer)
            return String(decoding: writer.bytes, as: UTF8.self)
        }
    }

    /// Indented JSON: two spaces per level, one member or element per line, `"key": value`, and
    /// empty containers written inline as `{}` and `[]`. No trailing newline. Never fails.
    public static func pretty(_ value: JSONValue) -> String {
        ByteWriter.withWriter { writer in
            write(value, indent: 0, to: &writer)
            return String(decoding: writer.bytes, as: UTF8.self)
        }
    }

    /// Appends `value`; `indent` is the current depth for pretty output, `nil` for compact.
    static func write(_ value: JSONValue, indent: Int?, to out: inout ByteWriter) {
        switch value {
        case .null:
            out.append("null")
        case .bool(let b):
            if b { out.append("true") } else { out.append("false") }
        case .number(let number):
            if out.appendIfInteger(number) { return }
            let d = number.doubleValue
            if d.isFinite { PythonFloat.append(d, to: &out) } else { out.append("null") }
        case .string(let s):
            out.appendRawString(s)
        case .array(let array):
            guard !array.isEmpty else {
                out.append("[]")
                return
            }
            out.append(UInt8(ascii: "["))
            for (i, element) in array.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent.map { $0 + 1 }, to: &out)
                write(element, indent: indent.map { $0 + 1 }, to: &out)
            }
            newline(indent, to: &out)
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            guard !object.isEmpty else {
                out.append("{}")
                return
            }
            out.append(UInt8(ascii: "{"))
            for (i, member) in object.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent.map { $0 + 1 }, to: &out)
                out.appendRawString(member.key)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(UInt8(ascii: " ")) }
                write(member.value, indent: indent.map { $0 + 1 }, to: &out)
            }
            newline(indent, to: &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// For pretty output, a newline and `2 × depth` spaces; nothing for compact output.
    private static func newline(_ depth: Int?, to out: inout ByteWriter) {
        guard let depth else { return }
        out.append(UInt8(ascii: "\n"))
        for _ in 0..<(2 * depth) { out.append(UInt8(ascii: " ")) }
    }
}
