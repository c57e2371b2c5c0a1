import FoundationEssentials

/// The recent events of one session, for `Last-Event-ID` resumption: at most ``maxEvents`` events and about
/// ``maxBytes`` of messages (always the newest event, whatever its size); older events are dropped, and resuming
/// from one of them is refused. Event ids are `<stream>-<sequence>`; sequences are consecutive, so an id is found
/// by arithmetic, not search.
struct ReplayLog: Sendable {
    /// Events kept, at most.
    let maxEvents: Int
    /// Message bytes kept, about (the newest event is kept whatever its size).
    let maxBytes: Int

    private struct Event {
        let stream: Int
        let message: Data?
    }

    private var events: [Event] = []
    /// Index in ``events`` of the oldest kept event (dropped ones are compacted away now and then).
    private var head = 0
    /// Sequence number of `events[head]`.
    private var firstSequence = 1
    /// Message bytes kept.
    private(set) var bytes = 0

    init(maxEvents: Int = 256, maxBytes: Int = 1 << 20) {
        self.maxEvents = max(1, maxEvents)
        self.maxBytes = maxBytes
    }

    /// How many events are kept.
    var count: Int { events.count - head }

    /// Records a message (nil: a priming event) of `stream` and returns its event id.
    mutating func append(_ message: Data?, stream: Int) -> String {
        events.append(Event(stream: stream, message: message))
        bytes += message?.count ?? 0
        let sequence = firstSequence + count - 1
        while count > 1, count > maxEvents || bytes > maxBytes {
            bytes -= events[head].message?.count ?? 0
            head += 1
            firstSequence += 1
        }
        if head > 256, head * 2 > events.count {
            events.removeFirst(head)
            head = 0
        }
        return "\(stream)-\(sequence)"
    }

    /// The stream of event `id` and that stream's messages after it, or nil when `id` is unknown or dropped.
    func events(after id: String) -> (stream: Int, events: [(id: String, message: Data)])? {
        let parts = id.split(separator: "-")
        guard parts.count == 2, let stream = Int(parts[0]), let sequence = Int(parts[1]),
            sequence >= firstSequence, sequence < firstSequence + count,
            events[head + sequence - firstSequence].stream == stream
        else { return nil }
        var after: [(id: String, message: Data)] = []
        for offset in (sequence - firstSequence + 1)..<count {
            let event = events[head + offset]
            if event.stream == stream, let message = event.message {
                after.append(("\(stream)-\(firstSequence + offset)", message))
            }
        }
        return (stream, after)
    }
}

/// Server-Sent Events framing of JSON-RPC messages.
enum SSEFrame {
    /// `message` event carrying one JSON-RPC message (which is one line: compact JSON).
    static func message(_ message: Data, id: String?) -> Data {
        var frame = Data()
        if let id { frame.append(contentsOf: "id: \(id)\n".utf8) }
        frame.append(contentsOf: "event: message\ndata: ".utf8)
        frame.append(message)
        frame.append(contentsOf: "\n\n".utf8)
        return frame
    }

    /// An event with an id and empty data, sent first on a stream so the client can resume from its start.
    static func priming(id: String, retry: Int?) -> Data {
        var frame = "id: \(id)\n"
        if let retry { frame += "retry: \(retry)\n" }
        frame += "data: \n\n"
        return Data(frame.utf8)
    }
}
