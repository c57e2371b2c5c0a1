import Foundation
import QuiltJSON
import QuiltTestSupport
import Testing

/// Log messages to the client: at or above the level a 2026-07-28 request names in `_meta`, or the level
/// `logging/setLevel` set on a handshake-era connection; none to a client that asked for none.
@Suite("Log messages to the client over stdio")
struct ClientLogTests {
    static func messages(_ server: ServerProcess) -> [JSONValue] {
        server.messages.filter { $0["method"] == "notifications/message" }
    }

    @Test("2026-07-28: the request's logLevel decides, per request", arguments: [
        ("info", true, ["info"]), ("warning", true, []), ("debug", false, ["warning"]), ("error", false, []),
    ] as [(String, Bool, [String])])
    func perRequest(level: String, succeeds: Bool, expected: [String]) throws {
        try StdioServerTests.withServer { server, _ in
            let arguments: JSONValue = succeeds ? [:] : ["package_name": "no-slash"]
            let call = ModernStdioTests.params(
                ["name": succeeds ? "packages_list" : "package_info", "arguments": arguments],
                meta: ["io.modelcontextprotocol/logLevel": .string(level)])
            let answer = try server.call(1, "tools/call", call)
            #expect(answer["result"]?["isError"]?.boolValue == !succeeds, "\(answer)")
            let sent = Self.messages(server)
            #expect(sent.compactMap { $0["params"]?["level"]?.stringValue } == expected, "\(sent)")
            if let first = sent.first {
                #expect(first["params"]?["logger"] == "quilt-mcp")
                #expect(first["params"]?["data"]?.stringValue?.hasPrefix(succeeds ? "packages_list done" : "package_info failed") == true)
                let answerIndex = try #require(server.messages.firstIndex { $0["id"] == 1 })
                #expect(server.messages.firstIndex { $0["method"] == "notifications/message" }.map { $0 < answerIndex } == true)
            }
            // Without a level, nothing.
            _ = try server.call(2, "tools/call", ModernStdioTests.params(["name": "packages_list", "arguments": [:]]))
            #expect(Self.messages(server).count == expected.count)
        }
    }

    @Test("Handshake era: nothing until logging/setLevel; then messages at or above it; a bad level is -32602")
    func setLevel() throws {
        try StdioServerTests.withServer { server, _ in
            _ = try server.initialize(version: "2025-11-25")
            _ = try server.call(1, "tools/call", StdioServerTests.toolCall("package_info", ["package_name": "no-slash"]))
            #expect(Self.messages(server).isEmpty)
            let bad = try server.call(2, "logging/setLevel", ["level": "loud"])
            #expect(bad["error"]?["code"] == -32602 && bad["error"]?["message"]?.stringValue?.contains("warning") == true)
            #expect(try server.call(3, "logging/setLevel", ["level": "warning"])["result"] == [:])
            _ = try server.call(4, "tools/call", StdioServerTests.toolCall("packages_list", [:]))
            #expect(Self.messages(server).isEmpty, "info is below warning")
            _ = try server.call(5, "tools/call", StdioServerTests.toolCall("package_info", ["package_name": "no-slash"]))
            let sent = Self.messages(server)
            #expect(sent.count == 1 && sent.first?["params"]?["level"] == "warning", "\(sent)")
        }
    }
}
