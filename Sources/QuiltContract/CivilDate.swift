package import FoundationEssentials

/// Proleptic Gregorian calendar arithmetic in UTC, with no calendar object or locale (Howard Hinnant's algorithms,
/// exact for every year an Int holds), and the one RFC 3339 reader. Shared by the S3 signer, the AWS date reader
/// and the catalog's dates.
package enum CivilDate {
    /// Days from 1970-01-01 to `year-month-day` (`days_from_civil`); month 1...12.
    package static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The `(year, month, day)` of a day count from 1970-01-01 (`civil_from_days`).
    package static func civil(fromDays z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    // MARK: - Date-times

    /// The instant an RFC 3339 date-time names: `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)`, `t` and `z` in either
    /// case, the date and time checked (no month 13, no February 30, no leap second); nil for anything else.
    /// - Parameter catalogForms: also what the catalog's Python writes (`isoformat()`): a space for `T`, no zone
    ///   (UTC), an offset without its colon.
    package static func dateTime(_ b: [UInt8], catalogForms: Bool) -> Date? {
        var i = 0
        guard let year = number(b, &i, digits: 4), expect(b, &i, "-"), let month = number(b, &i, digits: 2),
              expect(b, &i, "-"), let day = number(b, &i, digits: 2), i < b.count,
              b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || (catalogForms && b[i] == UInt8(ascii: " "))
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
        var offset: Int64 = 0
        if i == b.count {
            guard catalogForms else { return nil }
        } else if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign: Int64 = b[i] == UInt8(ascii: "+") ? 1 : -1
            i += 1
            guard let oh = number(b, &i, digits: 2), expect(b, &i, ":") || catalogForms, let om = number(b, &i, digits: 2),
                  oh < 24, om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        return instant(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
            .map { Date(timeIntervalSince1970: Double($0 - offset) + fraction) }
    }

    /// Seconds since 1970 for a valid UTC civil time (a leap second, `:60`, is refused), or nil.
    package static func instant(year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64) -> Int64? {
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60 else { return nil }
        return Int64(CivilDate.days(year: Int(year), month: Int(month), day: Int(day))) * 86_400 + hour * 3600 + minute * 60 + second
    }

    package static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    package static func digitValue(_ c: UInt8) -> Int64? {
        c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") ? Int64(c - UInt8(ascii: "0")) : nil
    }

    package static func number(_ b: [UInt8], _ i: inout Int, digits: Int) -> Int64? {
        guard i + digits <= b.count else { return nil }
        var value: Int64 = 0
        for k in i..<(i + digits) {
            guard let d = digitValue(b[k]) else { return nil }
            value = value * 10 + d
        }
        i += digits
        return value
    }

    package static func expect(_ b: [UInt8], _ i: inout Int, _ c: Unicode.Scalar) -> Bool {
        guard i < b.count, b[i] == UInt8(c.value) else { return false }
        i += 1
        return true
    }
}
