import Foundation
import QuiltJSON
import QuiltTestSupport
import Testing

/// `subscriptions/listen` over stdio (2026-07-28): acknowledged with the honoured subset, open beside other
/// requests, ended with its result at end of input or by cancellation without one.
@Suite("subscriptions/listen over stdio")
struct ListenStdioTests {
    static func listen(_ filter: JSONValue) -> JSONValue { ModernStdioTests.params(["notifications": filter]) }

    @Test("The acknowledgement names what is honoured; the stream ends with its result when input ends")
    func acknowledgedThenClosed() throws {
        try StdioServerTests.withServer { server, _ in
            server.request(5, "subscriptions/listen", Self.listen([
                "toolsListChanged": true, "promptsListChanged": false, "resourceSubscriptions": ["auth://status"],
            ]))
            let ack = try server.wait("the acknowledgement") { $0["method"] == "notifications/subscriptions/acknowledged" }
            #expect(ack["params"]?["notifications"] == ["toolsListChanged": true], "\(ack)")
            #expect(ack["params"]?["_meta"]?["io.modelcontextprotocol/subscriptionId"] == 5)
            // The connection serves other requests while the stream is open.
            #expect(try server.call(6, "tools/list", ModernStdioTests.params())["result"]?["tools"]?.arrayValue != nil)
            #expect(!server.messages.contains { $0["id"] == 5 })
            #expect(try server.closeAndWait() == 0)
            let result = try #require(server.messages.first { $0["id"] == 5 }?["result"])
            #expect(result["_meta"]?["io.modelcontextprotocol/subscriptionId"] == 5 && result["resultType"] == "complete", "\(result)")
        }
    }

    @Test("Cancelling a listen ends it without a result")
    func cancelled() throws {
        try StdioServerTests.withServer { server, _ in
            server.request(7, "subscriptions/listen", Self.listen(["resourcesListChanged": true]))
            _ = try server.wait("the acknowledgement") { $0["method"] == "notifications/subscriptions/acknowledged" }
            server.notify("notifications/cancelled", ["requestId": 7])
            #expect(try server.call(8, "tools/list", ModernStdioTests.params())["result"] != nil)
            #expect(try server.closeAndWait() == 0)
            #expect(!server.messages.contains { $0["id"] == 7 })
        }
    }

    @Test("A listen without a filter is -32602; in the handshake era the method does not exist")
    func refused() throws {
        try StdioServerTests.withServer { server, _ in
            let bare = try server.call(1, "subscriptions/listen", ModernStdioTests.params())
            #expect(bare["error"]?["code"] == -32602 && bare["error"]?["message"]?.stringValue?.contains("toolsListChanged") == true)
        }
        try StdioServerTests.withServer { server, _ in
            _ = try server.initialize(version: "2025-11-25")
            let legacy = try server.call(1, "subscriptions/listen", ["notifications": ["toolsListChanged": true]])
            #expect(legacy["error"]?["code"] == -32601, "\(legacy)")
        }
    }
}
