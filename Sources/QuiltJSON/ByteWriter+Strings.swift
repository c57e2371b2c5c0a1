// String escaping for the encoders: Python `ensure_ascii=True` (canonical) and `ensure_ascii=False`
// (manifest, writer). Both reserve the worst case once per string, write through a raw pointer and
// copy runs of plain bytes eight at a time.

private let lowercaseHex: StaticString = "0123456789abcdef"

/// Writes `\uXXXX` (lowercase hex) at `p`; returns the pointer past it.
@inline(__always)
private func writeUnicodeEscape(_ unit: UInt32, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
    let hex = lowercaseHex.utf8Start
    p[0] = UInt8(ascii: "\\")
    p[1] = UInt8(ascii: "u")
    p[2] = hex[Int((unit >> 12) & 0xF)]
    p[3] = hex[Int((unit >> 8) & 0xF)]
    p[4] = hex[Int((unit >> 4) & 0xF)]
    p[5] = hex[Int(unit & 0xF)]
    return p + 6
}

/// Writes the escape Python uses for an ASCII byte that needs one: `\"` `\\` `\n` `\r` `\t` `\b`
/// `\f`, otherwise `\u00xx`. Returns the pointer past it.
@inline(__always)
private func writeASCIIEscape(_ b: UInt8, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
    let short: UInt8
    switch b {
    case 0x22: short = UInt8(ascii: "\"")
    case 0x5C: short = UInt8(ascii: "\\")
    case 0x0A: short = UInt8(ascii: "n")
    case 0x0D: short = UInt8(ascii: "r")
    case 0x09: short = UInt8(ascii: "t")
    case 0x08: short = UInt8(ascii: "b")
    case 0x0C: short = UInt8(ascii: "f")
    default: return writeUnicodeEscape(UInt32(b), at: p)
    }
    p[0] = UInt8(ascii: "\\")
    p[1] = short
    return p + 2
}

private let ones: UInt64 = 0x0101_0101_0101_0101
private let highBits: UInt64 = 0x8080_8080_8080_8080

/// True if any byte of `word` equals `byte` (the classic exact "has zero byte" test on `word ^ byte`).
@inline(__always)
private func hasByte(_ word: UInt64, _ byte: UInt8) -> Bool {
    let x = word ^ (ones &* UInt64(byte))
    return ((x &- ones) & ~x & highBits) != 0
}

extension ByteWriter {
    /// Appends `string` quoted with Python `ensure_ascii=True` escaping: printable ASCII other than
    /// `"` and `\` is copied; everything else is escaped, non-BMP scalars as UTF-16 surrogate pairs.
    mutating func appendASCIIString(_ string: String) {
        withUTF8Bytes(string) { src in
            let n = src.count
            // Worst case: every byte becomes six ("\u00xx"; a 4-byte scalar becomes 12).
            var p = reserve(n &* 6 &+ 2)
            p.pointee = UInt8(ascii: "\"")
            p += 1
            guard let s = src.baseAddress else {
                p.pointee = UInt8(ascii: "\"")
                commit(p + 1)
                return
            }
            var i = 0
            while i < n {
                if i &+ 8 <= n {
                    let word = UnsafeRawPointer(s + i).loadUnaligned(as: UInt64.self)
                    let belowSpace = (word &- ones &* 0x20) & ~word & highBits
                    if (word & highBits) | belowSpace == 0 && !hasByte(word, 0x22) && !hasByte(word, 0x5C)
                        && !hasByte(word, 0x7F) {
                        UnsafeMutableRawPointer(p).storeBytes(of: word, as: UInt64.self)
                        p += 8
                        i &+= 8
                        continue
                    }
                }
                let b = s[i]
                if b >= 0x20 && b < 0x7F && b != 0x22 && b != 0x5C {
                    p.pointee = b
                    p += 1
                    i &+= 1
                } else if b < 0x80 {
                    p = writeASCIIEscape(b, at: p)
                    i &+= 1
                } else {
                    // `src` is valid UTF-8 (it came from a String), so the sequence is complete.
                    var scalar: UInt32
                    let length: Int
                    if b < 0xE0 {
                        scalar = UInt32(b & 0x1F)
                        length = 2
                    } else if b < 0xF0 {
                        scalar = UInt32(b & 0x0F)
                        length = 3
                    } else {
                        scalar = UInt32(b & 0x07)
                        length = 4
                    }
                    var k = 1
                    while k < length && i &+ k < n {
                        scalar = scalar << 6 | UInt32(s[i &+ k] & 0x3F)
                        k += 1
                    }
                    if scalar >= 0x10000 {
                        let v = scalar - 0x10000
                        p = writeUnicodeEscape(0xD800 + (v >> 10), at: p)
                        p = writeUnicodeEscape(0xDC00 + (v & 0x3FF), at: p)
                    } else {
                        p = writeUnicodeEscape(scalar, at: p)
                    }
                    i &+= length
                }
            }
            p.pointee = UInt8(ascii: "\"")
            commit(p + 1)
        }
    }

    /// Appends `string` quoted with Python `ensure_ascii=False` escaping: only `"`, `\` and
    /// U+0000–U+001F are escaped; everything else (including DEL and U+2028) is raw UTF-8.
    mutating func appendRawString(_ string: String) {
        withUTF8Bytes(string) { src in
            let n = src.count
            var p = reserve(n &* 6 &+ 2)
            p.pointee = UInt8(ascii: "\"")
            p += 1
            guard let s = src.baseAddress else {
                p.pointee = UInt8(ascii: "\"")
                commit(p + 1)
                return
            }
            var i = 0
            while i < n {
                if i &+ 8 <= n {
                    let word = UnsafeRawPointer(s + i).loadUnaligned(as: UInt64.self)
                    let belowSpace = (word &- ones &* 0x20) & ~word & highBits
                    if belowSpace == 0 && !hasByte(word, 0x22) && !hasByte(word, 0x5C) {
                        UnsafeMutableRawPointer(p).storeBytes(of: word, as: UInt64.self)
                        p += 8
                        i &+= 8
                        continue
                    }
                }
                let b = s[i]
                if b >= 0x20 && b != 0x22 && b != 0x5C {
                    p.pointee = b
                    p += 1
                } else {
                    p = writeASCIIEscape(b, at: p)
                }
                i &+= 1
            }
            p.pointee = UInt8(ascii: "\"")
            commit(p + 1)
        }
    }
}
