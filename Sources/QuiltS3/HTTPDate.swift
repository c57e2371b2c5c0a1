import FoundationEssentials
import QuiltContract

/// The dates AWS services send: RFC 1123 in headers (`Wed, 21 Oct 2015 07:28:00 GMT`) and RFC 3339 in XML and JSON
/// (`2015-10-21T07:28:00.000Z`, `2015-10-21T09:28:00+02:00`). Read by hand, in UTC, with no locale or calendar
/// (Foundation's formatters would load ICU; see docs/design/shipped-binary.md).
enum HTTPDate {
    /// The instant `text` names, or nil when it is empty or in neither form.
    static func parse(_ text: String?) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        let bytes = Array(text.utf8)
        return rfc3339(bytes) ?? rfc1123(bytes)
    }

    /// `2015-10-21T07:28:00Z`: RFC 3339 in UTC, whole seconds.
    static func iso(_ date: Date) -> String {
        let seconds = Int64((date.timeIntervalSince1970).rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let inDay = seconds - days * 86_400
        let (y, m, d) = CivilDate.civil(fromDays: Int(days))
        func two<I: BinaryInteger>(_ n: I) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let year = y < 0 ? "-\(String(-y))" : String(repeating: "0", count: max(0, 4 - String(y).count)) + String(y)
        return "\(year)-\(two(m))-\(two(d))T\(two(inDay / 3600)):\(two(inDay % 3600 / 60)):\(two(inDay % 60))Z"
    }

    // MARK: - Forms

    /// `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)`; `t` and `z` accepted in either case.
    static func rfc3339(_ b: [UInt8]) -> Date? {
        var i = 0
        guard let year = number(b, &i, digits: 4), expect(b, &i, "-"), let month = number(b, &i, digits: 2),
              expect(b, &i, "-"), let day = number(b, &i, digits: 2), i < b.count, b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t")
        else { return nil }
        i += 1
        guard let hour = number(b, &i, digits: 2), expect(b, &i, ":"), let minute = number(b, &i, digits: 2),
              expect(b, &i, ":"), let second = number(b, &i, digits: 2) else { return nil }
        var fraction = 0.0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            let start = i
            while i < b.count, let digit = digitValue(b[i]) {
                fraction += Double(digit) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        guard i < b.count else { return nil }
        var offset: Int64 = 0
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign: Int64 = b[i] == UInt8(ascii: "+") ? 1 : -1
            i += 1
            guard let oh = number(b, &i, digits: 2), expect(b, &i, ":"), let om = number(b, &i, digits: 2),
                  oh < 24, om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        return instant(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
            .map { Date(timeIntervalSince1970: Double($0 - offset) + fraction) }
    }

    /// `Wed, 21 Oct 2015 07:28:00 GMT` (the weekday is read but not checked against the date, as HTTP allows).
    static func rfc1123(_ b: [UInt8]) -> Date? {
        var i = 0
        guard b.count >= 4, weekdays.contains(Array(b[0..<3])) else { return nil }
        i = 3
        guard expect(b, &i, ","), expect(b, &i, " "), let day = number(b, &i, digits: 2), expect(b, &i, " "),
              i + 3 <= b.count, let monthIndex = months.firstIndex(of: Array(b[i..<(i + 3)])) else { return nil }
        i += 3
        guard expect(b, &i, " "), let year = number(b, &i, digits: 4), expect(b, &i, " "),
              let hour = number(b, &i, digits: 2), expect(b, &i, ":"), let minute = number(b, &i, digits: 2),
              expect(b, &i, ":"), let second = number(b, &i, digits: 2), expect(b, &i, " ") else { return nil }
        let zone = Array(b[i...])
        guard zone == Array("GMT".utf8) || zone == Array("UTC".utf8) else { return nil }
        return instant(year: year, month: Int64(monthIndex + 1), day: day, hour: hour, minute: minute, second: second)
            .map { Date(timeIntervalSince1970: Double($0)) }
    }

    // MARK: - Arithmetic

    static let weekdays: [[UInt8]] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].map { Array($0.utf8) }
    static let months: [[UInt8]] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        .map { Array($0.utf8) }

    /// Seconds since 1970 for a valid UTC civil time (a leap second, `:60`, is refused), or nil.
    static func instant(year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64) -> Int64? {
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60 else { return nil }
        return Int64(CivilDate.days(year: Int(year), month: Int(month), day: Int(day))) * 86_400 + hour * 3600 + minute * 60 + second
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func digitValue(_ c: UInt8) -> Int64? {
        c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") ? Int64(c - UInt8(ascii: "0")) : nil
    }

    static func number(_ b: [UInt8], _ i: inout Int, digits: Int) -> Int64? {
        guard i + digits <= b.count else { return nil }
        var value: Int64 = 0
        for k in i..<(i + digits) {
            guard let d = digitValue(b[k]) else { return nil }
            value = value * 10 + d
        }
        i += digits
        return value
    }

    static func expect(_ b: [UInt8], _ i: inout Int, _ c: Unicode.Scalar) -> Bool {
        guard i < b.count, b[i] == UInt8(c.value) else { return false }
        i += 1
        return true
    }
}
