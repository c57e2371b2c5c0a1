// Number scanning for RawJSONParser, following Python's `json` rule: a literal with a fraction or
// an exponent is a float (double); anything else is an exact integer.

extension RawJSONParser {
    /// Exact powers of ten representable as doubles (10^0 ... 10^22).
    static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    @inline(__always)
    func isDigit(at i: Int) -> Bool {
        i < count && bytes[i] &- UInt8(ascii: "0") < 10
    }

    /// Parses the number starting at `pos` (a `-` or a digit); leaves `pos` after it.
    mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = pos
        var i = pos
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        let integerStart = i
        guard isDigit(at: i) else {
            throw fail("expected a digit after '-', found \(found(at: i))", at: i)
        }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if isDigit(at: i) {
                throw fail("leading zeros are not allowed in numbers; expected '.', 'e', or the end of the number", at: i)
            }
        } else {
            while isDigit(at: i) { i += 1 }
        }
        let integerEnd = i
        var fractionEnd = i
        var isDouble = false
        if i < count, bytes[i] == UInt8(ascii: ".") {
            isDouble = true
            i += 1
            guard isDigit(at: i) else {
                throw fail("expected a digit after '.', found \(found(at: i))", at: i)
            }
            while isDigit(at: i) { i += 1 }
            fractionEnd = i
        }
        var exponent = 0
        var exponentIsSmall = true
        if i < count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            isDouble = true
            i += 1
            var exponentNegative = false
            if i < count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                exponentNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            guard isDigit(at: i) else {
                throw fail("expected a digit in the exponent, found \(found(at: i))", at: i)
            }
            while isDigit(at: i) {
                if exponent < 100_000 {
                    exponent = exponent * 10 + Int(bytes[i] - UInt8(ascii: "0"))
                } else {
                    exponentIsSmall = false
                }
                i += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        pos = i
        if !isDouble {
            let digits = UnsafeBufferPointer(start: bytes + integerStart, count: integerEnd - integerStart)
            return JSONNumber(negative: negative, digits: digits)
        }
        if exponentIsSmall,
           let fast = fastDouble(integerStart: integerStart, integerEnd: integerEnd,
                                 fractionEnd: fractionEnd, exponent: exponent) {
            return JSONNumber(negative ? -fast : fast)
        }
        let text = String(decoding: UnsafeBufferPointer(start: bytes + start, count: i - start), as: UTF8.self)
        // The text matches the JSON grammar, which Double(_:) always accepts (overflow gives ±inf).
        guard let value = Double(text) else {
            throw fail("number cannot be represented as a double", at: start)
        }
        return JSONNumber(value)
    }

    /// The exactly-rounded value of the digits when that needs a single IEEE operation (Clinger's
    /// fast path): at most 2^53 as an integer mantissa and a power of ten of at most 10^22.
    @inline(__always)
    func fastDouble(integerStart: Int, integerEnd: Int, fractionEnd: Int, exponent: Int) -> Double? {
        var mantissa: UInt64 = 0
        var significant = 0
        var i = integerStart
        while i < integerEnd {
            let d = UInt64(bytes[i] &- UInt8(ascii: "0"))
            if significant > 0 || d != 0 {
                significant += 1
                if significant > 19 { return nil }
                mantissa = mantissa &* 10 &+ d
            }
            i += 1
        }
        var fractionDigits = 0
        if fractionEnd > integerEnd {
            i = integerEnd + 1
            while i < fractionEnd {
                let d = UInt64(bytes[i] &- UInt8(ascii: "0"))
                if significant > 0 || d != 0 {
                    significant += 1
                    if significant > 19 { return nil }
                    mantissa = mantissa &* 10 &+ d
                }
                fractionDigits += 1
                i += 1
            }
        }
        if mantissa == 0 { return 0.0 }
        guard mantissa <= (1 << 53) else { return nil }
        let power = exponent - fractionDigits
        if power >= 0 && power <= 22 {
            return Double(mantissa) * RawJSONParser.exactPowersOfTen[power]
        }
        if power < 0 && power >= -22 {
            return Double(mantissa) / RawJSONParser.exactPowersOfTen[-power]
        }
        return nil
    }
}
