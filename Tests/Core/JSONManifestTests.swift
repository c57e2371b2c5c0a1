import QuiltJSON
import Testing

@Suite struct JSONManifestTests {
    /// String → Python `json.dumps(s, ensure_ascii=False)` (verified with CPython 3.11).
    static let stringVectors: [(string: String, expected: String)] = [
        ("plain", #""plain""#),
        ("ünï", #""ünï""#),
        ("😀", #""😀""#),
        ("\u{7F}", "\"\u{7F}\""),
        ("\u{2028}\u{2029}", "\"\u{2028}\u{2029}\""),
        ("a\"b\\c", #""a\"b\\c""#),
        ("\n\r\t\u{8}\u{C}", #""\n\r\t\b\f""#),
        ("\u{0}\u{1}\u{1B}\u{1F}", #""\u0000\u0001\u001b\u001f""#),
        ("/", #""/""#),
        ("e\u{301}", "\"e\u{301}\""),
        ("control \u{1} after eight bytes", #""control \u0001 after eight bytes""#),
    ]

    @Test(arguments: stringVectors)
    func escapesStringsAsPythonEnsureASCIIFalse(_ vector: (string: String, expected: String)) throws {
        let bytes = try ManifestJSON.encode(.string(vector.string))
        #expect(bytes.elementsEqual(vector.expected.utf8))
    }

    @Test func manifestHeaderMatchesPythonBytes() throws {
        let value: JSONValue = ["version": "v0", "user_meta": ["ünï": 1.5], "message": nil]
        #expect(try JSONTestSupport.manifest(value) == #"{"version": "v0", "user_meta": {"ünï": 1.5}, "message": null}"#)
    }

    @Test func separatorsAndEmptyContainers() throws {
        let value: JSONValue = ["a": [1, 2, [], .object(JSONObject())], "b": ["c": true, "d": false]]
        #expect(try JSONTestSupport.manifest(value) == #"{"a": [1, 2, [], {}], "b": {"c": true, "d": false}}"#)
    }

    static let nonFinite: [Double] = [.nan, .infinity, -.infinity]

    @Test(arguments: nonFinite)
    func nonFiniteDoublesThrow(_ value: Double) throws {
        #expect(throws: JSONEncodingError.self) {
            try ManifestJSON.encode(["nested": [.number(JSONNumber(value))]])
        }
    }

    @Test func parsedOverflowThrowsAndLeavesOutputUntouched() throws {
        let value = try JSONParser.parse("[1, 1e400]")
        var out: [UInt8] = Array("keep".utf8)
        do {
            try ManifestJSON.append(value, to: &out)
            Issue.record("expected JSONEncodingError")
        } catch {
            #expect(error.message == "Out of range float values are not JSON compliant: inf")
        }
        #expect(out == Array("keep".utf8))
    }

    static let roundTripValues: [JSONValue] = [
        ["ünï": "çødé", "😀": ["nested": [[1, [2, [3]]], []]], "e\u{301}": 1, "\u{E9}": 2],
        ["escapes": "\"\\/\n\r\t\u{8}\u{C}\u{0}\u{1F}\u{7F}\u{2028}"],
        [.number(JSONNumber(integerText: "123456789012345678901234567890") ?? 0),
         .number(JSONNumber(integerText: "-98765432109876543210") ?? 0), 9_007_199_254_740_993],
        [0.1, -0.0, 1e16, 1e-5, .number(JSONNumber(Double.leastNonzeroMagnitude)), 1.7976931348623157e308, 123456789.123, 1.0, 100.0],
        ["z": nil, "a": true, "m": false, "": ""],
        "just a string",
        42,
        [],
    ]

    @Test(arguments: roundTripValues)
    func parsingTheManifestEncodingGivesBackTheValue(_ value: JSONValue) throws {
        let encoded = try ManifestJSON.encode(value)
        let reparsed = try JSONParser.parse(encoded)
        #expect(reparsed == value)
        // And the canonical bytes survive the trip too.
        #expect(CanonicalJSON.encode(reparsed) == CanonicalJSON.encode(value))
    }
}
