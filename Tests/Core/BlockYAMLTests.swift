import Foundation
import QuiltContract
import QuiltJSON
import Testing

/// The YAML reader of Tabulator definitions, against PyYAML: every vector in `Fixtures/tabulator/yaml-vectors.json`
/// (written by `Fixtures/tabulator/yaml_vectors.py` with PyYAML's `safe_load`) reads to the value PyYAML read.
@Suite("Tabulator definitions: YAML read as PyYAML reads it")
struct BlockYAMLTests {
    struct Vector: CustomTestStringConvertible, Sendable {
        let yaml: String
        let value: JSONValue
        var testDescription: String { String(yaml.prefix(40)).replacing("\n", with: "⏎") }
    }

    static func vectors() throws -> [Vector] {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.pathComponents.count > 1 {
            let file = dir.appendingPathComponent("Fixtures/tabulator/yaml-vectors.json")
            if let data = FileManager.default.contents(atPath: file.path) {
                let root = try JSONParser.parse(Array(data))
                return (root["vectors"]?.arrayValue ?? []).map { Vector(yaml: $0["yaml"]?.stringValue ?? "", value: $0["value"] ?? .null) }
            }
            dir.deleteLastPathComponent()
        }
        Issue.record("Fixtures/tabulator/yaml-vectors.json not found")
        return []
    }

    @Test("Reads each document to PyYAML's value", arguments: try vectors())
    func matchesPyYAML(_ vector: Vector) throws {
        let read = try BlockYAML.parse(vector.yaml)
        #expect(JSONWriter.compact(read) == JSONWriter.compact(vector.value), "\(vector.yaml)")
    }

    @Test("There are vectors, the documented examples among them")
    func vectorsPresent() throws {
        let all = try Self.vectors()
        #expect(all.count >= 15)
        #expect(all.contains { $0.yaml.contains("nfcore_rnaseq") })
    }

    @Test("Refuses what it does not read, naming the line", arguments: [
        ("a: &x 1\nb: *x\n", "line 1: anchors"),
        ("a: !!str 1\n", "tags"),
        ("a: |\n  text\n", "block scalars"),
        ("? complex\n: key\n", "complex keys"),
        ("a: 1\n---\nb: 2\n", "one YAML document"),
        ("a: one\n  two\n", "line 2: a value continued"),
        ("a: \"open\n", "never closes"),
        ("a: 1\na: 2\n", "line 2: key 'a' appears twice"),
        ("a:\n  b: 1\n c: 2\n", "line 3"),
        ("a:\n\tb: 1\n", "tab"),
        ("a: [1, 2\n", "must close on its line"),
        ("a: \"\\q\"\n", "no escape YAML knows"),
        ("colon_in_value: a: b\n", "quote the value"),
        ("- a\nb: 1\n", "line 2"),
    ])
    func refusals(_ yaml: String, _ reason: String) {
        do {
            let value = try BlockYAML.parse(yaml)
            Issue.record("read \(value) from \(yaml)")
        } catch {
            #expect(error.message.contains(reason), "\(yaml): \(error.message)")
            if case .invalidInput(let field, _) = error { #expect(field == "config") }
        }
    }

    @Test("A definition written by this server reads back to itself; defaults are the catalog's")
    func definitionRoundTrip() throws {
        let written = TabulatorDefinition(
            columns: [("sample_id", "STRING"), ("reads", "BIGINT")], packagePattern: #"^lab/(?<run>[^/]+)$"#,
            logicalKeyPattern: #"counts/.*\.tsv$"#, format: "tsv", header: true, skipRows: 2, continueOnError: true)
        let read = try TabulatorDefinition(yaml: written.yaml)
        #expect(read.columns.map(\.name) == ["sample_id", "reads"] && read.columns.map(\.type) == ["STRING", "BIGINT"])
        #expect(read.packagePattern == written.packagePattern && read.logicalKeyPattern == written.logicalKeyPattern)
        #expect(read.delimiter == "\t" && read.header && read.skipRows == 2 && read.continueOnError)
        #expect(try read.delimiterByte() == 9)
        // Quilt's documented defaults: no header unless it says so, a comma delimiter.
        let bare = try TabulatorDefinition(yaml: """
            schema: [{name: a, type: INT}]
            source: {type: quilt-packages, package_name: ^x$, logical_key: \\.csv$}
            parser: {format: csv}
            """)
        #expect(!bare.header && bare.delimiter == nil && bare.skipRows == 0 && !bare.continueOnError)
        #expect(try bare.delimiterByte() == UInt8(ascii: ","))
    }

    @Test("A definition with a part missing, misspelt or of the wrong kind is refused, naming it", arguments: [
        ("source: {type: quilt-packages, package_name: x, logical_key: y}\nparser: {format: csv}\n", "needs 'schema'"),
        ("schema: [{name: a, type: INT}]\nsource: {type: quilt-packages, package_name: x, logical_key: y}\nparsr: {format: csv}\n", "'parsr'"),
        ("schema: [{name: a, type: INT}]\nsource: {type: s3, package_name: x, logical_key: y}\nparser: {format: csv}\n", "quilt-packages"),
        ("schema: [{name: a, type: int}]\nsource: {type: quilt-packages, package_name: x, logical_key: y}\nparser: {format: csv}\n", "uppercase"),
        ("schema: [{name: a, type: INT}]\nsource: {type: quilt-packages, package_name: '(', logical_key: y}\nparser: {format: csv}\n", "package_pattern"),
        ("schema: [{name: a, type: INT}]\nsource: {type: quilt-packages, package_name: x, logical_key: y}\nparser: {format: csv, header: maybe}\n", "true or false"),
        ("schema: [{name: a, type: INT}]\nsource: {type: quilt-packages, package_name: x, logical_key: y}\nparser: {format: csv, skip_rows: -1}\n", "skip_rows"),
        ("schema: [{name: a, type: INT}]\nsource: {type: quilt-packages, package_name: x, logical_key: y}\nparser: {format: parquet, header: true}\n", "no delimiter"),
        ("schema: [{name: yes, type: INT}]\nsource: {type: quilt-packages, package_name: x, logical_key: y}\nparser: {format: csv}\n", "must be text"),
    ])
    func definitionRefusals(_ yaml: String, _ reason: String) {
        do {
            _ = try TabulatorDefinition(yaml: yaml)
            Issue.record("accepted \(yaml)")
        } catch {
            #expect(error.message.contains(reason), "\(yaml): \(error.message)")
        }
    }
}
