import QuiltJSON
import Testing

@Suite struct JSONNumberTests {
    /// JSON number text → Python `json.dumps(json.loads(text), sort_keys=True, separators=(',',':'))`.
    /// Every expected value was produced by CPython 3.11.
    static let canonicalNumberVectors: [(text: String, expected: String)] = [
        ("1", "1"),
        ("1.0", "1.0"),
        ("1.10", "1.1"),
        ("1E2", "100.0"),
        ("1e15", "1000000000000000.0"),
        ("1e16", "1e+16"),
        ("1e-5", "1e-05"),
        ("0.0001", "0.0001"),
        ("0.1", "0.1"),
        ("-0", "0"),
        ("-0.0", "-0.0"),
        ("1.5e300", "1.5e+300"),
        ("2.5e-308", "2.5e-308"),
        ("123456789012345678901234567890", "123456789012345678901234567890"),
        ("1e400", "Infinity"),
        ("-1e400", "-Infinity"),
        ("5e-324", "5e-324"),
        ("1.7976931348623157e308", "1.7976931348623157e+308"),
        ("123456789.123", "123456789.123"),
        ("0.00001234", "1.234e-05"),
        ("1e22", "1e+22"),
        ("9007199254740993", "9007199254740993"),
        ("-12.5", "-12.5"),
        ("1e-400", "0.0"),
        ("-1e-400", "-0.0"),
        ("0.30000000000000004", "0.30000000000000004"),
        ("1e0", "1.0"),
        ("12345678901234567.0", "1.2345678901234568e+16"),
        ("9223372036854775807", "9223372036854775807"),
        ("9223372036854775808", "9223372036854775808"),
        ("-9223372036854775808", "-9223372036854775808"),
        ("-9223372036854775809", "-9223372036854775809"),
        ("2e-7", "2e-07"),
        ("1.5E-10", "1.5e-10"),
        ("4.35", "4.35"),
        ("0e10", "0.0"),
        ("-0e-5", "-0.0"),
        ("100", "100"),
        ("-100000000000000000000000000000000000000000", "-100000000000000000000000000000000000000000"),
    ]

    @Test(arguments: canonicalNumberVectors)
    func canonicalNumber(_ vector: (text: String, expected: String)) throws {
        #expect(try JSONTestSupport.canonical(vector.text) == vector.expected)
        // Inside a container too (different parse path for the terminator).
        #expect(try JSONTestSupport.canonical("[\(vector.text)]") == "[\(vector.expected)]")
    }

    /// Double → Python 3 `repr(float)`.
    static let reprVectors: [(value: Double, expected: String)] = [
        (1.0, "1.0"),
        (100.0, "100.0"),
        (1e15, "1000000000000000.0"),
        (1e16, "1e+16"),
        (1e-5, "1e-05"),
        (0.0001, "0.0001"),
        (0.1, "0.1"),
        (-0.0, "-0.0"),
        (0.0, "0.0"),
        (123.456, "123.456"),
        (1.5e300, "1.5e+300"),
        (2.5e-308, "2.5e-308"),
        (Double.leastNonzeroMagnitude, "5e-324"),
        (Double.greatestFiniteMagnitude, "1.7976931348623157e+308"),
        (9007199254740992.0, "9007199254740992.0"),
        (9007199254740994.0, "9007199254740994.0"),
        (1e22, "1e+22"),
        (1e23, "1e+23"),
        (-12.5, "-12.5"),
        (0.00001234, "1.234e-05"),
        (123456789.123, "123456789.123"),
        (0.1 + 0.2, "0.30000000000000004"),
        (1.0 / 3.0, "0.3333333333333333"),
        (2.0 / 3.0, "0.6666666666666666"),
        (1234567890123456.7, "1234567890123456.8"),
        (Double.infinity, "inf"),
        (-Double.infinity, "-inf"),
        (Double.nan, "nan"),
    ]

    @Test(arguments: reprVectors)
    func pythonRepr(_ vector: (value: Double, expected: String)) {
        #expect(PythonFloat.repr(vector.value) == vector.expected)
    }

    @Test func integersStayExactAndNeverPassThroughDouble() throws {
        let value = try JSONParser.parse("9007199254740993")
        let number = try #require(value.numberValue)
        #expect(number.isInteger)
        #expect(number.int64Value == 9_007_199_254_740_993)
        #expect(number.integerText == "9007199254740993")
        #expect(value.intValue == 9_007_199_254_740_993)

        let big = try #require(try JSONParser.parse("123456789012345678901234567890").numberValue)
        #expect(big.isInteger)
        #expect(big.int64Value == nil)
        #expect(big.integerText == "123456789012345678901234567890")
        #expect(big.doubleValue == 1.2345678901234568e29)
    }

    @Test func doublesAreNotIntegers() throws {
        let number = try #require(try JSONParser.parse("1.0").numberValue)
        #expect(!number.isInteger)
        #expect(number.int64Value == nil)
        #expect(number.integerText == nil)
        #expect(number.doubleValue == 1.0)
        #expect(number != JSONNumber(1))
    }

    static let integerTextVectors: [(text: String, canonical: String?)] = [
        ("0", "0"),
        ("-0", "0"),
        ("007", "7"),
        ("-007", "-7"),
        ("-000", "0"),
        ("123456789012345678901234567890", "123456789012345678901234567890"),
        ("-9223372036854775808", "-9223372036854775808"),
        ("", nil),
        ("-", nil),
        ("+1", nil),
        ("1.0", nil),
        ("1e3", nil),
        (" 1", nil),
        ("١", nil), // Arabic-Indic digit one: not ASCII
    ]

    @Test(arguments: integerTextVectors)
    func integerText(_ vector: (text: String, canonical: String?)) {
        let number = JSONNumber(integerText: vector.text)
        #expect(number?.integerText == vector.canonical)
        if let number { #expect(number.isInteger) }
    }

    @Test func int64Boundaries() throws {
        #expect(JSONNumber(integerText: "9223372036854775807")?.int64Value == Int64.max)
        #expect(JSONNumber(integerText: "9223372036854775808")?.int64Value == nil)
        #expect(JSONNumber(integerText: "-9223372036854775808")?.int64Value == Int64.min)
        #expect(JSONNumber(integerText: "-9223372036854775809")?.int64Value == nil)
        #expect(JSONNumber(Int64.min).integerText == "-9223372036854775808")
        #expect(JSONNumber(42).integerText == "42")
    }

    @Test func equalityIsExactAndRepresentationSensitive() {
        #expect(JSONNumber(0.0) != JSONNumber(-0.0))
        #expect(JSONNumber(Double.nan) == JSONNumber(Double.nan))
        #expect(JSONNumber(1) == JSONNumber(Int64(1)))
        #expect(JSONNumber(integerText: "-0") == JSONNumber(0))
        #expect(JSONNumber(integerText: "00012") == JSONNumber(12))
        #expect(Set([JSONNumber(1), JSONNumber(Int64(1)), JSONNumber(1.0)]).count == 2)
    }

    @Test func hugeIntegerDoubleValueSaturates() throws {
        let digits = "1" + String(repeating: "0", count: 400)
        #expect(JSONNumber(integerText: digits)?.doubleValue == .infinity)
        #expect(JSONNumber(integerText: "-" + digits)?.doubleValue == -.infinity)
        // And the text survives a canonical round trip untouched.
        #expect(try JSONTestSupport.canonical(digits) == digits)
    }

    @Test func descriptionMatchesPython() {
        #expect(JSONNumber(1e16).description == "1e+16")
        #expect(JSONNumber(12).description == "12")
    }
}
