import Logging
import NIOCore
import NIOPosix
import QuiltContract
import QuiltHTTP
import QuiltHTTPServer
import QuiltJSON
import QuiltMode
import QuiltProtocol
import QuiltTools
import Synchronization
import Testing

@testable import QuiltServer

/// Where a request's work runs when the HTTP server serves it on its connection's event loop: the tool call's own
/// task follows the loop, and a call that may compute for long leaves it.
@Suite("Event-loop placement of tool calls")
struct EventLoopPlacementTests {
    @Test("A call's own task runs on the request's loop when the server names the loop, and not otherwise")
    func callTask() async {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let executor = EventLoopExecutor(loop)
        let named = await PreferredExecutor.run(on: executor) { await CallCancellation().run { loop.inEventLoop } }
        // The preference alone does not reach an unstructured task: that is why the server names the loop too.
        let unnamed = await withTaskExecutorPreference(executor) { await CallCancellation().run { loop.inEventLoop } }
        #expect(named)
        #expect(!unnamed)
    }

    @Test("On a loop, a destructive call runs off it (seen from its consent question); off any loop nothing changes",
          arguments: [true, false])
    func longCallsLeave(onLoop: Bool) async throws {
        let mode = try ModeResolver.resolve(
            flags: ModeFlags(), environment: ["HOME": "/nonexistent", "QUILT_MCP_REGISTRY": "memory://placement"])
        let context = QuiltMCPServer.context(mode: mode, logger: Logger(label: "placement-test"))
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let executor = EventLoopExecutor(loop)
        let asked = Mutex<(onAnyLoop: Bool, onThisLoop: Bool)?>(nil)
        let consent: ToolInvocation.AskConsent = { _ in
            asked.withLock { $0 = (MultiThreadedEventLoopGroup.currentEventLoop != nil, loop.inEventLoop) }
            return .refused(ToolError(.cancelled("refused by the test")))
        }
        let run: @Sendable () async -> ToolInvocation.Outcome = {
            await ToolInvocation.run(
                "admin_role_delete", arguments: ["role": "analysts"], progress: nil, switchboard: CallCancellation(),
                context: context, consent: consent)
        }
        if onLoop {
            _ = await PreferredExecutor.run(on: executor, run)
        } else {
            _ = await run()
        }
        let seen = try #require(asked.withLock { $0 }, "the consent question was asked")
        #expect(!seen.onThisLoop)
        #expect(!seen.onAnyLoop)
    }
}
