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
    static func rfc3339(_ b: [UInt8]) -> Date? { CivilDate.dateTime(b, catalogForms: false) }

    /// `Wed, 21 Oct 2015 07:28:00 GMT` (the weekday is read but not checked against the date, as HTTP allows).
    static func rfc1123(_ b: [UInt8]) -> Date? {
        var i = 0
        guard b.count >= 4, weekdays.contains(Array(b[0..<3])) else { return nil }
        i = 3
        guard CivilDate.expect(b, &i, ","), CivilDate.expect(b, &i, " "), let day = CivilDate.number(b, &i, digits: 2), CivilDate.expect(b, &i, " "),
              i + 3 <= b.count, let monthIndex = months.firstIndex(of: Array(b[i..<(i + 3)])) else { return nil }
        i += 3
        guard CivilDate.expect(b, &i, " "), let year = CivilDate.number(b, &i, digits: 4), CivilDate.expect(b, &i, " "),
              let hour = CivilDate.number(b, &i, digits: 2), CivilDate.expect(b, &i, ":"), let minute = CivilDate.number(b, &i, digits: 2),
              CivilDate.expect(b, &i, ":"), let second = CivilDate.number(b, &i, digits: 2), CivilDate.expect(b, &i, " ") else { return nil }
        let zone = Array(b[i...])
        guard zone == Array("GMT".utf8) || zone == Array("UTC".utf8) else { return nil }
        return CivilDate.instant(year: year, month: Int64(monthIndex + 1), day: day, hour: hour, minute: minute, second: second)
            .map { Date(timeIntervalSince1970: Double($0)) }
    }

    // MARK: - Names

    static let weekdays: [[UInt8]] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].map { Array($0.utf8) }
    static let months: [[UInt8]] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        .map { Array($0.utf8) }
}
