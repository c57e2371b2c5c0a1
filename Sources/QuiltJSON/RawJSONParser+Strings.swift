// String scanning for RawJSONParser: a word-at-a-time scan for the common unescaped case, inline
// UTF-8 validation, and an unescaping slow path into a reused scratch buffer.

extension RawJSONParser {
    /// Parses the string whose opening quote is at `pos`; leaves `pos` after the closing quote.
    mutating func parseString() throws(JSONParseError) -> String {
        // Locals, so the hot loop keeps them in registers instead of reloading through `self`.
        let bytes = self.bytes
        let count = self.count
        let open = pos
        let start = pos + 1
        var i = start
        while true {
            // Skip 8 plain bytes at a time (no quote, backslash, control or non-ASCII byte).
            while i &+ 8 <= count {
                let word = UnsafeRawPointer(bytes + i).loadUnaligned(as: UInt64.self)
                if mayNeedAttention(word) { break }
                i &+= 8
            }
            guard i < count else {
                throw fail("unterminated string: expected '\"' before end of input", at: open)
            }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                pos = i + 1
                if i - start == 16, let known = RawJSONParser.wellKnownString16(at: bytes + start) { return known }
                return String(decoding: UnsafeBufferPointer(start: bytes + start, count: i - start), as: UTF8.self)
            } else if b == UInt8(ascii: "\\") {
                return try parseEscapedString(open: open, firstEscape: i)
            } else if b < 0x20 {
                throw controlCharacterError(b, at: i)
            } else if b < 0x80 {
                i += 1
            } else {
                i = try validateUTF8Sequence(at: i)
            }
        }
    }

    /// `"sha2-256-chunked"`, the hash type on every quilt3 manifest entry: one byte too long for
    /// Swift's allocation-free small strings, so it is returned as an immortal literal instead of a
    /// fresh heap string per entry.
    @inline(__always)
    static func wellKnownString16(at p: UnsafePointer<UInt8>) -> String? {
        let raw = UnsafeRawPointer(p)
        let first = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
        let second = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        // "sha2-256" and "-chunked" as little-endian words.
        guard first == 0x3635_322D_3261_6873, second == 0x6465_6B6E_7568_632D else { return nil }
        return "sha2-256-chunked"
    }

    /// True if any byte of `word` is `"`, `\`, below 0x20 or at least 0x80 (may report false
    /// positives, never false negatives).
    @inline(__always)
    func mayNeedAttention(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let zeroInQuote = (quote &- ones) & ~quote
        let zeroInBackslash = (backslash &- ones) & ~backslash
        let belowSpace = word &- (ones &* 0x20)
        return ((zeroInQuote | zeroInBackslash | belowSpace | word) & highs) != 0
    }

    func controlCharacterError(_ b: UInt8, at offset: Int) -> JSONParseError {
        fail("unescaped control character U+00\(hex2(b).uppercased()) in string; expected it escaped (e.g. \\n or \\u00\(hex2(b)))", at: offset)
    }

    /// Validates the UTF-8 sequence whose lead byte (>= 0x80) is at `i`; returns the index after it.
    @inline(__always)
    func validateUTF8Sequence(at i: Int) throws(JSONParseError) -> Int {
        let lead = bytes[i]
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default:
            throw fail("invalid UTF-8: byte 0x\(hex2(lead)) cannot start a character", at: i)
        }
        var k = 1
        while k < length {
            guard i + k < count else {
                throw fail("invalid UTF-8: truncated sequence before end of input", at: i + k)
            }
            let c = bytes[i + k]
            let lo = k == 1 ? lower : 0x80
            let hi = k == 1 ? upper : 0xBF
            guard c >= lo && c <= hi else {
                throw fail("invalid UTF-8: byte 0x\(hex2(c)) is not a valid continuation of 0x\(hex2(lead))", at: i + k)
            }
            k += 1
        }
        return i + length
    }

    /// The slow path for strings containing backslash escapes. `firstEscape` is the index of the
    /// first backslash; bytes before it are already validated.
    mutating func parseEscapedString(open: Int, firstEscape: Int) throws(JSONParseError) -> String {
        let start = open + 1
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: bytes + start, count: firstEscape - start))
        var i = firstEscape
        while true {
            guard i < count else {
                throw fail("unterminated string: expected '\"' before end of input", at: open)
            }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                pos = i + 1
                return String(decoding: scratch, as: UTF8.self)
            } else if b == UInt8(ascii: "\\") {
                i = try decodeEscape(at: i)
            } else if b < 0x20 {
                throw controlCharacterError(b, at: i)
            } else if b < 0x80 {
                scratch.append(b)
                i += 1
            } else {
                let next = try validateUTF8Sequence(at: i)
                scratch.append(contentsOf: UnsafeBufferPointer(start: bytes + i, count: next - i))
                i = next
            }
        }
    }

    /// Decodes the escape whose backslash is at `i` into `scratch`; returns the index after it.
    mutating func decodeEscape(at i: Int) throws(JSONParseError) -> Int {
        guard i + 1 < count else {
            throw fail("unterminated string: expected an escape character after '\\', found end of input", at: i + 1)
        }
        switch bytes[i + 1] {
        case UInt8(ascii: "\""): scratch.append(0x22)
        case UInt8(ascii: "\\"): scratch.append(0x5C)
        case UInt8(ascii: "/"): scratch.append(0x2F)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try hex4(at: i + 2)
            var next = i + 6
            var scalar: UInt32
            if unit >= 0xD800 && unit <= 0xDBFF {
                // A high surrogate combines with an immediately following \uDC00-\uDFFF escape.
                if next + 1 < count, bytes[next] == UInt8(ascii: "\\"), bytes[next + 1] == UInt8(ascii: "u"),
                   let low = try? hex4(at: next + 2), low >= 0xDC00 && low <= 0xDFFF {
                    scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    next += 6
                } else {
                    scalar = 0xFFFD // lone high surrogate: Swift strings cannot hold it
                }
            } else if unit >= 0xDC00 && unit <= 0xDFFF {
                scalar = 0xFFFD // lone low surrogate
            } else {
                scalar = UInt32(unit)
            }
            appendUTF8(scalar)
            return next
        default:
            throw fail("invalid escape: \(found(at: i + 1)) after '\\' in string; expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX", at: i + 1)
        }
        return i + 2
    }

    /// The value of the four hex digits at `i`.
    func hex4(at i: Int) throws(JSONParseError) -> UInt16 {
        var value: UInt16 = 0
        var k = 0
        while k < 4 {
            guard i + k < count else {
                throw fail("invalid \\u escape: expected 4 hex digits, found end of input", at: i + k)
            }
            let c = bytes[i + k]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default:
                throw fail("invalid \\u escape: expected 4 hex digits, found \(found(at: i + k))", at: i + k)
            }
            value = value << 4 | UInt16(digit)
            k += 1
        }
        return value
    }

    mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | (scalar >> 6)))
            scratch.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | (scalar >> 12)))
            scratch.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            scratch.append(UInt8(0xF0 | (scalar >> 18)))
            scratch.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }
}
