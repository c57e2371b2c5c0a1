import Foundation
import QuiltJSON
import QuiltTestSupport
import Testing

/// Consent before a destructive call, over stdio with the built server: elicitation in the handshake era,
/// `InputRequiredResult` in 2026-07-28, and `confirm` for clients that can ask no one.
@Suite("Consent before destructive calls over stdio")
struct ConsentStdioTests {
    static let latest = "/xdg/Quilt/packages/.quilt/named_packages/%@/latest"

    static func initialize(_ server: ServerProcess, elicitation: Bool) throws {
        let capabilities: JSONValue = elicitation ? ["elicitation": [:]] : [:]
        _ = try server.call(
            0, "initialize",
            ["protocolVersion": "2025-11-25", "capabilities": capabilities, "clientInfo": ["name": "swift-tests", "version": "1"]])
        server.notify("notifications/initialized")
    }

    static func create(_ server: ServerProcess, _ id: Int, _ name: String, modern: Bool = false) throws {
        let body: JSONObject = ["name": "package_create", "arguments": ["package_name": .string(name), "entries": [["logical_key": "a.txt", "text": "a"]]]]
        let created = try server.call(id, "tools/call", modern ? ModernStdioTests.params(body) : .object(body))
        #expect(created["result"]?["isError"] == false, "\(created)")
    }

    static func exists(_ dir: String, _ name: String) -> Bool {
        FileManager.default.fileExists(atPath: dir + String(format: latest, name))
    }

    @Test("Handshake era with elicitation: the server asks; accept deletes, decline keeps the package")
    func elicitation() throws {
        try StdioServerTests.withServer { server, dir in
            try Self.initialize(server, elicitation: true)
            try Self.create(server, 1, "ask/me")
            server.request(2, "tools/call", StdioServerTests.toolCall("package_delete", ["package_name": "ask/me"]))
            let asked = try server.wait("an elicitation") { $0["method"] == "elicitation/create" }
            let question = asked["params"]?["message"]?.stringValue ?? ""
            #expect(question.contains("ask/me") && question.contains("every revision pointer"), "\(asked)")
            #expect(asked["params"]?["requestedSchema"]?["properties"]?["confirm"]?["type"] == "boolean")
            server.send(["jsonrpc": "2.0", "id": asked["id"] ?? .null, "result": ["action": "decline"]])
            let declined = try server.response(2)
            #expect(declined["result"]?["isError"] == true)
            #expect(declined["result"]?["structuredContent"]?["error"]?["kind"] == "cancelled", "\(declined)")
            #expect(Self.exists(dir, "ask/me"))

            server.request(3, "tools/call", StdioServerTests.toolCall("package_delete", ["package_name": "ask/me"]))
            let again = try server.wait("a second elicitation") { $0["method"] == "elicitation/create" && $0["id"] != asked["id"] }
            server.send(["jsonrpc": "2.0", "id": again["id"] ?? .null, "result": ["action": "accept", "content": ["confirm": true]]])
            let deleted = try server.response(3)
            #expect(deleted["result"]?["isError"] == false, "\(deleted)")
            #expect(!Self.exists(dir, "ask/me"))
            #expect(try server.closeAndWait() == 0)
        }
    }

    @Test("A client that declared no elicitation is refused naming confirm; confirm=true then deletes")
    func confirmArgument() throws {
        try StdioServerTests.withServer { server, dir in
            try Self.initialize(server, elicitation: false)
            try Self.create(server, 1, "plain/client")
            let refused = try server.call(2, "tools/call", StdioServerTests.toolCall("package_delete", ["package_name": "plain/client"]))
            let error = refused["result"]?["structuredContent"]?["error"]
            #expect(error?["field"] == "confirm" && error?["kind"] == "invalid_input", "\(refused)")
            #expect(error?["message"]?.stringValue?.contains("confirm=true") == true)
            #expect(Self.exists(dir, "plain/client"))
            #expect(!server.messages.contains { $0["method"] == "elicitation/create" })
            let deleted = try server.call(
                3, "tools/call", StdioServerTests.toolCall("package_delete", ["package_name": "plain/client", "confirm": true]))
            #expect(deleted["result"]?["isError"] == false, "\(deleted)")
            #expect(!Self.exists(dir, "plain/client"))
        }
    }

    @Test("Input ending while the user is asked: the call is answered as refused and the server exits 0")
    func endOfInputWhileAsking() throws {
        try StdioServerTests.withServer { server, dir in
            try Self.initialize(server, elicitation: true)
            try Self.create(server, 1, "eof/asked")
            server.request(2, "tools/call", StdioServerTests.toolCall("package_delete", ["package_name": "eof/asked"]))
            _ = try server.wait("an elicitation") { $0["method"] == "elicitation/create" }
            #expect(try server.closeAndWait() == 0)
            let answer = try #require(server.messages.first { $0["id"] == 2 })
            #expect(answer["result"]?["structuredContent"]?["error"]?["field"] == "confirm", "\(answer)")
            #expect(Self.exists(dir, "eof/asked"))
        }
    }

    static let modernElicitation: JSONObject = ["io.modelcontextprotocol/clientCapabilities": ["elicitation": ["form": [:]]]]

    @Test("2026-07-28: InputRequiredResult, then the retry with the answer and the sealed state deletes")
    func inputRequired() throws {
        try StdioServerTests.withServer { server, dir in
            try Self.create(server, 1, "modern/ask", modern: true)
            let call: JSONObject = ["name": "package_delete", "arguments": ["package_name": "modern/ask"]]
            let first = try #require(try server.call(2, "tools/call", ModernStdioTests.params(call, meta: Self.modernElicitation))["result"])
            #expect(first["resultType"] == "input_required", "\(first)")
            #expect(first["inputRequests"]?["confirm"]?["method"] == "elicitation/create")
            #expect(first["inputRequests"]?["confirm"]?["params"]?["mode"] == "form")
            let state = try #require(first["requestState"]?.stringValue)
            #expect(Self.exists(dir, "modern/ask"))

            func retry(_ id: Int, _ arguments: JSONValue, state: String, action: JSONValue) throws -> JSONValue {
                let body: JSONObject = [
                    "name": "package_delete", "arguments": arguments, "requestState": .string(state),
                    "inputResponses": ["confirm": action],
                ]
                return try server.call(id, "tools/call", ModernStdioTests.params(body, meta: Self.modernElicitation))["result"] ?? .null
            }
            let accept: JSONValue = ["action": "accept", "content": ["confirm": true]]
            let otherPackage = try retry(3, ["package_name": "modern/other"], state: state, action: accept)
            #expect(otherPackage["structuredContent"]?["error"]?["field"] == "requestState", "\(otherPackage)")
            let forged = try retry(4, ["package_name": "modern/ask"], state: "v1.9999999999.AAAA", action: accept)
            #expect(forged["structuredContent"]?["error"]?["field"] == "requestState", "\(forged)")
            let declined = try retry(5, ["package_name": "modern/ask"], state: state, action: ["action": "accept", "content": ["confirm": false]])
            #expect(declined["structuredContent"]?["error"]?["kind"] == "cancelled", "\(declined)")
            #expect(Self.exists(dir, "modern/ask"))
            let deleted = try retry(6, ["package_name": "modern/ask"], state: state, action: accept)
            #expect(deleted["isError"] == false && deleted["resultType"] == "complete", "\(deleted)")
            #expect(!Self.exists(dir, "modern/ask"))
        }
    }

    @Test("2026-07-28 without elicitation: refused naming confirm, no InputRequiredResult")
    func modernWithoutElicitation() throws {
        try StdioServerTests.withServer { server, dir in
            try Self.create(server, 1, "modern/plain", modern: true)
            let call: JSONObject = ["name": "package_delete", "arguments": ["package_name": "modern/plain"]]
            let refused = try #require(try server.call(2, "tools/call", ModernStdioTests.params(call))["result"])
            #expect(refused["resultType"] == "complete")
            #expect(refused["structuredContent"]?["error"]?["field"] == "confirm", "\(refused)")
            #expect(Self.exists(dir, "modern/plain"))
        }
    }
}
