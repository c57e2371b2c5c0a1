import MCP
import QuiltContract
import QuiltJSON
import QuiltServer
import Testing

@Suite("QuiltServer pieces")
struct ConversionTests {
    @Test("JSONValue to Value keeps integers as .int and doubles as .double")
    func valueConversion() throws {
        let json = try JSONParser.parse(#"{"i": 3, "f": 1.0, "n": -0.5, "s": "x", "b": true, "z": null, "a": [1, 2.5]}"#)
        let value = ValueConversion.value(json)
        #expect(value.objectValue?["i"] == .int(3))
        #expect(value.objectValue?["f"] == .double(1.0))
        #expect(value.objectValue?["n"] == .double(-0.5))
        #expect(value.objectValue?["a"] == .array([.int(1), .double(2.5)]))
        #expect(value.objectValue?["z"] == .null)
        #expect(ValueConversion.json(value).isEquivalent(to: json))
    }

    @Test("Progress over phases is strictly increasing; reports that would not advance are dropped")
    func progressSequence() {
        var s = ProgressSequence()
        let reports = [
            WriteProgress(phase: "hashing-and-uploading", completed: 1, total: 2),
            WriteProgress(phase: "hashing-and-uploading", completed: 2, total: 2),
            WriteProgress(phase: "writing-manifest", completed: 0, total: 3),
            WriteProgress(phase: "writing-manifest", completed: 2, total: 3),
            WriteProgress(phase: "writing-manifest", completed: 3, total: 3),
        ]
        let sent = reports.compactMap { s.next($0) }
        #expect(sent.map(\.progress) == [1, 2, 4, 5])
        #expect(sent.map(\.total) == [2, 2, 5, 5])
        #expect(sent.last?.message == "writing-manifest 3/3")
    }

    @Test("A long phase sends one notification per hundredth of its total, its first and its last report", arguments: [1, 99, 100, 20_000])
    func progressThrottled(entries: Int) {
        var s = ProgressSequence()
        var sent = (1...entries).compactMap { s.next(WriteProgress(phase: "hashing-and-uploading", completed: Int64($0), total: Int64(entries))) }
        sent += (0...3).compactMap { s.next(WriteProgress(phase: "writing-manifest", completed: Int64($0), total: 3)) }
        let values = sent.map(\.progress)
        #expect(values == values.sorted() && Set(values).count == values.count)
        #expect(sent.count <= min(entries, 101) + 4)
        #expect(sent.count >= min(entries, 100))
        #expect(values.contains(Double(entries)), "the phase's last report is sent")
        #expect(values.last == Double(entries + 3))
    }
}
