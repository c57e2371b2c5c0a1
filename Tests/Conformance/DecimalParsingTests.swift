@testable import QuiltQuery
import Testing

/// The embedded engine reads decimals from a CSV field's bytes without making a string; its value must be the one
/// the standard library reads from the same text, for every shape a CSV holds.
@Suite("Embedded engine: decimals read from bytes as the standard library reads them")
struct DecimalParsingTests {
    static func read(_ text: String) -> Double {
        Array(text.utf8).withUnsafeBufferPointer { ColumnType.double(bytes: $0) }
    }

    @Test("Random decimals of every length, with signs, leading and trailing points, and exponents")
    func random() {
        var generator = SystemRandomNumberGenerator()
        var checked = 0
        for _ in 0..<50_000 {
            let whole = String(UInt64.random(in: 0...UInt64(1) << UInt64.random(in: 1...60, using: &generator), using: &generator))
            let fraction = String((0..<Int.random(in: 0...20, using: &generator)).map { _ in "0123456789".randomElement(using: &generator)! })
            var text = Bool.random(using: &generator) ? "-" : ""
            text += Int.random(in: 0..<10, using: &generator) == 0 ? "" : whole
            text += "." + fraction
            if text.hasSuffix(".") && !text.contains(where: \.isNumber) { continue }
            if Int.random(in: 0..<8, using: &generator) == 0 { text += "e\(Int.random(in: -30...30, using: &generator))" }
            let bytes = Array(text.utf8)
            guard bytes.withUnsafeBufferPointer({ ColumnType.isReal(bytes: $0) }) else { continue }
            let expected = Double(text)
            #expect(Self.read(text) == expected, "\(text)")
            checked += 1
        }
        #expect(checked > 40_000)
    }

    @Test("Edges: the largest exact mantissa, 22 fraction digits, negative zero, plain integers", arguments: [
        "999999999999999.5", "0.0000000000000000000001", "-0.0", "0", "123", "1.", ".5", "+2.25", "3.141592653589793", "1e5",
    ])
    func edges(_ text: String) {
        let value = Self.read(text)
        #expect(value == Double(text) && value.sign == Double(text)?.sign, "\(text)")
    }
}
