import QuiltJSON

/// Shared helpers for the QuiltJSON tests.
enum JSONTestSupport {
    /// Parses `text` and returns its canonical (quilt3 top-hash) encoding as a string.
    static func canonical(_ text: String) throws -> String {
        String(decoding: CanonicalJSON.encode(try JSONParser.parse(text)), as: UTF8.self)
    }

    /// The canonical encoding of `value` as a string.
    static func canonical(_ value: JSONValue) -> String {
        String(decoding: CanonicalJSON.encode(value), as: UTF8.self)
    }

    /// The manifest encoding of `value` as a string.
    static func manifest(_ value: JSONValue) throws -> String {
        String(decoding: try ManifestJSON.encode(value), as: UTF8.self)
    }

    /// The parse error for `text`, or `nil` if it parses.
    static func parseError(_ text: String) -> JSONParseError? {
        do {
            _ = try JSONParser.parse(text)
            return nil
        } catch {
            return error
        }
    }

    /// A typical quilt3 manifest entry line, as Python's manifest writer produces it.
    static func manifestLine(_ i: Int) -> String {
        let part = String(i % 1000)
        let padded = String(repeating: "0", count: max(0, 5 - part.count)) + part
        let file = String(i)
        let filePadded = String(repeating: "0", count: max(0, 5 - file.count)) + file
        let key = "data/part-\(padded)/file-\(filePadded).csv"
        return #"{"logical_key": "\#(key)", "physical_keys": ["s3://bucket/user/pkg/\#(key)?versionId=abc\#(i)"], "size": \#(i * 7919), "hash": {"type": "sha2-256-chunked", "value": "hSoyhcBmAqUBtUwWJlUSvcsibQdB6XtftbSYNPOJ4us="}, "meta": {}}"#
    }

    /// The canonical form of `manifestLine(i)`: sorted keys, no spaces.
    static func canonicalManifestLine(_ i: Int) -> String {
        let part = String(i % 1000)
        let padded = String(repeating: "0", count: max(0, 5 - part.count)) + part
        let file = String(i)
        let filePadded = String(repeating: "0", count: max(0, 5 - file.count)) + file
        let key = "data/part-\(padded)/file-\(filePadded).csv"
        return #"{"hash":{"type":"sha2-256-chunked","value":"hSoyhcBmAqUBtUwWJlUSvcsibQdB6XtftbSYNPOJ4us="},"logical_key":"\#(key)","meta":{},"physical_keys":["s3://bucket/user/pkg/\#(key)?versionId=abc\#(i)"],"size":\#(i * 7919)}"#
    }
}
