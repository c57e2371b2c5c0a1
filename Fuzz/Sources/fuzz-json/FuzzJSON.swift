// libFuzzer target `json`: QuiltJSON's exact parser and its three writers.
//
// Properties (each traps on violation):
// - the byte-buffer, `[UInt8]`, non-contiguous-collection and `String` entry points agree: same value or same error;
// - an error's offset lies within the input;
// - JSONWriter round trip: parse(compact(v)) == v and parse(pretty(v)) == v, exactly (member order, int/double
//   kind, double bits), once non-finite doubles (written as null) are read as null; compact output is a fixpoint;
// - ManifestJSON throws exactly when v holds a non-finite double, else parse(encode(v)) == v;
// - CanonicalJSON is pure ASCII and, for finite values, parses back to a value equivalent to v (member order aside);
// - equal values hash equally.
import FuzzSupport
import QuiltJSON

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: start, count: count)
    let first = Result { () throws(JSONParseError) -> JSONValue in try JSONParser.parse(input) }

    // The other entry points must say the same.
    let array = Array(input)
    let viaArray = Result { () throws(JSONParseError) -> JSONValue in try JSONParser.parse(array) }
    let viaCopy = Result { () throws(JSONParseError) -> JSONValue in try JSONParser.parse(array.lazy.map { $0 }) }
    agree(first, viaArray, "[UInt8]")
    agree(first, viaCopy, "non-contiguous collection")
    if let string = String(validating: array, as: UTF8.self) {
        agree(first, Result { () throws(JSONParseError) -> JSONValue in try JSONParser.parse(string) }, "String")
    }

    let value: JSONValue
    switch first {
    case .failure(let error):
        check(error.offset >= 0 && error.offset <= count, "error offset \(error.offset) outside 0...\(count)")
        return 0
    case .success(let v):
        value = v
    }
    check(value == value && value.hashValue == (try? JSONParser.parse(array))?.hashValue, "parse is not deterministic")

    let expected = value.finiteOrNull
    let compact = JSONWriter.compact(value)
    let reparsed = reparse(compact, "compact")
    check(reparsed == expected, "compact round trip changed the value:\n\(compact)\n→ \(JSONWriter.compact(reparsed))")
    check(JSONWriter.compact(reparsed) == compact, "compact output is not a fixpoint")
    let pretty = JSONWriter.pretty(value)
    check(reparse(pretty, "pretty") == expected, "pretty round trip changed the value:\n\(pretty)")

    let nonFinite = value.hasNonFinite
    switch Result(catching: { () throws(JSONEncodingError) -> [UInt8] in try ManifestJSON.encode(value) }) {
    case .success(let bytes):
        check(!nonFinite, "ManifestJSON wrote a non-finite double")
        let back = reparse(String(decoding: bytes, as: UTF8.self), "ManifestJSON")
        check(back == value, "ManifestJSON round trip changed the value:\n\(String(decoding: bytes, as: UTF8.self))")
    case .failure:
        check(nonFinite, "ManifestJSON refused a value without non-finite doubles")
    }

    let canonical = CanonicalJSON.encode(value)
    check(canonical.allSatisfy { $0 < 0x80 }, "CanonicalJSON output is not ASCII")
    if !nonFinite {
        let back = reparse(String(decoding: canonical, as: UTF8.self), "CanonicalJSON")
        check(back.isEquivalent(to: value), "CanonicalJSON round trip changed the value:\n\(String(decoding: canonical, as: UTF8.self))")
        check(CanonicalJSON.encode(back) == canonical, "CanonicalJSON is not canonical (re-encoding differs)")
    }
    return 0
}

private func reparse(_ text: String, _ writer: String) -> JSONValue {
    do throws(JSONParseError) {
        return try JSONParser.parse(text)
    } catch {
        fatalError("fuzz property violated: \(writer) output does not parse (\(error)):\n\(text)")
    }
}

private func agree(_ a: Result<JSONValue, JSONParseError>, _ b: Result<JSONValue, JSONParseError>, _ what: String) {
    switch (a, b) {
    case (.success(let x), .success(let y)):
        check(x == y, "the \(what) entry point parsed a different value")
    case (.failure(let x), .failure(let y)):
        check(x == y, "the \(what) entry point failed differently: \(x) vs \(y)")
    default:
        check(false, "the \(what) entry point disagrees on success: \(a) vs \(b)")
    }
}
