import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import QuiltJSON

/// One HTTP exchange's answer: status, headers (names lowercased), body.
struct HTTPReply: Sendable {
    var status: Int
    var headers: [String: String]
    var body: Data

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as JSON, nil when it is not JSON.
    var json: JSONValue? { try? JSONParser.parse(body) }

    /// True when the body is Server-Sent Events.
    var isEventStream: Bool { headers["content-type"]?.hasPrefix("text/event-stream") == true }

    /// The JSON-RPC messages of an event-stream body, in order (empty `data:` priming events skipped).
    var events: [JSONValue] { SSE.messages(text) }

    /// The JSON-RPC response: the JSON body, or the event stream's message that has an id and no method.
    var message: JSONValue? {
        if isEventStream { return events.last { $0["id"] != nil && $0["method"] == nil } }
        return json
    }

    /// `message.result`.
    var result: JSONValue? { message?["result"] }
}

enum SSE {
    /// The JSON of each event's `data:` lines.
    static func messages(_ text: String) -> [JSONValue] {
        text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n").compactMap { event in
            let data = event.split(separator: "\n").filter { $0.hasPrefix("data:") }
                .map { $0.dropFirst(5).drop { $0 == " " } }.joined(separator: "\n")
            return data.isEmpty ? nil : try? JSONParser.parse(String(data))
        }
    }
}

/// A raw MCP-over-HTTP client on AsyncHTTPClient: JSON-RPC messages built by hand, every answer kept whole.
enum MCPHTTP {
    static let accept = "application/json, text/event-stream"

    /// A JSON-RPC request.
    static func rpc(_ id: Int, _ method: String, _ params: JSONValue? = nil) -> JSONValue {
        var m: JSONObject = ["jsonrpc": "2.0", "id": .number(JSONNumber(id)), "method": .string(method)]
        if let params { m["params"] = params }
        return .object(m)
    }

    /// A JSON-RPC notification.
    static func notification(_ method: String, _ params: JSONValue? = nil) -> JSONValue {
        var m: JSONObject = ["jsonrpc": "2.0", "method": .string(method)]
        if let params { m["params"] = params }
        return .object(m)
    }

    /// `tools/call` params.
    static func call(_ name: String, _ arguments: JSONValue, progressToken: String? = nil) -> JSONValue {
        var params: JSONObject = ["name": .string(name), "arguments": arguments]
        if let progressToken { params["_meta"] = ["progressToken": .string(progressToken)] }
        return .object(params)
    }

    /// `initialize` params for `version`.
    static func initialize(_ version: String = "2025-06-18") -> JSONValue {
        ["protocolVersion": .string(version), "capabilities": [:], "clientInfo": ["name": "swift-http-tests", "version": "1"]]
    }

    /// POSTs `message` to `url` with a bearer `token`, `Accept` and extra headers; the whole body is read.
    static func post(
        _ url: String, _ message: JSONValue, token: String? = nil, accept: String = accept,
        headers: [String: String] = [:], timeout: Int64 = 30
    ) async throws -> HTTPReply {
        var all = ["Content-Type": "application/json", "Accept": accept]
        if let token { all["Authorization"] = "Bearer \(token)" }
        all.merge(headers) { $1 }
        return try await send(url, method: .POST, headers: all, body: Data(JSONWriter.compact(message).utf8), timeout: timeout)
    }

    /// Any request; the whole body is read (up to 64 MiB).
    static func send(
        _ url: String, method: HTTPMethod, headers: [String: String] = [:], body: Data? = nil, timeout: Int64 = 30
    ) async throws -> HTTPReply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(timeout))
        var fields: [String: String] = [:]
        for header in response.headers { fields[header.name.lowercased()] = header.value }
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return HTTPReply(status: Int(response.status.code), headers: fields, body: Data(bytes.readableBytesView))
    }
}
