/// A strict RFC 8259 JSON parser that produces ``JSONValue``s exactly as Python's `json.loads` would
/// read them.
///
/// - Numbers with `.`, `e` or `E` become doubles (correctly rounded; out-of-range magnitudes become
///   ±infinity or ±0, as in Python); all other numbers become exact integers of any size.
/// - Object members keep document order; a repeated key keeps its first position and its last value.
/// - Strings must be valid UTF-8 with control characters escaped. `\uXXXX` surrogate pairs are
///   combined. **Deviation from Python:** a lone (unpaired) surrogate escape such as `\ud800` is
///   accepted but becomes U+FFFD, because a Swift `String` cannot hold an unpaired surrogate.
/// - Rejected: trailing commas, single quotes, comments, leading zeros (`01`), `NaN`/`Infinity`
///   literals, unescaped control characters, invalid escapes, invalid UTF-8, anything but
///   whitespace after the top-level value, and nesting deeper than ``maximumDepth``.
///
/// Every entry point funnels into ``parse(_:)-(UnsafeRawBufferPointer)``, a byte-level
/// recursive-descent parser that creates each string once, straight from the input bytes.
public enum JSONParser: Sendable {
    /// The deepest nesting of arrays and objects accepted; deeper input throws
    /// ``JSONParseError`` instead of exhausting the stack.
    public static let maximumDepth = 512

    /// Parses one complete JSON document from UTF-8 `buffer`.
    ///
    /// Leading and trailing JSON whitespace (space, tab, LF, CR) is allowed; anything else after the
    /// value is an error.
    /// - Throws: ``JSONParseError`` with the byte offset of the first invalid byte and what was
    ///   expected there.
    public static func parse(_ buffer: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
        guard let base = buffer.baseAddress, buffer.count > 0 else {
            throw JSONParseError(offset: 0, message: "expected a JSON value, found end of input")
        }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        // The first 16 array elements and 16 object members in flight live on the C stack.
        let result = withUnsafeTemporaryAllocation(of: JSONValue.self, capacity: 16) { values in
            withUnsafeTemporaryAllocation(of: JSONMember.self, capacity: 16) { members in
                var parser = RawJSONParser(bytes: bytes, count: buffer.count, values: values, members: members)
                return Result { () throws(JSONParseError) -> JSONValue in try parser.parseDocument() }
            }
        }
        return try result.get()
    }

    /// Parses one complete JSON document from UTF-8 `bytes` (for example `[UInt8]`, an
    /// `ArraySlice<UInt8>` or `String.UTF8View`); contiguous collections are not copied.
    /// - Throws: ``JSONParseError`` as ``parse(_:)-(UnsafeRawBufferPointer)``.
    @inlinable
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        if let result = bytes.withContiguousStorageIfAvailable({ buffer in
            Result { () throws(JSONParseError) -> JSONValue in try parse(UnsafeRawBufferPointer(buffer)) }
        }) {
            return try result.get()
        }
        let copy = Array(bytes)
        let result = copy.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) -> JSONValue in try parse(buffer) }
        }
        return try result.get()
    }

    /// Parses one complete JSON document from `text` (its UTF-8 bytes; offsets in errors are UTF-8
    /// byte offsets).
    /// - Throws: ``JSONParseError`` as ``parse(_:)-(UnsafeRawBufferPointer)``.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(JSONParseError) -> JSONValue in try parse(UnsafeRawBufferPointer(buffer)) }
        }
        return try result.get()
    }
}
