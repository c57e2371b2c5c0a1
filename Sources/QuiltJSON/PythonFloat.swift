/// Python 3 `repr(float)` formatting, which is also how Python's `json` module writes floats.
public enum PythonFloat: Sendable {
    /// Returns exactly what Python 3 `repr(value)` returns. Never fails.
    ///
    /// The digits are the shortest that round-trip (Swift's `description` already generates these;
    /// this reformats them). Scientific notation is used when the decimal exponent is below -4 or at
    /// least 16 (`1e-05`, `1e+16`, `1.5e+300`: signed exponent of at least two digits, no `.0` on
    /// an integral mantissa); otherwise the value is positional and always has a fraction part
    /// (`1.0`, `1000000000000000.0`, `0.0001`, `-0.0`). Non-finite values give `nan`, `inf` and
    /// `-inf` (the JSON encoders handle those themselves).
    public static func repr(_ value: Double) -> String {
        ByteWriter.withWriter { writer in
            append(value, to: &writer)
            return String(decoding: writer.bytes, as: UTF8.self)
        }
    }

    /// Appends `repr(value)` as UTF-8 (finite values; non-finite give `nan`/`inf`/`-inf`).
    static func append(_ value: Double, to out: inout ByteWriter) {
        if value.isNaN {
            out.append("nan")
            return
        }
        if value.sign == .minus { out.append(UInt8(ascii: "-")) }
        if value.isInfinite {
            out.append("inf")
            return
        }
        if value == 0 {
            out.append("0.0")
            return
        }
        // Up to 17 significant digits plus room for Swift's formatting.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { digits in
            var (count, pointPosition) = shortestDigits(of: value.magnitude, into: digits)
            // Strip trailing zeros ("1.0e+16" style output, "100.0").
            while count > 1 && digits[count - 1] == UInt8(ascii: "0") { count -= 1 }
            let exponent = pointPosition - 1
            if exponent < -4 || exponent >= 16 {
                out.append(digits[0])
                if count > 1 {
                    out.append(UInt8(ascii: "."))
                    out.append(UnsafeBufferPointer(rebasing: digits[1..<count]))
                }
                out.append(UInt8(ascii: "e"))
                out.append(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
                let magnitude = exponent.magnitude
                if magnitude < 10 { out.append(UInt8(ascii: "0")) }
                out.appendInteger(Int64(magnitude))
            } else if pointPosition <= 0 {
                out.append("0.")
                for _ in 0 ..< -pointPosition { out.append(UInt8(ascii: "0")) }
                out.append(UnsafeBufferPointer(rebasing: digits[0..<count]))
            } else if pointPosition >= count {
                out.append(UnsafeBufferPointer(rebasing: digits[0..<count]))
                for _ in 0 ..< (pointPosition - count) { out.append(UInt8(ascii: "0")) }
                out.append(".0")
            } else {
                out.append(UnsafeBufferPointer(rebasing: digits[0..<pointPosition]))
                out.append(UInt8(ascii: "."))
                out.append(UnsafeBufferPointer(rebasing: digits[pointPosition..<count]))
            }
        }
    }

    /// Writes the shortest round-trip significant digits of finite, positive `value` into `digits`
    /// (no leading zeros) and returns their count and the decimal point position, such that
    /// value = 0.d1d2d3... × 10^pointPosition.
    private static func shortestDigits(of value: Double, into digits: UnsafeMutableBufferPointer<UInt8>)
        -> (count: Int, pointPosition: Int) {
        // Swift prints either "ddd.ddd" or "d.ddde[+-]xx"; both carry the shortest digits.
        var count = 0
        var integerDigits = 0
        var seenPoint = false
        var exponent = 0
        var exponentNegative = false
        var inExponent = false
        for b in value.description.utf8 {
            if inExponent {
                if b == UInt8(ascii: "-") {
                    exponentNegative = true
                } else if b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") {
                    exponent = exponent * 10 + Int(b - UInt8(ascii: "0"))
                }
            } else if b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
                inExponent = true
            } else if b == UInt8(ascii: ".") {
                seenPoint = true
            } else if b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") {
                if count == 0 && b == UInt8(ascii: "0") {
                    // A leading zero moves the point left if it is after the point.
                    if seenPoint { integerDigits -= 1 }
                    continue
                }
                if count < digits.count {
                    digits[count] = b
                    count += 1
                }
                if !seenPoint { integerDigits += 1 }
            }
        }
        if exponentNegative { exponent = -exponent }
        return (count, integerDigits + exponent)
    }
}
