package import FoundationEssentials
import QuiltContract

/// The catalog's `Datetime` scalar: ISO-8601 text such as `2026-11-21T20:01:14+00:00`, `…Z` or with fractions.
package enum CatalogDate {
    /// Parses ISO-8601 date-times (`YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]`); nil for anything else.
    package static func parse(_ text: String?) -> Date? {
        guard let text else { return nil }
        let b = Array(text.utf8)
        func num(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var v = 0
            for c in b[from..<from + count] {
                guard (0x30...0x39).contains(c) else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            return v
        }
        guard b.count >= 19, let y = num(0, 4), b[4] == 0x2D, let mo = num(5, 2), b[7] == 0x2D, let d = num(8, 2),
            b[10] == 0x54 || b[10] == 0x20, let h = num(11, 2), b[13] == 0x3A, let mi = num(14, 2), b[16] == 0x3A,
            let s = num(17, 2)
        else { return nil }
        var i = 19
        var fraction = 0.0
        if i < b.count, b[i] == 0x2E {
            i += 1
            var scale = 0.1
            while i < b.count, (0x30...0x39).contains(b[i]) {
                fraction += Double(b[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
        }
        var offset = 0
        if i < b.count {
            if b[i] == 0x5A || b[i] == 0x7A {
                i += 1
            } else if b[i] == 0x2B || b[i] == 0x2D, let oh = num(i + 1, 2) {
                let om = (i + 3 < b.count && b[i + 3] == 0x3A) ? num(i + 4, 2) ?? 0 : num(i + 3, 2) ?? 0
                offset = (oh * 3600 + om * 60) * (b[i] == 0x2D ? -1 : 1)
                i = b.count
            } else {
                return nil
            }
        }
        let days = CivilDate.days(year: y, month: mo, day: d)
        let seconds = Double(days * 86_400 + h * 3600 + mi * 60 + s - offset) + fraction
        return Date(timeIntervalSince1970: seconds)
    }

    /// `2026-11-21T20:01:14+00:00` (Python's `isoformat()` of a UTC time without microseconds).
    package static func format(_ date: Date) -> String {
        let total = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = Int(total >= 0 ? total / 86_400 : (total - 86_399) / 86_400)
        let rest = Int(total - Int64(days) * 86_400)
        let (y, m, d) = CivilDate.civil(fromDays: days)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d))T\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))+00:00"
    }

    /// The Unix-timestamp pointer name quilt3 writes for a push at `date` (whole seconds).
    package static func pointerName(_ date: Date) -> String { String(Int64(date.timeIntervalSince1970.rounded(.down))) }
}
