package import QuiltContract

/// Turns a write's phases into one strictly increasing MCP progress sequence.
///
/// The registry engine reports each phase from zero (`hashing-and-uploading` 1…n of n, then `writing-manifest`
/// 0…3 of 3); MCP requires `progress` to increase with every notification. Each new phase starts where the
/// previous one's total ended, the total grows by the phase's total, and a report that would not increase the
/// progress is dropped. A phase sends at most about ``stepsPerPhase`` notifications — its first report, then one
/// per hundredth of its total, and always its last — so a 100,000-entry package is ~100 notifications, not 100,000.
package struct ProgressSequence: Sendable {
    /// Notifications per phase, at most (plus the phase's first and last report).
    package static let stepsPerPhase: Int64 = 100
    private var base: Int64 = 0
    private var phase: String?
    private var phaseTotal: Int64 = 0
    private var last: Int64 = -1

    /// A sequence that has sent nothing.
    package init() {}

    /// The notification values for `report`, or nil when it would not advance the progress enough to be sent.
    package mutating func next(_ report: WriteProgress) -> (progress: Double, total: Double, message: String)? {
        let newPhase = phase != report.phase
        if phase != nil, newPhase { base += phaseTotal }
        phase = report.phase
        phaseTotal = report.total
        let progress = base + report.completed
        guard progress > last else { return nil }
        let step = max(1, report.total / Self.stepsPerPhase)
        let phaseEnd = report.completed >= report.total
        guard newPhase || phaseEnd || progress - max(last, base) >= step else { return nil }
        last = progress
        return (Double(progress), Double(base + report.total), "\(report.phase) \(report.completed)/\(report.total)")
    }
}

/// Forwards one call's ``QuiltContract/WriteProgress`` reports as `notifications/progress`, in order.
///
/// The tool layer calls ``handler`` synchronously from any task; reports queue in an unbounded stream that one
/// task drains into `send`, so notifications keep their order. ``finish()`` waits until every queued
/// notification is written, so they all precede the call's response.
final class ProgressForwarder: Sendable {
    /// Sends one `notifications/progress` (progress, total, message) for the call's token.
    typealias Send = @Sendable (Double, Double, String) async -> Void

    private let continuation: AsyncStream<WriteProgress>.Continuation
    private let drain: Task<Void, Never>

    /// Starts forwarding through `send`.
    init(send: @escaping Send) {
        let (stream, continuation) = AsyncStream.makeStream(of: WriteProgress.self, bufferingPolicy: .unbounded)
        self.continuation = continuation
        drain = Task {
            var sequence = ProgressSequence()
            for await report in stream {
                guard let values = sequence.next(report) else { continue }
                await send(values.progress, values.total, values.message)
            }
        }
    }

    /// The handler to put in the tool context.
    var handler: ProgressHandler {
        { [continuation] report in continuation.yield(report) }
    }

    /// Stops accepting reports and waits until the queued ones are sent.
    func finish() async {
        continuation.finish()
        await drain.value
    }
}
