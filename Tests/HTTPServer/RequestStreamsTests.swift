import Foundation
import QuiltJSON
import Testing

@testable import QuiltHTTPServer

/// The session's per-request event streams: progress routed by token, buffered until the stream is wrapped.
@Suite("Request streams of a session")
struct RequestStreamsTests {
    static func progress(_ token: JSONValue, _ value: Int) -> Data {
        let message: JSONValue = [
            "jsonrpc": "2.0", "method": "notifications/progress",
            "params": ["progressToken": token, "progress": .number(JSONNumber(value)), "total": 10],
        ]
        return Data(JSONWriter.compact(message).utf8)
    }

    static func collect(_ stream: AsyncThrowingStream<Data, any Error>) async throws -> String {
        var text = ""
        for try await chunk in stream { text += String(decoding: chunk, as: UTF8.self) }
        return text
    }

    @Test("Progress sent before the stream is wrapped comes first, then the stream's own events, in order")
    func bufferedThenLive() async throws {
        let streams = RequestStreams()
        streams.expect("7", progressToken: #""tok""#)
        #expect(streams.deliver(Self.progress("tok", 1)))
        #expect(streams.deliver(Self.progress("tok", 2)))
        let (inner, source) = AsyncThrowingStream<Data, any Error>.makeStream()
        source.yield(Data("id: p\ndata: \n\n".utf8))
        let out = streams.wrap(inner, key: "7")
        #expect(streams.deliver(Self.progress("tok", 3)))
        source.yield(Data("event: message\ndata: {\"id\":7,\"result\":{}}\n\n".utf8))
        source.finish()
        let text = try await Self.collect(out)
        let values = SSE.messages(text).compactMap { $0["params"]?["progress"]?.intValue }
        #expect(values == [1, 2, 3])
        #expect(SSE.messages(text).last?["id"] == 7)
        #expect(text.hasPrefix("event: message\ndata: {"))
        // Once the request has ended its token is no longer routed.
        #expect(streams.deliver(Self.progress("tok", 4)) == false)
        #expect(streams.count == 0)
    }

    @Test("Unknown tokens, other notifications and responses are left to the SDK", arguments: [
        #"{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"other","progress":1}}"#,
        #"{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"x","progressToken":"tok"}}"#,
        #"{"jsonrpc":"2.0","id":7,"result":{}}"#,
        "not json",
    ])
    func notRouted(message: String) {
        let streams = RequestStreams()
        streams.expect("7", progressToken: #""tok""#)
        #expect(streams.deliver(Data(message.utf8)) == false)
    }

    @Test("Numeric and string tokens are told apart; a refused request's token is forgotten")
    func tokenIdentity() {
        let streams = RequestStreams()
        streams.expect("1", progressToken: "5")
        #expect(streams.deliver(Self.progress("5", 1)) == false)
        #expect(streams.deliver(Self.progress(5, 1)))
        streams.forget("1")
        #expect(streams.deliver(Self.progress(5, 2)) == false)
    }

    @Test("A POST's intent names the request and its progress token", arguments: [
        (#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"_meta":{"progressToken":"t"}}}"#, "3", #""t""#),
        (#"{"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"_meta":{"progressToken":12}}}"#, #""a""#, "12"),
        (#"{"jsonrpc":"2.0","id":4,"method":"tools/list"}"#, "4", nil),
    ])
    func intent(body: String, key: String, token: String?) throws {
        guard case .request(let k, let t) = RequestStreams.intent(of: Data(body.utf8)) else {
            Issue.record("not a request: \(body)")
            return
        }
        #expect(k == key)
        #expect(t == token)
    }
}
