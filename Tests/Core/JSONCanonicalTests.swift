import QuiltJSON
import Testing

@Suite struct JSONCanonicalTests {
    /// String → Python `json.dumps(s, ensure_ascii=True)` (verified with CPython 3.11).
    static let stringVectors: [(string: String, expected: String)] = [
        ("plain", #""plain""#),
        ("", #""""#),
        ("ünï", #""\u00fcn\u00ef""#),
        ("çødé", #""\u00e7\u00f8d\u00e9""#),
        ("😀", #""\ud83d\ude00""#),
        ("\u{10FFFF}", #""\udbff\udfff""#),
        ("\u{7F}", #""\u007f""#),
        ("~", #""~""#),
        ("a\"b\\c", #""a\"b\\c""#),
        ("\n\r\t\u{8}\u{C}", #""\n\r\t\b\f""#),
        ("\u{0}\u{1}\u{1F}", #""\u0000\u0001\u001f""#),
        ("/", #""/""#),
        ("\u{2028}", #""\u2028""#),
        ("\u{FFFF}", #""\uffff""#),
        ("\u{E9}", #""\u00e9""#),
        ("e\u{301}", #""e\u0301""#),
        ("日本", #""\u65e5\u672c""#),
        ("a long ascii run, then ü, then more ascii text", #""a long ascii run, then \u00fc, then more ascii text""#),
    ]

    @Test(arguments: stringVectors)
    func escapesStringsAsPythonEnsureASCII(_ vector: (string: String, expected: String)) {
        #expect(JSONTestSupport.canonical(.string(vector.string)) == vector.expected)
        // Keys use the same escaping.
        #expect(JSONTestSupport.canonical([vector.string: 1]) == "{\(vector.expected):1}")
    }

    @Test func outputIsPureASCII() throws {
        let bytes = CanonicalJSON.encode(["ünï": ["çødé", "😀", "\u{7F}"]])
        #expect(bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F })
    }

    @Test func unicodeObjectMatchesPython() {
        #expect(JSONTestSupport.canonical(["ünï": "çødé"]) == #"{"\u00fcn\u00ef":"\u00e7\u00f8d\u00e9"}"#)
    }

    @Test func sortsKeysByCodePointNotSwiftStringOrder() {
        // Python: {"B":3,"a":2,"b":1,"\u00e9":4}
        #expect(JSONTestSupport.canonical(["b": 1, "a": 2, "B": 3, "é": 4]) == #"{"B":3,"a":2,"b":1,"\u00e9":4}"#)
        // "B" < "a" < "b" < "é" < U+FFFF < 😀 (a UTF-16 sort would put 😀 before U+FFFF).
        let value: JSONValue = ["😀": 1, "\u{FFFF}": 2, "é": 3, "b": 4, "a": 5, "B": 6]
        #expect(JSONTestSupport.canonical(value) == #"{"B":6,"a":5,"b":4,"\u00e9":3,"\uffff":2,"\ud83d\ude00":1}"#)
        // Prefixes sort first; shared 8-byte prefixes still compare in full.
        let prefixed: JSONValue = ["abcdefghZ": 1, "abcdefgh": 2, "abcdefghA": 3, "a": 4, "": 5]
        #expect(JSONTestSupport.canonical(prefixed) == #"{"":5,"a":4,"abcdefgh":2,"abcdefghA":3,"abcdefghZ":1}"#)
        // Decomposed "e\u0301" sorts by its scalars ("e" < "é"), not as the equal Swift String "é".
        let decomposed: JSONValue = ["\u{E9}": 1, "e\u{301}": 2, "f": 3]
        #expect(JSONTestSupport.canonical(decomposed) == #"{"e\u0301":2,"f":3,"\u00e9":1}"#)
    }

    @Test func sortsLargeObjects() throws {
        // More than 32 keys takes the general sort path.
        let keys = (0..<100).map { "key\(($0 * 37) % 100)" }
        let object = JSONObject(keys.map { ($0, JSONValue.number(JSONNumber(Int($0.dropFirst(3)) ?? -1))) })
        let encoded = JSONTestSupport.canonical(.object(object))
        let expectedKeys = keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let expected = "{" + expectedKeys.map { #""\#($0)":\#($0.dropFirst(3))"# }.joined(separator: ",") + "}"
        #expect(encoded == expected)
    }

    @Test func writesPythonSpellingsOfSpecialValues() {
        #expect(JSONTestSupport.canonical([nil, true, false]) == "[null,true,false]")
        #expect(JSONTestSupport.canonical(.number(JSONNumber(Double.nan))) == "NaN")
        #expect(JSONTestSupport.canonical(.number(JSONNumber(Double.infinity))) == "Infinity")
        #expect(JSONTestSupport.canonical(.number(JSONNumber(-Double.infinity))) == "-Infinity")
        #expect(JSONTestSupport.canonical([[], .object(JSONObject()), [[]]]) == "[[],{},[[]]]")
    }

    @Test func quilt3CanonicalLineRoundTripsByteForByte() throws {
        let line = #"{"message":"first revision","user_meta":{"author":"alice","f":0.1,"n":1,"nested":{"a":1,"b":2},"tags":["x","y"]},"version":"v0"}"#
        #expect(try JSONTestSupport.canonical(line) == line)
    }

    @Test func appendAddsToExistingBytes() {
        var out: [UInt8] = Array("prefix:".utf8)
        CanonicalJSON.append(["b": 1, "a": [true]], to: &out)
        #expect(String(decoding: out, as: UTF8.self) == #"prefix:{"a":[true],"b":1}"#)
    }

    @Test func outputLargerThanTheFirstBufferGrows() {
        let big = String(repeating: "ü", count: 5000)
        let value: JSONValue = [.string(big), .string(big)]
        let expectedString = "\"" + String(repeating: "\\u00fc", count: 5000) + "\""
        #expect(JSONTestSupport.canonical(value) == "[\(expectedString),\(expectedString)]")
    }

    @Test func twentyThousandManifestLinesParseAndReencode() throws {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        var manifestOut: [UInt8] = []
        manifestOut.reserveCapacity(512)
        for i in 0..<20_000 {
            let line = JSONTestSupport.manifestLine(i)
            let value = try JSONParser.parse(line)
            out.removeAll(keepingCapacity: true)
            CanonicalJSON.append(value, to: &out)
            manifestOut.removeAll(keepingCapacity: true)
            try ManifestJSON.append(value, to: &manifestOut)
            guard out.elementsEqual(JSONTestSupport.canonicalManifestLine(i).utf8),
                  manifestOut.elementsEqual(line.utf8) else {
                Issue.record("line \(i) did not round-trip: \(String(decoding: out, as: UTF8.self))")
                return
            }
        }
    }
}
