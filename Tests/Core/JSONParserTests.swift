import QuiltJSON
import Testing

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser.parse(#" { "a" : [ 1 , -2.5 , true , false , null , "s" , { } , [ ] ] } "#)
        let expected: JSONValue = ["a": [1, -2.5, true, false, nil, "s", .object(JSONObject()), []]]
        #expect(value == expected)
    }

    @Test func keepsObjectMemberOrder() throws {
        let object = try #require(try JSONParser.parse(#"{"z":1,"a":2,"m":3}"#).objectValue)
        #expect(object.keys == ["z", "a", "m"])
    }

    @Test func allEntryPointsAgree() throws {
        let text = #"{"k":["v",1,2.5]}"#
        let fromString = try JSONParser.parse(text)
        let fromBytes = try JSONParser.parse(Array(text.utf8))
        let fromSlice = try JSONParser.parse(Array(("xx" + text).utf8)[2...])
        let fromView = try JSONParser.parse(text.utf8)
        let fromBuffer = try Array(text.utf8).withUnsafeBytes { buffer in try JSONParser.parse(buffer) }
        // A non-contiguous collection takes the copying path.
        let fromLazy = try JSONParser.parse(text.utf8.lazy.map { $0 })
        for other in [fromBytes, fromSlice, fromView, fromBuffer, fromLazy] { #expect(other == fromString) }
    }

    /// Escapes and their decoded scalars.
    static let stringVectors: [(json: String, decoded: String)] = [
        (#""plain""#, "plain"),
        (#""""#, ""),
        (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{8}\u{C}\n\r\t"),
        (#""\u0041\u00e9\u00E9""#, "Aéé"),
        (#""\ud83d\ude00""#, "😀"),
        (#""\uD83D\uDE00""#, "😀"),
        (#""a\u0000b""#, "a\u{0}b"),
        (#""ünï çødé 日本 😀""#, "ünï çødé 日本 😀"),
        (#""\u007f""#, "\u{7F}"),
        (#""e\u0301""#, "e\u{301}"),
        // Lone surrogates (Python keeps them; Swift strings cannot): U+FFFD.
        (#""\ud800""#, "\u{FFFD}"),
        (#""\udc00x""#, "\u{FFFD}x"),
        (#""\ud800\u0041""#, "\u{FFFD}A"),
        (#""\ude00\ud83d""#, "\u{FFFD}\u{FFFD}"),
        (#""\ud83d\ud83d\ude00""#, "\u{FFFD}😀"),
        // The 16-byte quilt3 hash type is returned as a shared literal; near misses are not.
        (#""sha2-256-chunked""#, "sha2-256-chunked"),
        (#""sha2-256-chunkeD""#, "sha2-256-chunkeD"),
        (#""Sha2-256-chunked""#, "Sha2-256-chunked"),
        (#""sha2-256-chunked!""#, "sha2-256-chunked!"),
        (#""long string with more than eight bytes and an escape at the end\n""#,
         "long string with more than eight bytes and an escape at the end\n"),
    ]

    @Test(arguments: stringVectors)
    func decodesStrings(_ vector: (json: String, decoded: String)) throws {
        let value = try JSONParser.parse(vector.json)
        let decoded = try #require(value.stringValue)
        // Compare scalars, not Swift's canonically-equivalent String ==.
        #expect(Array(decoded.unicodeScalars) == Array(vector.decoded.unicodeScalars))
    }

    @Test func distinguishesCanonicallyEquivalentKeys() throws {
        // "é" precomposed and decomposed are equal Swift Strings but different JSON keys.
        let object = try #require(try JSONParser.parse(#"{"\u00e9":1,"e\u0301":2}"#).objectValue)
        #expect(object.count == 2)
        #expect(object["\u{E9}"] == 1)
        #expect(object["e\u{301}"] == 2)
    }

    @Test func duplicateKeysKeepFirstPositionAndLastValue() throws {
        let value = try JSONParser.parse(#"{"a":1,"b":2,"a":3}"#)
        #expect(JSONTestSupport.canonical(value) == #"{"a":3,"b":2}"#)
        #expect(try JSONTestSupport.manifest(value) == #"{"a": 3, "b": 2}"#)
        // Same rule in a large (hash-indexed) object.
        let members = (0..<20).map { #""k\#($0)":\#($0)"# }.joined(separator: ",")
        let large = try #require(try JSONParser.parse("{\(members),\"k3\":\"last\"}").objectValue)
        #expect(large.count == 20)
        #expect(large.keys[3] == "k3")
        #expect(large["k3"] == "last")
    }

    @Test func acceptsSurroundingWhitespaceOnly() throws {
        #expect(try JSONParser.parse(" \t\r\n 1 \t\r\n ") == 1)
        #expect(try JSONParser.parse("\"x\"\n") == "x")
    }

    @Test func deepNestingUpToTheLimitParses() throws {
        let depth = JSONParser.maximumDepth
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        var value = try JSONParser.parse(text)
        var levels = 1
        while case .array(let inner) = value, let first = inner.first {
            value = first
            levels += 1
        }
        #expect(levels == depth)
    }

    @Test func deeperNestingIsAnErrorNotACrash() throws {
        let depth = JSONParser.maximumDepth + 1
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let error = try #require(JSONTestSupport.parseError(text))
        #expect(error.offset == JSONParser.maximumDepth)
        #expect(error.message.contains("nesting too deep"))
        // Far deeper input fails the same way, quickly.
        let objects = String(repeating: #"{"a":"#, count: 100_000)
        #expect(JSONTestSupport.parseError(objects)?.message.contains("nesting too deep") == true)
    }

    /// Invalid documents: the byte offset of the error and a fragment of its message.
    static let errorVectors: [(json: String, offset: Int, message: String)] = [
        ("", 0, "expected a JSON value"),
        ("   ", 3, "expected a JSON value"),
        ("[1,]", 3, "expected a JSON value"),
        (#"{"a":1,}"#, 7, "expected '\"' to begin an object key"),
        ("{'a':1}", 1, "expected '\"' to begin an object key"),
        ("['a']", 1, "expected a JSON value"),
        (#"{"a" 1}"#, 5, "expected ':' after object key"),
        (#"{"a":1 "b":2}"#, 7, "expected ',' or '}' after object member"),
        ("[1 2]", 3, "expected ',' or ']' after array element"),
        ("[1", 2, "expected ',' or ']' after array element, found end of input"),
        (#"{"a":1"#, 6, "expected ',' or '}' after object member, found end of input"),
        ("01", 1, "leading zeros"),
        ("-01", 2, "leading zeros"),
        ("1.", 2, "expected a digit after '.'"),
        (".5", 0, "expected a JSON value"),
        ("1e", 2, "expected a digit in the exponent"),
        ("1e+", 3, "expected a digit in the exponent"),
        ("-", 1, "expected a digit after '-'"),
        ("-a", 1, "expected a digit after '-'"),
        ("+1", 0, "expected a JSON value"),
        ("NaN", 0, "expected a JSON value"),
        ("Infinity", 0, "expected a JSON value"),
        ("nul", 0, "invalid literal"),
        ("tru", 0, "invalid literal"),
        ("falsy", 0, "invalid literal"),
        ("1 2", 2, "expected end of input after the JSON value"),
        ("{} x", 3, "expected end of input after the JSON value"),
        ("\"abc", 0, "unterminated string"),
        ("\"abc\\", 5, "unterminated string"),
        ("\"a\nb\"", 2, "unescaped control character U+000A"),
        ("\"a\tb\"", 2, "unescaped control character U+0009"),
        ("\"\u{0}\"", 1, "unescaped control character U+0000"),
        (#""\x""#, 2, "invalid escape"),
        (#""\'""#, 2, "invalid escape"),
        (#""\u12""#, 5, "expected 4 hex digits"),
        (#""\u12G4""#, 5, "expected 4 hex digits"),
        (#""\ud800\uZZZZ""#, 9, "expected 4 hex digits"),
        ("[1,2", 4, "found end of input"),
        ("/* c */ 1", 0, "expected a JSON value"),
        ("\u{FEFF}1", 0, "expected a JSON value"),
    ]

    @Test(arguments: errorVectors)
    func rejectsInvalidDocuments(_ vector: (json: String, offset: Int, message: String)) throws {
        let error = try #require(JSONTestSupport.parseError(vector.json))
        #expect(error.offset == vector.offset)
        #expect(error.message.contains(vector.message), "message was: \(error.message)")
        #expect(error.description.hasPrefix("JSON parse error at byte \(vector.offset): "))
    }

    /// Invalid UTF-8 inside strings: bytes and the offset of the offending byte.
    static let invalidUTF8Vectors: [(bytes: [UInt8], offset: Int)] = [
        ([0x22, 0xFF, 0x22], 1),                    // never valid
        ([0x22, 0xC0, 0xAF, 0x22], 1),              // overlong lead byte
        ([0x22, 0xE0, 0x80, 0xAF, 0x22], 2),        // overlong 3-byte
        ([0x22, 0xED, 0xA0, 0x80, 0x22], 2),        // encoded surrogate U+D800
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 2),  // above U+10FFFF
        ([0x22, 0xC3, 0x22], 2),                    // truncated before the quote
        ([0x22, 0x61, 0x80, 0x22], 2),              // stray continuation byte
        ([0x22, 0x5C, 0x6E, 0xFF, 0x22], 3),        // after an escape (slow path)
        ([0x22, 0xE2, 0x82], 3),                    // truncated at end of input
    ]

    @Test(arguments: invalidUTF8Vectors)
    func rejectsInvalidUTF8(_ vector: (bytes: [UInt8], offset: Int)) throws {
        do {
            _ = try JSONParser.parse(vector.bytes)
            Issue.record("expected an error")
        } catch {
            #expect(error.offset == vector.offset)
            #expect(error.message.contains("UTF-8"))
        }
    }

    @Test func rawBufferOfZeroBytesIsAnError() {
        #expect(throws: JSONParseError(offset: 0, message: "expected a JSON value, found end of input")) {
            try JSONParser.parse(UnsafeRawBufferPointer(start: nil, count: 0))
        }
    }

    @Test func longStringsCrossTheWordAtATimeScanner() throws {
        // Every position of a quote, backslash, control or non-ASCII byte relative to 8-byte words.
        for position in 0..<17 {
            let prefix = String(repeating: "x", count: position)
            #expect(try JSONParser.parse("\"\(prefix)\\n\(prefix)\"") == .string(prefix + "\n" + prefix))
            #expect(try JSONParser.parse("\"\(prefix)é\(prefix)\"") == .string(prefix + "é" + prefix))
            #expect(JSONTestSupport.parseError("\"\(prefix)\u{1}\(prefix)\"")?.offset == position + 1)
        }
    }
}
