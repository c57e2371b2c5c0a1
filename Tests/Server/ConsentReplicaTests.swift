import Foundation
import QuiltJSON
import QuiltTestSupport
import Testing

/// A consent question asked by one server process and answered to another, as behind a load balancer: the
/// answer is taken only when both share `request_state_key`.
@Suite("Consent answered on another replica")
struct ConsentReplicaTests {
    static let key = "replica-state-key-0123456789abcdefghijklmnop"

    /// Asks `first` to delete `name`, then sends the confirmed retry with `first`'s state to `second`.
    static func askAndAnswerElsewhere(_ first: ServerProcess, _ second: ServerProcess, _ name: String) throws -> JSONValue {
        try ConsentStdioTests.create(first, 1, name, modern: true)
        let call: JSONObject = ["name": "package_delete", "arguments": ["package_name": .string(name)]]
        let asked = try #require(
            try first.call(2, "tools/call", ModernStdioTests.params(call, meta: ConsentStdioTests.modernElicitation))["result"])
        #expect(asked["resultType"] == "input_required", "\(asked)")
        let state = try #require(asked["requestState"]?.stringValue)
        var retry = call
        retry["requestState"] = .string(state)
        retry["inputResponses"] = ["confirm": ["action": "accept", "content": ["confirm": true]]]
        return try second.call(3, "tools/call", ModernStdioTests.params(retry, meta: ConsentStdioTests.modernElicitation))["result"]
            ?? .null
    }

    static func withReplicas(_ extraEnv: [String: String], _ body: (ServerProcess, ServerProcess, String) throws -> Void) throws {
        let (env, dir) = try Executables.sandbox("consent-replicas")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let environment = env.merging(extraEnv) { $1 }
        let a = try ServerProcess([], environment: environment)
        defer { a.stop() }
        let b = try ServerProcess([], environment: environment)
        defer { b.stop() }
        try body(a, b, dir)
    }

    @Test("With the same request_state_key, the other process takes the answer and deletes")
    func sharedKey() throws {
        try Self.withReplicas(["QUILT_MCP_REQUEST_STATE_KEY": Self.key]) { a, b, dir in
            let answered = try Self.askAndAnswerElsewhere(a, b, "replica/shared")
            #expect(answered["isError"] == false && answered["resultType"] == "complete", "\(answered)")
            #expect(!ConsentStdioTests.exists(dir, "replica/shared"))
        }
    }

    @Test("Without a shared key, the other process refuses the state and the package stays")
    func processKeys() throws {
        try Self.withReplicas([:]) { a, b, dir in
            let answered = try Self.askAndAnswerElsewhere(a, b, "replica/apart")
            #expect(answered["structuredContent"]?["error"]?["field"] == "requestState", "\(answered)")
            #expect(ConsentStdioTests.exists(dir, "replica/apart"))
        }
    }
}
