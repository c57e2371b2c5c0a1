package import Foundation

/// A clock that starts at a fixed instant and advances one second per reading, so every push gets its own
/// timestamp pointer and results are reproducible.
package final class TickingClock: @unchecked Sendable {
    private let lock = NSLock()
    private var now: TimeInterval
    package init(start: TimeInterval = 1_795_282_874) { now = start }
    package func tick() -> Date {
        lock.lock()
        defer { lock.unlock() }
        now += 1
        return Date(timeIntervalSince1970: now)
    }
}
