/// The canonical encoding quilt3 hashes: Python
/// `json.dumps(value, sort_keys=True, separators=(',', ':'), ensure_ascii=True, allow_nan=True)`.
///
/// - Object members are sorted by Unicode code point sequence of their keys (Python `str` order,
///   not Swift `String` order): `"B" < "a" < "b" < "é" < "\u{FFFF}" < "😀"`.
/// - Strings escape `"` `\` `\n` `\r` `\t` `\b` `\f` with two characters and every other scalar
///   below U+0020 or above U+007E as lowercase `\uxxxx` (non-BMP scalars as a UTF-16 surrogate
///   pair such as `\ud83d\ude00`). `/` is not escaped and no Unicode normalisation is applied.
/// - Integers are written exactly; doubles as ``PythonFloat/repr(_:)``, with non-finite values as
///   `NaN`, `Infinity` and `-Infinity`.
///
/// The output is pure ASCII.
public enum CanonicalJSON: Sendable {
    /// Returns the canonical bytes of `value`. Never fails.
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        append(value, to: &out)
        return out
    }

    /// Appends the canonical bytes of `value` to `out` (reuse one `out` across calls, emptied with
    /// `removeAll(keepingCapacity: true)`, for speed). Never fails.
    public static func append(_ value: JSONValue, to out: inout [UInt8]) {
        ByteWriter.withWriter { writer in
            write(value, to: &writer)
            out.append(contentsOf: writer.bytes)
        }
    }

    static func write(_ value: JSONValue, to out: inout ByteWriter) {
        switch value {
        case .null:
            out.append("null")
        case .bool(let b):
            if b { out.append("true") } else { out.append("false") }
        case .number(let number):
            writeNumber(number, to: &out)
        case .string(let s):
            out.appendASCIIString(s)
        case .array(let array):
            writeArray(array, to: &out)
        case .object(let object):
            writeObject(object, to: &out)
        }
    }

    // Containers are separate, non-inlined functions: a self-recursive `write` makes the compiler
    // retain and release every element it visits (measured 10x slower).
    @inline(never)
    static func writeArray(_ array: [JSONValue], to out: inout ByteWriter) {
        out.append(UInt8(ascii: "["))
        for i in array.indices {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            write(array[i], to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    static func writeNumber(_ number: JSONNumber, to out: inout ByteWriter) {
        if out.appendIfInteger(number) { return }
        let d = number.doubleValue
        if d.isNaN {
            out.append("NaN")
        } else if d.isInfinite {
            if d < 0 { out.append("-Infinity") } else { out.append("Infinity") }
        } else {
            PythonFloat.append(d, to: &out)
        }
    }

    @inline(never)
    static func writeObject(_ object: JSONObject, to out: inout ByteWriter) {
        let members = object.entries
        let n = members.count
        if n == 0 {
            out.append("{}")
        } else if n == 1 {
            out.append(UInt8(ascii: "{"))
            out.appendASCIIString(members[0].key)
            out.append(UInt8(ascii: ":"))
            write(members[0].value, to: &out)
            out.append(UInt8(ascii: "}"))
        } else {
            withUnsafeTemporaryAllocation(of: Int.self, capacity: n) { order in
                sortedOrder(of: members, into: order)
                writeMembers(members, in: UnsafeBufferPointer(order), to: &out)
            }
        }
    }

    /// Fills `order` with the indices of `members` sorted by key code points.
    @inline(never)
    static func sortedOrder(of members: [JSONMember], into order: UnsafeMutableBufferPointer<Int>) {
        var order = order
        let n = members.count
        _ = order.initialize(from: 0..<n)
        if n > 32 {
            order.sort { codePointLess(members[$0].key, members[$1].key) }
            return
        }
        // Insertion sort on the keys' first eight UTF-8 bytes read as big-endian integers (so integer
        // order is byte order), comparing whole keys only when those prefixes tie.
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: n) { prefixes in
            for i in 0..<n { prefixes.initializeElement(at: i, to: keyPrefix(members[i].key)) }
            for i in 1..<n {
                let x = order[i]
                let px = prefixes[x]
                var j = i
                while j > 0 {
                    let y = order[j - 1]
                    let py = prefixes[y]
                    if px > py || (px == py && !codePointLess(members[x].key, members[y].key)) { break }
                    order[j] = y
                    j -= 1
                }
                order[j] = x
            }
        }
    }

    /// The first eight UTF-8 bytes of `key`, big-endian, zero-padded.
    @inline(__always)
    static func keyPrefix(_ key: String) -> UInt64 {
        withUTF8Bytes(key) { bytes in
            var prefix: UInt64 = 0
            let n = min(bytes.count, 8)
            for i in 0..<n { prefix |= UInt64(bytes[i]) << (56 - 8 * UInt64(i)) }
            return prefix
        }
    }

    @inline(never)
    static func writeMembers(_ members: [JSONMember], in order: UnsafeBufferPointer<Int>, to out: inout ByteWriter) {
        out.append(UInt8(ascii: "{"))
        for k in order.indices {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            let m = order[k]
            out.appendASCIIString(members[m].key)
            out.append(UInt8(ascii: ":"))
            write(members[m].value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }
}
