/// Byte-level detectors for credentials that must never reach a fixture or a log: AWS access key ids, JWTs and
/// account ids inside ARNs. Used by the fixture scrubber (to replace them) and by the fixture hygiene test (to
/// prove none are left). Plain scans, no regular expressions: fixtures can be megabytes.
package enum SecretPatterns {
    /// What a match is.
    package enum Kind: String, Sendable {
        case accessKeyId = "<AWS_ACCESS_KEY_ID>"
        case jwt = "<JWT>"
        case accountId = "<ACCOUNT_ID>"
    }

    /// Every match in `text`, in order, non-overlapping, as UTF-8 offsets.
    package static func find(in text: String) -> [(kind: Kind, range: Range<Int>)] {
        let b = Array(text.utf8)
        var out: [(Kind, Range<Int>)] = []
        var i = 0
        while i < b.count {
            if let r = accessKey(b, i) {
                out.append((.accessKeyId, r)); i = r.upperBound; continue
            }
            if let r = jwt(b, i) {
                out.append((.jwt, r)); i = r.upperBound; continue
            }
            if let r = arnAccount(b, i) {
                out.append((.accountId, r)); i = r.upperBound; continue
            }
            i += 1
        }
        return out
    }

    /// `text` with every match replaced by its kind's placeholder.
    package static func redact(_ text: String) -> String {
        let matches = find(in: text)
        guard !matches.isEmpty else { return text }
        let b = Array(text.utf8)
        var out: [UInt8] = []
        var last = 0
        for m in matches {
            out += b[last..<m.range.lowerBound]
            out += Array(m.kind.rawValue.utf8)
            last = m.range.upperBound
        }
        out += b[last...]
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Detectors

    static func isUpperAlnum(_ c: UInt8) -> Bool { (0x41...0x5A).contains(c) || (0x30...0x39).contains(c) }
    static func isBase64URL(_ c: UInt8) -> Bool {
        isUpperAlnum(c) || (0x61...0x7A).contains(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")
    }
    static func isWordByte(_ c: UInt8) -> Bool { isBase64URL(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: "/") }

    /// `AKIA`/`ASIA` + 16 uppercase letters or digits, not inside a longer word.
    static func accessKey(_ b: [UInt8], _ i: Int) -> Range<Int>? {
        guard i + 20 <= b.count, b[i] == UInt8(ascii: "A"), b[i + 2] == UInt8(ascii: "I"), b[i + 3] == UInt8(ascii: "A"),
            b[i + 1] == UInt8(ascii: "K") || b[i + 1] == UInt8(ascii: "S")
        else { return nil }
        if i > 0 && isUpperAlnum(b[i - 1]) { return nil }
        for j in i + 4..<i + 20 where !isUpperAlnum(b[j]) { return nil }
        if i + 20 < b.count && isUpperAlnum(b[i + 20]) { return nil }
        return i..<i + 20
    }

    /// `eyJ…` header, `.`, payload, `.`, optional signature: three base64url segments, the first two ≥ 8 long.
    static func jwt(_ b: [UInt8], _ i: Int) -> Range<Int>? {
        guard i + 3 <= b.count, b[i] == UInt8(ascii: "e"), b[i + 1] == UInt8(ascii: "y"), b[i + 2] == UInt8(ascii: "J") else {
            return nil
        }
        if i > 0 && isBase64URL(b[i - 1]) { return nil }
        var j = i
        var segments = 0
        var lengths: [Int] = []
        while segments < 3 {
            let start = j
            while j < b.count && isBase64URL(b[j]) { j += 1 }
            lengths.append(j - start)
            segments += 1
            guard segments < 3, j < b.count, b[j] == UInt8(ascii: ".") else { break }
            j += 1
        }
        guard lengths.count == 3, lengths[0] >= 8, lengths[1] >= 8 else { return nil }
        return i..<j
    }

    /// The 12-digit account id in `arn:<partition>:<service>:<region>:<account>:`.
    static func arnAccount(_ b: [UInt8], _ i: Int) -> Range<Int>? {
        guard i + 4 <= b.count, b[i] == UInt8(ascii: "a"), b[i + 1] == UInt8(ascii: "r"), b[i + 2] == UInt8(ascii: "n"),
            b[i + 3] == UInt8(ascii: ":")
        else { return nil }
        var j = i + 4
        for _ in 0..<3 {  // partition, service, region
            while j < b.count && b[j] != UInt8(ascii: ":") && (isBase64URL(b[j]) || b[j] == UInt8(ascii: ".")) { j += 1 }
            guard j < b.count, b[j] == UInt8(ascii: ":") else { return nil }
            j += 1
        }
        guard j + 12 <= b.count else { return nil }
        for k in j..<j + 12 where !(0x30...0x39).contains(b[k]) { return nil }
        if j + 12 < b.count && (0x30...0x39).contains(b[j + 12]) { return nil }
        return j..<j + 12
    }
}
