import FoundationEssentials
import QuiltJSON

/// Reads and writes fixture files: pretty JSON, keys sorted at every level, header and query pairs one per line
/// as `[name, value]`, bodies as `{"text"}` (valid UTF-8 without control characters), `{"lines"}` (long text with
/// newlines, one array element per line), `{"base64"}` (anything else) or `{"sameAs": seq}` (a large response body
/// identical to an earlier one's), and exactly one trailing newline. Same input, same bytes.
package enum FixtureCodec {
    /// Responses at least this large are written once and referred to by `sameAs` afterwards.
    static let shareThreshold = 1024
    /// Text longer than this with newlines is written as `lines`.
    static let linesThreshold = 160

    // MARK: - Encoding

    /// The file text of `fixture` (already scrubbed: this does not scrub).
    package static func encode(_ fixture: Fixture) -> String {
        var firstSeen: [[UInt8]: Int] = [:]
        var exchanges: [JSONValue] = []
        for x in fixture.exchanges {
            var response: JSONObject = ["status": .number(JSONNumber(x.response.status)), "headers": pairs(x.response.headers.map { ($0.name, $0.value) })]
            if !x.response.body.isEmpty {
                if x.response.body.count >= shareThreshold, let earlier = firstSeen[x.response.body] {
                    response["body"] = ["sameAs": .number(JSONNumber(earlier))]
                } else {
                    response["body"] = body(x.response.body)
                    if x.response.body.count >= shareThreshold { firstSeen[x.response.body] = x.seq }
                }
            }
            var request: JSONObject = [
                "method": .string(x.request.method), "path": .string(x.request.path),
                "headers": pairs(x.request.headers.map { ($0.name, $0.value) }),
            ]
            if !x.request.query.isEmpty { request["query"] = pairs(x.request.query.map { ($0.name, $0.value) }) }
            if !x.request.body.isEmpty { request["body"] = body(x.request.body) }
            var exchange: JSONObject = ["seq": .number(JSONNumber(x.seq)), "request": .object(request), "response": .object(response)]
            if let op = x.operation { exchange["operation"] = .string(op) }
            exchanges.append(.object(exchange))
        }
        var target = JSONObject()
        for (k, v) in fixture.target { target[k] = .string(v) }
        let root: JSONObject = [
            "format": .string(Fixture.format), "backend": .string(fixture.backend), "scenario": .string(fixture.scenario),
            "recorded": ["at": .string(fixture.recordedAt), "rerecord": .string(fixture.rerecord), "target": .object(target)],
            "exchanges": .array(exchanges),
        ]
        var out = ""
        write(.object(root), depth: 0, to: &out)
        return out + "\n"
    }

    static func pairs(_ items: [(String, String)]) -> JSONValue {
        .array(items.map { .array([.string($0.0), .string($0.1)]) })
    }

    static func body(_ bytes: [UInt8]) -> JSONValue {
        if let text = printableText(bytes) {
            if text.utf8.count > linesThreshold && text.contains("\n") {
                return ["lines": .array(text.split(separator: "\n", omittingEmptySubsequences: false).map { .string(String($0)) })]
            }
            return ["text": .string(text)]
        }
        return ["base64": .string(Data(bytes).base64EncodedString())]
    }

    /// The text of `bytes` when they are valid UTF-8 with no control characters but tab, CR and LF.
    static func printableText(_ bytes: [UInt8]) -> String? {
        for b in bytes where b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D || b == 0x7F { return nil }
        guard let s = String(validating: bytes, as: UTF8.self) else { return nil }
        return s
    }

    /// Pretty JSON with sorted keys; arrays of scalars that fit on a line stay on one line.
    static func write(_ value: JSONValue, depth: Int, to out: inout String) {
        let pad = String(repeating: "  ", count: depth + 1)
        switch value {
        case .object(let o):
            let keys = o.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
            guard !keys.isEmpty else { out += "{}"; return }
            out += "{\n"
            for (i, k) in keys.enumerated() {
                out += pad + JSONWriter.compact(.string(k)) + ": "
                write(o[k] ?? .null, depth: depth + 1, to: &out)
                out += i + 1 < keys.count ? ",\n" : "\n"
            }
            out += String(repeating: "  ", count: depth) + "}"
        case .array(let a):
            guard !a.isEmpty else { out += "[]"; return }
            if a.allSatisfy({ if case .array = $0 { return false }; if case .object = $0 { return false }; return true }) {
                let inline = "[" + a.map { JSONWriter.compact($0) }.joined(separator: ", ") + "]"
                // Short lists and `[name, value]` pairs stay on one line; long lists (body lines) get one per line.
                if inline.count <= 120 || a.count == 2 { out += inline; return }
            }
            out += "[\n"
            for (i, e) in a.enumerated() {
                out += pad
                write(e, depth: depth + 1, to: &out)
                out += i + 1 < a.count ? ",\n" : "\n"
            }
            out += String(repeating: "  ", count: depth) + "]"
        default:
            out += JSONWriter.compact(value)
        }
    }

    // MARK: - Decoding

    /// Parses a fixture file.
    /// - Throws: `FixtureError` naming `path` for malformed files and for another format version.
    package static func decode(_ bytes: [UInt8], path: String) throws(FixtureError) -> Fixture {
        let root: JSONValue
        do { root = try JSONParser.parse(bytes) } catch { throw FixtureError("\(path): not JSON (\(error))") }
        guard root["format"]?.stringValue == Fixture.format else {
            throw FixtureError(
                "\(path): format \(root["format"]?.stringValue ?? "missing") is not \(Fixture.format); re-record it (\(root["recorded"]?["rerecord"]?.stringValue ?? "see the README"))."
            )
        }
        func str(_ v: JSONValue?, _ what: String) throws(FixtureError) -> String {
            guard let s = v?.stringValue else { throw FixtureError("\(path): \(what) is missing or not a string") }
            return s
        }
        var exchanges: [FixtureExchange] = []
        var bodies: [Int: [UInt8]] = [:]
        for (i, x) in (root["exchanges"]?.arrayValue ?? []).enumerated() {
            let seq = x["seq"]?.intValue ?? i
            guard let rq = x["request"], let rs = x["response"] else { throw FixtureError("\(path): exchange \(seq) lacks request or response") }
            let request = FixtureRequest(
                method: try str(rq["method"], "exchange \(seq) method"), path: try str(rq["path"], "exchange \(seq) path"),
                query: try decodePairs(rq["query"], path).map { QueryItem($0.0, $0.1) },
                headers: try decodePairs(rq["headers"], path).map { HTTPField($0.0, $0.1) },
                body: try decodeBody(rq["body"], path, shared: [:]))
            let responseBody = try decodeBody(rs["body"], path, shared: bodies)
            bodies[seq] = responseBody
            guard let status = rs["status"]?.intValue else { throw FixtureError("\(path): exchange \(seq) lacks a status") }
            let response = FixtureResponse(
                status: status, headers: try decodePairs(rs["headers"], path).map { HTTPField($0.0, $0.1) }, body: responseBody)
            exchanges.append(FixtureExchange(seq: seq, operation: x["operation"]?.stringValue, request: request, response: response))
        }
        var target: [String: String] = [:]
        for (k, v) in root["recorded"]?["target"]?.objectValue ?? JSONObject() { target[k] = v.stringValue ?? "" }
        return Fixture(
            backend: try str(root["backend"], "backend"), scenario: try str(root["scenario"], "scenario"),
            recordedAt: try str(root["recorded"]?["at"], "recorded.at"), target: target,
            rerecord: root["recorded"]?["rerecord"]?.stringValue ?? "", exchanges: exchanges)
    }

    static func decodePairs(_ v: JSONValue?, _ path: String) throws(FixtureError) -> [(String, String)] {
        guard let v else { return [] }
        guard let items = v.arrayValue else { throw FixtureError("\(path): expected a list of [name, value] pairs") }
        var out: [(String, String)] = []
        for item in items {
            guard let a = item.arrayValue, a.count == 2, let n = a[0].stringValue, let value = a[1].stringValue else {
                throw FixtureError("\(path): expected [name, value], got \(item)")
            }
            out.append((n, value))
        }
        return out
    }

    static func decodeBody(_ v: JSONValue?, _ path: String, shared: [Int: [UInt8]]) throws(FixtureError) -> [UInt8] {
        guard let v else { return [] }
        if let text = v["text"]?.stringValue { return Array(text.utf8) }
        if let lines = v["lines"]?.arrayValue {
            return Array(lines.map { $0.stringValue ?? "" }.joined(separator: "\n").utf8)
        }
        if let b64 = v["base64"]?.stringValue {
            guard let data = Data(base64Encoded: b64) else { throw FixtureError("\(path): invalid base64 body") }
            return Array(data)
        }
        if let seq = v["sameAs"]?.intValue {
            guard let body = shared[seq] else { throw FixtureError("\(path): sameAs \(seq) names no earlier response") }
            return body
        }
        throw FixtureError("\(path): a body must be text, lines, base64 or sameAs")
    }
}
