#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import QuiltContract

/// Writes an entry's top-hash record straight from its manifest line, without building a `JSONValue` tree, when the
/// line has the exact shape quilt3 writes:
/// `{"logical_key": S, "physical_keys": [S], "size": N, "hash": {"type": S, "value": S}, "meta": V}`.
///
/// Strings with escapes, floats anywhere in `meta`, duplicate keys, a physical key it cannot vouch for
/// (`PhysicalKey.isCertainlyValid`) and any other shape make it decline (returning
/// nil and leaving the output untouched); the caller then parses the line fully. Its output is byte-identical to
/// `TopHasher.appendRecord(ManifestParser.parse(line))`, which the tests check on every manifest quilt3 wrote and
/// on generated lines.
package struct FastEntryScanner {
    /// Where the parts of an accepted line are.
    package struct Entry: Sendable, Hashable {
        /// Byte range of the logical key inside the line (raw UTF-8, no escapes).
        package var key: Range<Int>
        package var size: Int64
    }

    private var members: [(key: Range<Int>, value: Range<Int>)] = []

    package init() {}

    /// Appends the canonical record of `line` to `out` and returns where its logical key is; nil (with `out`
    /// unchanged) when the line is not in the plain shape.
    package mutating func appendRecord(_ line: UnsafeRawBufferPointer, to out: inout [UInt8]) -> Entry? {
        let mark = out.count
        guard let entry = scan(line, &out) else {
            out.removeSubrange(mark...)
            return nil
        }
        return entry
    }

    private mutating func scan(_ b: UnsafeRawBufferPointer, _ out: inout [UInt8]) -> Entry? {
        var p = 0
        guard literal(b, &p, #"{"logical_key": "#), let key = string(b, &p),
            literal(b, &p, #", "physical_keys": ["#), let physical = string(b, &p),
            // The physical key is not hashed, but a line the full parser would refuse must not pass here.
            PhysicalKey.isCertainlyValid(UnsafeRawBufferPointer(rebasing: b[physical])),
            literal(b, &p, #"], "size": "#)
        else { return nil }
        let sizeStart = p
        var size: Int64 = 0
        while p < b.count, b[p] >= 0x30, b[p] <= 0x39 {
            let (m, o1) = size.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(b[p] - 0x30))
            guard !o1, !o2 else { return nil }
            size = s
            p += 1
        }
        let sizeEnd = p
        guard sizeEnd > sizeStart, b[sizeStart] != 0x30 || sizeEnd == sizeStart + 1 else { return nil }
        guard literal(b, &p, #", "hash": {"type": "#), let type = string(b, &p), literal(b, &p, #", "value": "#),
            let value = string(b, &p), literal(b, &p, #"}, "meta": "#)
        else { return nil }
        let metaStart = p
        // quilt3 reads a null meta as {}: only objects take the fast path.
        guard p < b.count, b[p] == UInt8(ascii: "{"), let metaEnd = skipValue(b, p), metaEnd + 1 == b.count, b[metaEnd] == UInt8(ascii: "}") else {
            return nil
        }
        Self.append(#"{"hash":{"type":"#, to: &out)
        guard canonicalString(b, type, &out) else { return nil }
        Self.append(#","value":"#, to: &out)
        guard canonicalString(b, value, &out) else { return nil }
        Self.append(#"},"logical_key":"#, to: &out)
        guard canonicalString(b, key, &out) else { return nil }
        Self.append(#","meta":"#, to: &out)
        if metaEnd - metaStart == 2 && b[metaStart] == UInt8(ascii: "{") && b[metaStart + 1] == UInt8(ascii: "}") {
            Self.append("{}", to: &out)
        } else {
            members.removeAll(keepingCapacity: true)
            guard emit(b, metaStart, &out) == metaEnd else { return nil }
        }
        Self.append(#","size":"#, to: &out)
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[sizeStart..<sizeEnd]))
        out.append(UInt8(ascii: "}"))
        return Entry(key: key, size: size)
    }

    // MARK: - Scanning

    private func literal(_ b: UnsafeRawBufferPointer, _ p: inout Int, _ text: StaticString) -> Bool {
        let n = text.utf8CodeUnitCount
        guard n > 0, p + n <= b.count, let base = b.baseAddress else { return n == 0 }
        guard memcmp(base + p, text.utf8Start, n) == 0 else { return false }
        p += n
        return true
    }

    /// A string without escapes or control characters; `p` is at its opening quote. Returns the content range.
    private func string(_ b: UnsafeRawBufferPointer, _ p: inout Int) -> Range<Int>? {
        guard p < b.count, b[p] == UInt8(ascii: "\"") else { return nil }
        let start = p + 1
        var i = start
        // Eight bytes at a time while none is a quote, a backslash or a control character (SWAR), then bytewise.
        while i + 8 <= b.count {
            let x = b.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if Self.hasZeroByte(x ^ Self.quotes) | Self.hasZeroByte(x ^ Self.backslashes) | Self.hasByteBelow0x20(x) != 0 {
                break
            }
            i += 8
        }
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                p = i + 1
                return start..<i
            }
            if c == UInt8(ascii: "\\") || c < 0x20 { return nil }
            i += 1
        }
        return nil
    }

    private func skipSpaces(_ b: UnsafeRawBufferPointer, _ p: inout Int) {
        while p < b.count, b[p] == 0x20 { p += 1 }
    }

    /// The end of the value starting at `p` (plain shapes only), or nil.
    private func skipValue(_ b: UnsafeRawBufferPointer, _ start: Int) -> Int? {
        var p = start
        guard p < b.count else { return nil }
        switch b[p] {
        case UInt8(ascii: "\""):
            return string(b, &p) != nil ? p : nil
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let close: UInt8 = b[p] == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            p += 1
            skipSpaces(b, &p)
            if p < b.count, b[p] == close { return p + 1 }
            while true {
                if close == UInt8(ascii: "}") {
                    guard string(b, &p) != nil else { return nil }
                    skipSpaces(b, &p)
                    guard p < b.count, b[p] == UInt8(ascii: ":") else { return nil }
                    p += 1
                    skipSpaces(b, &p)
                }
                guard let end = skipValue(b, p) else { return nil }
                p = end
                skipSpaces(b, &p)
                guard p < b.count else { return nil }
                if b[p] == close { return p + 1 }
                guard b[p] == UInt8(ascii: ",") else { return nil }
                p += 1
                skipSpaces(b, &p)
            }
        case UInt8(ascii: "t"): return word(b, p, "true")
        case UInt8(ascii: "f"): return word(b, p, "false")
        case UInt8(ascii: "n"): return word(b, p, "null")
        case UInt8(ascii: "-"), 0x30...0x39:
            // Integers only: a float must go through Python's repr, which the full path does.
            var i = p
            if b[i] == UInt8(ascii: "-") { i += 1 }
            let digits = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            guard i > digits, b[digits] != 0x30 || i == digits + 1 else { return nil }
            if b[p] == UInt8(ascii: "-") && i == digits + 1 && b[digits] == 0x30 { return nil }  // -0 → 0
            if i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
                return nil
            }
            return i
        default:
            return nil
        }
    }

    private func word(_ b: UnsafeRawBufferPointer, _ p: Int, _ w: StaticString) -> Int? {
        var q = p
        return literal(b, &q, w) ? q : nil
    }

    // MARK: - Emitting canonical JSON

    /// Emits the value at `p` canonically (keys sorted by code point, compact); returns its end.
    private mutating func emit(_ b: UnsafeRawBufferPointer, _ start: Int, _ out: inout [UInt8]) -> Int? {
        guard let end = skipValue(b, start) else { return nil }
        var p = start
        switch b[p] {
        case UInt8(ascii: "\""):
            guard let r = string(b, &p), canonicalString(b, r, &out) else { return nil }
        case UInt8(ascii: "{"):
            let base = members.count
            p += 1
            skipSpaces(b, &p)
            while p < end - 1 {
                guard let k = string(b, &p) else { return nil }
                skipSpaces(b, &p)
                p += 1  // ':'
                skipSpaces(b, &p)
                guard let vEnd = skipValue(b, p) else { return nil }
                members.append((k, p..<vEnd))
                p = vEnd
                skipSpaces(b, &p)
                if p < end - 1 { p += 1 }  // ','
                skipSpaces(b, &p)
            }
            let count = members.count
            members[base..<count].sort { b[$0.key].lexicographicallyPrecedes(b[$1.key]) }  // UTF-8 order = code-point order
            for i in (base + 1)..<max(base + 1, count) where b[members[i - 1].key].elementsEqual(b[members[i].key]) {
                members.removeSubrange(base...)
                return nil
            }
            out.append(UInt8(ascii: "{"))
            for i in base..<count {
                let m = members[i]  // nested emits push and pop above `count`
                if i > base { out.append(UInt8(ascii: ",")) }
                guard canonicalString(b, m.key, &out) else {
                    members.removeSubrange(base...)
                    return nil
                }
                out.append(UInt8(ascii: ":"))
                guard emit(b, m.value.lowerBound, &out) == m.value.upperBound else {
                    members.removeSubrange(base...)
                    return nil
                }
            }
            members.removeSubrange(base...)
            out.append(UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            p += 1
            skipSpaces(b, &p)
            out.append(UInt8(ascii: "["))
            var first = true
            while p < end - 1 {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                guard let vEnd = emit(b, p, &out) else { return nil }
                p = vEnd
                skipSpaces(b, &p)
                if p < end - 1 { p += 1 }
                skipSpaces(b, &p)
            }
            out.append(UInt8(ascii: "]"))
        default:
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[start..<end]))
        }
        return end
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// Appends a literal's bytes in one copy (a `String.UTF8View` append goes through the generic path).
    @inline(__always)
    private static func append(_ text: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    // MARK: - Eight bytes at a time

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080
    private static let quotes: UInt64 = 0x2222_2222_2222_2222
    private static let backslashes: UInt64 = 0x5C5C_5C5C_5C5C_5C5C
    private static let deletes: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

    /// Non-zero when some byte of `x` is zero (no false positives when the answer is zero).
    @inline(__always)
    private static func hasZeroByte(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highBits }

    /// Non-zero when some byte of `x` is below 0x20.
    @inline(__always)
    private static func hasByteBelow0x20(_ x: UInt64) -> UInt64 { (x &- 0x2020_2020_2020_2020) & ~x & highBits }

    /// `"…"` with Python's ensure_ascii escaping of raw UTF-8 content (no escapes in the input).
    private func canonicalString(_ b: UnsafeRawBufferPointer, _ r: Range<Int>, _ out: inout [UInt8]) -> Bool {
        out.append(UInt8(ascii: "\""))
        var i = r.lowerBound
        // Printable ASCII (below 0x7F) is copied as is: find how far it runs eight bytes at a time (SWAR), copy
        // that stretch at once, and go bytewise from the first byte that needs escaping.
        var plain = i
        while plain + 8 <= r.upperBound {
            let x = b.loadUnaligned(fromByteOffset: plain, as: UInt64.self)
            if (x & Self.highBits) | Self.hasZeroByte(x ^ Self.deletes) != 0 { break }
            plain += 8
        }
        if plain > i {
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[i..<plain]))
            i = plain
        }
        while i < r.upperBound {
            let c = b[i]
            if c < 0x7F {
                out.append(c)
                i += 1
                continue
            }
            var scalar: UInt32
            var need: Int
            switch c {
            case 0x7F: scalar = 0x7F; need = 0
            case 0xC2...0xDF: scalar = UInt32(c & 0x1F); need = 1
            case 0xE0...0xEF: scalar = UInt32(c & 0x0F); need = 2
            case 0xF0...0xF4: scalar = UInt32(c & 0x07); need = 3
            default: return false
            }
            for j in 0..<need {
                guard i + 1 + j < r.upperBound else { return false }
                let cc = b[i + 1 + j]
                guard cc & 0xC0 == 0x80 else { return false }
                scalar = scalar << 6 | UInt32(cc & 0x3F)
            }
            // Reject overlong forms and surrogates, as a strict decoder does.
            switch need {
            case 2: guard scalar >= 0x800, !(0xD800...0xDFFF).contains(scalar) else { return false }
            case 3: guard scalar >= 0x10000, scalar <= 0x10FFFF else { return false }
            default: break
            }
            i += 1 + need
            if scalar > 0xFFFF {
                let v = scalar - 0x10000
                escape(0xD800 + (v >> 10), &out)
                escape(0xDC00 + (v & 0x3FF), &out)
            } else {
                escape(scalar, &out)
            }
        }
        out.append(UInt8(ascii: "\""))
        return true
    }

    private func escape(_ unit: UInt32, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\\"))
        out.append(UInt8(ascii: "u"))
        out.append(Self.hex[Int(unit >> 12 & 0xF)])
        out.append(Self.hex[Int(unit >> 8 & 0xF)])
        out.append(Self.hex[Int(unit >> 4 & 0xF)])
        out.append(Self.hex[Int(unit & 0xF)])
    }
}
