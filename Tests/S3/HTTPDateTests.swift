import Foundation
import QuiltContract
@testable import QuiltS3
import Testing

/// The hand-written date reader and writer, checked against Foundation's formatters (ICU) on the same instants.
@Suite("AWS dates read and written without Foundation's formatters")
struct HTTPDateTests {
    /// 2,000 instants from 1901 to 2099, spread by a fixed linear congruential sequence (same every run).
    static let instants: [Double] = {
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<2000).map { _ in
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(Int64(x >> 33) % 6_250_000_000 - 2_200_000_000)
        }
    }()

    static func foundationRFC1123(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f.string(from: date)
    }

    static func foundationISO(_ date: Date, fractional: Bool) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = fractional ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        return f.string(from: date)
    }

    @Test("Headers' RFC 1123, XML's RFC 3339 (with and without milliseconds) read to the instant Foundation wrote")
    func readsWhatFoundationWrites() throws {
        for seconds in Self.instants {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(HTTPDate.parse(Self.foundationRFC1123(date)) == date, "\(Self.foundationRFC1123(date))")
            #expect(HTTPDate.parse(Self.foundationISO(date, fractional: false)) == date)
            let withMillis = Date(timeIntervalSince1970: seconds + 0.25)
            #expect(HTTPDate.parse(Self.foundationISO(withMillis, fractional: true)) == withMillis)
        }
    }

    @Test("iso() writes what ISO8601DateFormatter writes")
    func writesWhatFoundationWrites() {
        for seconds in Self.instants {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(HTTPDate.iso(date) == Self.foundationISO(date, fractional: false))
        }
    }

    @Test("Offsets, lower-case separators, long fractions and UTC in headers", arguments: [
        ("2015-10-21T09:28:00+02:00", 1_445_412_480.0),
        ("2015-10-21T02:28:00-05:00", 1_445_412_480.0),
        ("2015-10-21t07:28:00z", 1_445_412_480.0),
        ("2015-10-21T07:28:00.123456Z", 1_445_412_480.123456),
        ("Wed, 21 Oct 2015 07:28:00 UTC", 1_445_412_480.0),
        ("2016-02-29T00:00:00Z", 1_456_704_000.0),
    ])
    func forms(text: String, seconds: Double) throws {
        let date = try #require(HTTPDate.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 1e-6)
    }

    @Test("What is no date reads as nil", arguments: [
        "", "yesterday", "2015-10-21", "2015-13-01T00:00:00Z", "2015-02-29T00:00:00Z", "2015-10-21T24:00:00Z",
        "2015-10-21T07:28:60Z", "2015-10-21T07:28:00", "2015-10-21T07:28:00.Z", "2015-10-21T07:28:00Z junk",
        "Wed, 21 Foo 2015 07:28:00 GMT", "Wed, 21 Oct 2015 07:28:00 PST", "Xyz, 21 Oct 2015 07:28:00 GMT",
        "2015-10-21T07:28:00+25:00",
    ])
    func refusals(text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }

    @Test("The catalog's forms (a space for T, no zone, an offset without its colon) read only when asked for",
          arguments: ["2026-11-21 20:01:14", "2026-11-21T20:01:14", "2026-11-21T22:01:14+0200", "2026-11-21T20:01:14.000000+00:00"])
    func catalogForms(text: String) throws {
        let date = try #require(CivilDate.dateTime(Array(text.utf8), catalogForms: true))
        #expect(date.timeIntervalSince1970 == 1_795_291_274)
        #expect(text.hasSuffix("+00:00") == (HTTPDate.parse(text) != nil))
    }
}
