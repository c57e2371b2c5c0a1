package import FoundationEssentials
import QuiltContract

/// The catalog's `Datetime` scalar: ISO-8601 text such as `2026-11-21T20:01:14+00:00`, `…Z` or with fractions.
package enum CatalogDate {
    /// Parses ISO-8601 date-times (`YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]`, or with a space, no zone or `±HHMM`); nil otherwise.
    package static func parse(_ text: String?) -> Date? {
        guard let text else { return nil }
        return CivilDate.dateTime(Array(text.utf8), catalogForms: true)
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
