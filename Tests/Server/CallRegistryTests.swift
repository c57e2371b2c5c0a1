import QuiltJSON
import Synchronization
import Testing

@testable import QuiltServer

/// ``CallRegistry`` and ``CallCancellation``: cancellations before, during and after a call.
@Suite("Call cancellation switches")
struct CallRegistryTests {
    /// A call that runs until cancelled (or 10 s), reporting whether it saw the cancellation; like the tool layer it
    /// marks the switch stopped when it gives up.
    static func longCall(_ call: CallCancellation) async -> Bool {
        let gaveUp = await call.run {
            do {
                try await Task.sleep(for: .seconds(10))
                return false
            } catch {
                return true
            }
        }
        if gaveUp { call.markStopped() }
        return gaveUp
    }

    @Test("A cancellation that comes first flips the call's switch when it begins, once")
    func early() async {
        let ended = Mutex<[String]>([])
        let registry = CallRegistry { key in ended.withLock { $0.append(key) } }
        #expect(registry.cancel(CallRegistry.key(10)) == nil)
        let call = registry.begin(CallRegistry.key(10))
        #expect(call.isCancelled)
        #expect(await Self.longCall(call))
        #expect(call.isFinished)
        #expect(registry.end(CallRegistry.key(10)))
        #expect(ended.withLock { $0 } == ["10"])
        // Remembered once: the same id again starts uncancelled.
        let again = registry.begin(CallRegistry.key(10))
        #expect(!again.isCancelled)
        #expect(!registry.end(CallRegistry.key(10)))
    }

    @Test("A cancellation while the call runs stops it; ids of different types are different calls")
    func during() async throws {
        let registry = CallRegistry()
        let call = registry.begin(CallRegistry.key(7))
        let other = registry.begin(CallRegistry.key("7"))
        let running = Task { await Self.longCall(call) }
        try await Task.sleep(for: .milliseconds(50))
        #expect(registry.cancel(CallRegistry.key(7)) === call)
        #expect(await running.value)
        #expect(!other.isCancelled)
    }

    @Test("Without a cancellation the call's value comes back unchanged")
    func normal() async {
        let call = CallRegistry().begin("k")
        #expect(await call.run { 42 } == 42)
        #expect(call.isFinished && !call.isCancelled)
    }

    @Test("A call the cancellation reaches after it completed is not stopped: it is answered and its stream not ended")
    func tooLate() async {
        let ended = Mutex<[String]>([])
        let registry = CallRegistry { key in ended.withLock { $0.append(key) } }
        let call = registry.begin("k")
        let value = await call.run { () -> Int in
            // The write passed its commit point; the cancellation lands before the call returns.
            registry.cancel("k")
            return 42
        }
        #expect(value == 42)
        #expect(call.isCancelled && !call.isStopped)
        #expect(!registry.end("k"))
        #expect(ended.withLock { $0 }.isEmpty)
    }

    @Test("whenStopped actions run once, when the call gives up — or at once when it already has")
    func whenStopped() {
        let call = CallCancellation()
        let runs = Mutex<[String]>([])
        call.whenStopped { runs.withLock { $0.append("before") } }
        call.cancel()
        #expect(runs.withLock { $0 }.isEmpty, "cancelling alone does not stop the call")
        call.markStopped()
        call.markStopped()
        call.whenStopped { runs.withLock { $0.append("after") } }
        #expect(runs.withLock { $0 } == ["before", "after"])
    }

    @Test("A switch flipped before the call starts is seen by the call's first step, every time")
    func flippedBeforeStart() async {
        var unseen = 0
        for _ in 0..<2_000 {
            let call = CallCancellation()
            call.cancel()
            if await !call.run({ Task.isCancelled }) { unseen += 1 }
        }
        #expect(unseen == 0)
    }

    /// Holds its call's switch, as a server holds its context's; the switch's actions capture it back.
    final class Owner: Sendable {
        let call = Mutex<CallCancellation?>(nil)
    }

    @Test("An ended call's switch lets go of what its actions and task captured (a server and its switch)",
          arguments: [false, true])
    func endedCallReleased(cancelled: Bool) async {
        let registry = CallRegistry()
        weak var weakOwner: Owner?
        do {
            let owner = Owner()
            weakOwner = owner
            let call = registry.begin("7")
            owner.call.withLock { $0 = call }
            call.whenStopped { _ = owner }
            if cancelled { registry.cancel("7") }
            _ = await call.run { [owner] in owner.call.withLock { $0 != nil } }
            if cancelled { call.markStopped() }
            #expect(registry.end("7") == cancelled)
        }
        #expect(weakOwner == nil, "the owner and its switch outlive the call")
    }
}
