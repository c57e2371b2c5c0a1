import QuiltJSON
import Synchronization
import Testing

@testable import QuiltServer

/// ``CallRegistry`` and ``CallCancellation``: cancellations before, during and after a call.
@Suite("Call cancellation switches")
struct CallRegistryTests {
    /// A call that runs until cancelled (or 10 s), reporting whether it saw the cancellation.
    static func longCall(_ call: CallCancellation) async -> Bool {
        await call.run {
            do {
                try await Task.sleep(for: .seconds(10))
                return false
            } catch {
                return true
            }
        }
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
}
