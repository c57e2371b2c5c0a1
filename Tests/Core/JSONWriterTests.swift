import QuiltJSON
import Testing

@Suite struct JSONWriterTests {
    @Test func compactKeepsOrderAndRawUTF8() {
        let value: JSONValue = ["z": "ünï/😀", "a": [1, 2.5, nil, true], "path": "a/b", "ctl": "\n\u{1}\u{7F}"]
        #expect(JSONWriter.compact(value) == "{\"z\":\"ünï/😀\",\"a\":[1,2.5,null,true],\"path\":\"a/b\",\"ctl\":\"\\n\\u0001\u{7F}\"}")
    }

    @Test func nonFiniteDoublesBecomeNull() {
        let value: JSONValue = [.number(JSONNumber(Double.nan)), .number(JSONNumber(Double.infinity)), .number(JSONNumber(-Double.infinity)), 1e16]
        #expect(JSONWriter.compact(value) == "[null,null,null,1e+16]")
        #expect(JSONWriter.pretty(value) == "[\n  null,\n  null,\n  null,\n  1e+16\n]")
    }

    @Test func prettyIndentsTwoSpacesWithInlineEmptyContainers() {
        let value: JSONValue = ["name": "pkg", "tags": ["a", "b"], "meta": [:], "list": [], "nested": ["x": [["y": 1]]]]
        let expected = """
        {
          "name": "pkg",
          "tags": [
            "a",
            "b"
          ],
          "meta": {},
          "list": [],
          "nested": {
            "x": [
              {
                "y": 1
              }
            ]
          }
        }
        """
        #expect(JSONWriter.pretty(value) == expected)
    }

    @Test func scalarsAtTheTop() {
        #expect(JSONWriter.pretty("x") == #""x""#)
        #expect(JSONWriter.compact(nil) == "null")
        #expect(JSONWriter.pretty([]) == "[]")
        #expect(JSONWriter.compact(.object(JSONObject())) == "{}")
    }

    @Test func writerOutputParsesBack() throws {
        let value: JSONValue = ["k": ["ünï", 1, -2.5, ["deep": [true, false, nil]]], "big": .number(JSONNumber(integerText: "123456789012345678901234567890") ?? 0)]
        #expect(try JSONParser.parse(JSONWriter.compact(value)) == value)
        #expect(try JSONParser.parse(JSONWriter.pretty(value)) == value)
    }
}
