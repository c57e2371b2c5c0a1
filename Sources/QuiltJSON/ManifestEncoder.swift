/// Why a value cannot be encoded.
public struct JSONEncodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong, e.g. `Out of range float values are not JSON compliant: nan`.
    public var message: String

    /// Creates an error with `message`.
    public init(message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}

/// The encoding quilt3 writes manifest lines with: Python
/// `json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode(value)`.
///
/// - Separators are `", "` between items and `": "` between key and value; objects keep insertion
///   order; `[]` and `{}` for empty containers.
/// - Strings escape only `"`, `\` and U+0000–U+001F (`\n` `\r` `\t` `\b` `\f` as two characters,
///   the rest as lowercase `\u00xx`); everything else, including DEL and U+2028, is raw UTF-8.
/// - Integers are written exactly; doubles as ``PythonFloat/repr(_:)``.
public enum ManifestJSON: Sendable {
    /// Returns the manifest bytes of `value`.
    /// - Throws: ``JSONEncodingError`` if `value` contains a NaN or infinite double (Python raises
    ///   `ValueError` there).
    public static func encode(_ value: JSONValue) throws(JSONEncodingError) -> [UInt8] {
        var out: [UInt8] = []
        try append(value, to: &out)
        return out
    }

    /// Appends the manifest bytes of `value` to `out`.
    /// - Throws: ``JSONEncodingError`` if `value` contains a NaN or infinite double; `out` is then
    ///   left unchanged.
    public static func append(_ value: JSONValue, to out: inout [UInt8]) throws(JSONEncodingError) {
        let failure: JSONEncodingError? = ByteWriter.withWriter { writer in
            do throws(JSONEncodingError) {
                try write(value, to: &writer)
            } catch {
                return error
            }
            out.append(contentsOf: writer.bytes)
            return nil
        }
        if let failure { throw failure }
    }

    static func write(_ value: JSONValue, to out: inout ByteWriter) throws(JSONEncodingError) {
        switch value {
        case .null:
            out.append("null")
        case .bool(let b):
            if b { out.append("true") } else { out.append("false") }
        case .number(let number):
            if out.appendIfInteger(number) { return }
            let d = number.doubleValue
            guard d.isFinite else {
                throw JSONEncodingError(message: "Out of range float values are not JSON compliant: \(PythonFloat.repr(d))")
            }
            PythonFloat.append(d, to: &out)
        case .string(let s):
            out.appendRawString(s)
        case .array(let array):
            try writeArray(array, to: &out)
        case .object(let object):
            try writeObject(object, to: &out)
        }
    }

    // Containers are separate, non-inlined functions: a self-recursive `write` makes the compiler
    // retain and release every element it visits.
    @inline(never)
    static func writeArray(_ array: [JSONValue], to out: inout ByteWriter) throws(JSONEncodingError) {
        out.append(UInt8(ascii: "["))
        for i in array.indices {
            if i > 0 { out.append(", ") }
            try write(array[i], to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    @inline(never)
    static func writeObject(_ object: JSONObject, to out: inout ByteWriter) throws(JSONEncodingError) {
        out.append(UInt8(ascii: "{"))
        let members = object.entries
        for i in members.indices {
            if i > 0 { out.append(", ") }
            out.appendRawString(members[i].key)
            out.append(": ")
            try write(members[i].value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }
}
