/// Text encodings used for hash values: standard base64 with padding, and lowercase hex. Shared by every module that
/// prints digests (object hashes, top hashes, SigV4).
public enum HashEncoding {
    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Standard base64 (RFC 4648 alphabet with `+`, `/` and `=` padding, no line breaks).
    public static func base64(_ bytes: some Sequence<UInt8>) -> String {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity((input.count + 2) / 3 * 4)
        var index = 0
        while index < input.count {
            let b0 = UInt32(input[index])
            let b1 = index + 1 < input.count ? UInt32(input[index + 1]) : 0
            let b2 = index + 2 < input.count ? UInt32(input[index + 2]) : 0
            let triple = b0 << 16 | b1 << 8 | b2
            output.append(base64Alphabet[Int((triple >> 18) & 0x3F)])
            output.append(base64Alphabet[Int((triple >> 12) & 0x3F)])
            output.append(index + 1 < input.count ? base64Alphabet[Int((triple >> 6) & 0x3F)] : UInt8(ascii: "="))
            output.append(index + 2 < input.count ? base64Alphabet[Int(triple & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Lowercase hexadecimal, two characters per byte.
    public static func lowercaseHex(_ bytes: some Sequence<UInt8>) -> String {
        var output: [UInt8] = []
        for byte in bytes {
            output.append(hexDigits[Int(byte >> 4)])
            output.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: output, as: UTF8.self)
    }
}
