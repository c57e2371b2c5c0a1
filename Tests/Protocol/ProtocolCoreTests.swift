import Logging
import QuiltJSON
import QuiltProtocol
import Testing

/// The protocol layer without a transport: how messages are classified, how each era answers, which HTTP status each
/// error carries.
@Suite("Protocol core")
struct ProtocolCoreTests {
    enum Kind: Equatable {
        case request, notification, response, invalid(Int)
    }

    static func kind(_ incoming: Incoming) -> Kind {
        switch incoming {
        case .request: return .request
        case .notification: return .notification
        case .response: return .response
        case .invalid(_, let error): return .invalid(error.code)
        }
    }

    @Test("Messages are classified once, and malformed ones get the JSON-RPC error that names the defect", arguments: [
        (#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#, Kind.request),
        (#"{"jsonrpc":"2.0","id":"a","method":"x","params":{}}"#, .request),
        (#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#, .notification),
        (#"{"jsonrpc":"2.0","id":3,"result":{}}"#, .response),
        (#"{"jsonrpc":"2.0","id":3,"error":{"code":1,"message":"m"}}"#, .response),
        (#"{"jsonrpc":"1.0","id":1,"method":"x"}"#, .invalid(-32600)),
        (#"{"id":1,"method":"x"}"#, .invalid(-32600)),
        (#"{"jsonrpc":"2.0","id":null,"method":"x"}"#, .invalid(-32600)),
        (#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#, .invalid(-32600)),
        (#"{"jsonrpc":"2.0","id":{},"method":"x"}"#, .invalid(-32600)),
        (#"{"jsonrpc":"2.0","id":99999999999999999999999,"method":"ping"}"#, .invalid(-32600)),
        (#"{"jsonrpc":"2.0","id":-9223372036854775808,"method":"ping"}"#, .request),
        (#"{"jsonrpc":"2.0","id":1,"method":7}"#, .invalid(-32600)),
        (#"{"jsonrpc":"2.0","id":1,"method":"x","params":[1]}"#, .invalid(-32602)),
        (#"{"jsonrpc":"2.0","id":true,"method":"x","params":3}"#, .invalid(-32600)),  // found by fuzz-jsonrpc
        (#"{"jsonrpc":"2.0","method":"x","params":3}"#, .notification),
        (#"{"jsonrpc":"2.0","id":1}"#, .invalid(-32600)),
        (#"[1]"#, .invalid(-32600)),
    ])
    func classification(text: String, expected: Kind) throws {
        #expect(Self.kind(Incoming.classify(try JSONParser.parse(text))) == expected)
    }

    @Test("The id of a malformed request is echoed when it is usable, null otherwise")
    func invalidKeepsID() throws {
        guard case .invalid(let id, _) = Incoming.classify(try JSONParser.parse(#"{"jsonrpc":"2.0","id":9,"method":"x","params":3}"#))
        else { Issue.record("not invalid"); return }
        #expect(id == 9)
        guard case .invalid(let null, _) = Incoming.classify(try JSONParser.parse(#"{"jsonrpc":"2.0","id":true,"method":"x"}"#))
        else { Issue.record("not invalid"); return }
        #expect(null == .null)
    }

    @Test("HTTP status per error code, as the 2026-07-28 transport assigns them", arguments: [
        (-32700, 400), (-32600, 400), (-32602, 400), (-32020, 400), (-32021, 400), (-32022, 400), (-32601, 404),
        (-32603, 200), (-32002, 200),
    ])
    func httpStatus(code: Int, status: Int) {
        #expect(RPCError(code: code, message: "m").httpStatus == status)
    }

    @Test("initialize answers the client's version when served, else the newest handshake version", arguments: [
        ("2024-11-05", "2024-11-05"), ("2025-03-26", "2025-03-26"), ("2025-06-18", "2025-06-18"), ("2025-11-25", "2025-11-25"),
        ("2026-07-28", "2025-11-25"), ("1999-01-01", "2025-11-25"),
    ])
    func negotiation(requested: String, answered: String) {
        let handshake = Self.core().initialize(["protocolVersion": .string(requested), "capabilities": ["roots": [:]]])
        #expect(handshake.version == answered)
        #expect(handshake.result["protocolVersion"] == .string(answered))
        #expect(handshake.clientCapabilities == ["roots": [:]])
    }

    @Test("The modern era decorates results; the handshake era leaves them as the handler made them")
    func decoration() async throws {
        let core = Self.core()
        let request = Request(id: 1, method: "things/list", params: [:])
        let modern = await core.answer(request, era: .modern("2026-07-28"), clientCapabilities: [:], clientInfo: nil, logLevel: nil) { _ in }
        let expected: JSONValue = ["things": [], "resultType": "complete", "ttlMs": 5, "cacheScope": "private"]
        #expect(modern?["result"] == expected)
        let old = await core.answer(request, era: .handshake("2025-06-18"), clientCapabilities: [:], clientInfo: nil, logLevel: nil) { _ in }
        let plain: JSONValue = ["things": []]
        #expect(old?["result"] == plain)
    }

    @Test("A handler's RPCError is the answer, a cancelled handler gets none, any other failure is -32603 without detail")
    func handlerFailures() async throws {
        let core = Self.core()
        func answer(_ method: String) async -> JSONValue? {
            await core.answer(
                Request(id: 2, method: method, params: [:]), era: .handshake("2025-11-25"), clientCapabilities: [:], clientInfo: nil,
                logLevel: nil) { _ in }
        }
        #expect(await answer("fails/typed")?["error"]?["code"] == -32602)
        let cancelled = await answer("fails/cancelled")
        #expect(cancelled.map { _ in false } ?? true, "a cancelled request is not answered")
        let other = await answer("fails/other")
        #expect(other?["error"]?["code"] == -32603)
        #expect(other?["error"]?["message"]?.stringValue?.contains("secret") == false)
        #expect(await answer("no/such")?["error"]?["code"] == -32601)
    }

    struct Leaky: Error { var detail = "secret token abc" }

    static func core() -> MCPServerCore {
        MCPServerCore(
            identity: ServerIdentity(name: "t", version: "1", title: nil, instructions: nil), capabilities: ["tools": [:]],
            methods: [
                MCPMethod("things/list", cache: CacheHint(ttlMs: 5, scope: .private)) { _ in ["things": []] },
                MCPMethod("fails/typed") { _ in throw RPCError.invalidParams("no") },
                MCPMethod("fails/cancelled") { _ in throw CancellationError() },
                MCPMethod("fails/other") { _ in throw Leaky() },
            ],
            logger: Logger(label: "test"))
    }
}
