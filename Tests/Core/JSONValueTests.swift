import QuiltJSON
import Testing

@Suite struct JSONValueTests {
    @Test func literalsBuildTheExpectedCases() {
        let value: JSONValue = ["n": nil, "b": true, "i": 3, "d": 2.5, "s": "x", "a": [1, "two"], "o": ["k": "v"]]
        guard case .object(let object) = value else {
            Issue.record("expected an object")
            return
        }
        #expect(object.keys == ["n", "b", "i", "d", "s", "a", "o"])
        #expect(object["n"] == .null)
        #expect(object["b"] == .bool(true))
        #expect(object["i"] == .number(JSONNumber(3)))
        #expect(object["d"] == .number(JSONNumber(2.5)))
        #expect(object["s"] == .string("x"))
        #expect(object["a"] == .array([.number(JSONNumber(1)), .string("two")]))
        #expect(object["o"] == .object(JSONObject([("k", .string("v"))])))
        let integralDouble: JSONValue = 1.0
        #expect(integralDouble != 1)
    }

    @Test func convenienceAccessors() {
        let value: JSONValue = ["s": "text", "b": false, "i": 7, "d": 0.5, "a": [10, 20], "o": [:], "n": nil]
        #expect(value["s"]?.stringValue == "text")
        #expect(value["b"]?.boolValue == false)
        #expect(value["i"]?.intValue == 7)
        #expect(value["i"]?.doubleValue == 7.0)
        #expect(value["d"]?.doubleValue == 0.5)
        #expect(value["d"]?.intValue == nil)
        #expect(value["a"]?[1] == 20)
        #expect(value["a"]?[2] == nil)
        #expect(value["a"]?[-1] == nil)
        #expect(value["a"]?.arrayValue?.count == 2)
        #expect(value["o"]?.objectValue?.isEmpty == true)
        #expect(value["n"]?.isNull == true)
        #expect(value["missing"] == nil)
        #expect(value["s"]?["anything"] == nil)
        #expect(value[0] == nil)
        #expect(value["s"]?.intValue == nil)
        #expect(value["i"]?.stringValue == nil)
        #expect(value.isNull == false)
    }

    static let intValueVectors: [(value: JSONValue, expected: Int?)] = [
        (5, 5),
        (5.0, 5),
        (-0.0, 0),
        (5.5, nil),
        (.number(JSONNumber(Double.nan)), nil),
        (.number(JSONNumber(Double.infinity)), nil),
        (.number(JSONNumber(9.3e18)), nil),
        (.number(JSONNumber(-9.223372036854775808e18)), Int.min),
        (.number(JSONNumber(Int64.max)), Int.max),
        (.number(JSONNumber(integerText: "9223372036854775808") ?? 0), nil),
        ("5", nil),
    ]

    @Test(arguments: intValueVectors)
    func intValueIsExactOnly(_ vector: (value: JSONValue, expected: Int?)) {
        #expect(vector.value.intValue == vector.expected)
    }

    @Test func objectMutationFollowsPythonDictSemantics() {
        var object: JSONObject = ["a": 1, "b": 2]
        object["a"] = 10            // existing key: same position
        object["c"] = 3             // new key: appended
        #expect(object.keys == ["a", "b", "c"])
        #expect(object["a"] == 10)
        object["b"] = nil           // nil removes
        #expect(object.keys == ["a", "c"])
        object["n"] = .null         // .null stores JSON null
        #expect(object["n"] == .null)
        #expect(object.count == 3)
        #expect(object.removeValue(forKey: "a") == 10)
        #expect(object.removeValue(forKey: "a") == nil)
        #expect(object.keys == ["c", "n"])
        #expect(!object.isEmpty)
        #expect(JSONObject().isEmpty)
    }

    @Test func initWithDuplicatePairsKeepsFirstPositionLastValue() {
        let object = JSONObject([("a", 1), ("b", 2), ("a", 3)])
        #expect(object.keys == ["a", "b"])
        #expect(object["a"] == 3)
        let literal: JSONValue = ["x": 1, "y": 2, "x": 3]
        #expect(JSONTestSupport.canonical(literal) == #"{"x":3,"y":2}"#)
    }

    @Test func largeObjectsStayConsistentThroughMutation() {
        var object = JSONObject()
        for i in 0..<50 { object["k\(i)"] = .number(JSONNumber(i)) }
        #expect(object.count == 50)
        #expect(object["k42"] == 42)
        for i in stride(from: 0, to: 50, by: 2) { object["k\(i)"] = nil }
        #expect(object.count == 25)
        #expect(object["k41"] == 41)
        #expect(object["k42"] == nil)
        object["k41"] = "updated"
        #expect(object.keys.firstIndex(of: "k41") == 20)
        #expect(object["k41"] == "updated")
        for i in stride(from: 1, to: 50, by: 2) where i != 41 { object["k\(i)"] = nil }
        #expect(object.keys == ["k41"])
        // Keys compare by scalars in the indexed path too.
        for i in 0..<10 { object["pad\(i)"] = nil; object["pad\(i)"] = 0 }
        object["\u{E9}"] = 1
        object["e\u{301}"] = 2
        #expect(object["\u{E9}"] == 1)
        #expect(object["e\u{301}"] == 2)
    }

    @Test func iterationIsInOrder() {
        let object: JSONObject = ["z": 1, "a": 2]
        var seen: [String] = []
        for (key, value) in object {
            seen.append("\(key)=\(value)")
        }
        #expect(seen == ["z=1", "a=2"])
        #expect(object.values == [1, 2])
    }

    @Test func equalityIsStructuralAndOrderSensitive() {
        let ab: JSONValue = ["a": 1, "b": [1, 2]]
        let ba: JSONValue = ["b": [1, 2], "a": 1]
        #expect(ab != ba)
        #expect(ab.isEquivalent(to: ba))
        #expect(ab == ["a": 1, "b": [1, 2]])
        #expect(!ab.isEquivalent(to: ["a": 1, "b": [2, 1]]))
        #expect(!ab.isEquivalent(to: ["a": 1.0, "b": [1, 2]]))
        #expect(!ab.isEquivalent(to: ["a": 1]))
        let nested: JSONValue = [["x": ["p": 1, "q": 2]]]
        #expect(nested.isEquivalent(to: [["x": ["q": 2, "p": 1]]]))
    }

    @Test func stringsCompareByScalarsNotCanonicalEquivalence() {
        let precomposed: JSONValue = "\u{E9}"
        let decomposed: JSONValue = "e\u{301}"
        #expect(precomposed != decomposed)
        #expect(!precomposed.isEquivalent(to: decomposed))
        #expect(Set([precomposed, decomposed]).count == 2)
    }

    @Test func hashingAgreesWithEquality() {
        let values: [JSONValue] = [["a": 1, "b": 2], ["b": 2, "a": 1], ["a": 1, "b": 2], 1, 1.0, "1", [1], nil, false]
        #expect(Set(values).count == 8)
    }

    @Test func descriptionIsCompactJSON() {
        let value: JSONValue = ["a": [1, "x"], "b": nil]
        #expect(value.description == #"{"a":[1,"x"],"b":null}"#)
        #expect(JSONObject([("k", 1.5)]).description == #"{"k":1.5}"#)
    }
}
