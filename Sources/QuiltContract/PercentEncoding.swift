/// Python `urllib.parse` quoting, byte for byte, as quilt3 uses it for physical-key URLs.
public enum PercentEncoding {
    /// `urllib.parse.quote(s, safe=safe)`: keeps `A-Z a-z 0-9 _ . - ~` and the `safe` bytes, encodes every other UTF-8
    /// byte as `%XX` with uppercase hex.
    public static func quote(_ s: String, safe: String = "/") -> String {
        let safeBytes = Set(safe.utf8)
        var out = [UInt8]()
        out.reserveCapacity(s.utf8.count)
        for b in s.utf8 {
            if isUnreserved(b) || safeBytes.contains(b) {
                out.append(b)
            } else {
                appendEscape(b, to: &out)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `urllib.parse.quote_plus(s, safe='')`: like `quote` but a space becomes `+` and `/` is encoded.
    public static func quotePlus(_ s: String) -> String {
        var out = [UInt8]()
        for b in s.utf8 {
            if isUnreserved(b) {
                out.append(b)
            } else if b == 0x20 {
                out.append(UInt8(ascii: "+"))
            } else {
                appendEscape(b, to: &out)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `urllib.parse.unquote`: decodes `%XX` sequences (invalid ones stay as written); `plus` also turns `+` into space.
    /// Returns nil when the decoded bytes are not valid UTF-8.
    public static func unquote(_ s: String, plus: Bool = false) -> String? {
        if !s.utf8.contains(UInt8(ascii: "%")) && !(plus && s.utf8.contains(UInt8(ascii: "+"))) { return s }
        return String(validating: unquoteBytes(s, plus: plus), as: UTF8.self)
    }

    /// The bytes `unquote` decodes to, whatever they are.
    public static func unquoteBytes(_ s: String, plus: Bool = false) -> [UInt8] {
        let bytes = Array(s.utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "%"), i + 2 < bytes.count, let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else if plus && b == UInt8(ascii: "+") {
                out.append(0x20)
                i += 1
            } else {
                out.append(b)
                i += 1
            }
        }
        return out
    }

    static func isUnreserved(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"),
            UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func appendEscape(_ b: UInt8, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "%"))
        out.append(hexDigits[Int(b >> 4)])
        out.append(hexDigits[Int(b & 0x0f)])
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
