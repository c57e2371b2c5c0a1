import Hummingbird
import QuiltMode
import Synchronization

/// Admission and accounting of `/mcp` requests: at most `max_requests` in flight in this process and
/// `max_caller_requests` per caller (a tenant, or a token's digest); past either bound the request is refused at
/// once — 503 (this replica is full: another may not be) or 429 (this caller has enough in flight) — with
/// `Retry-After`, never queued without bound. Graceful shutdown waits on the same count for requests to finish.
final class InFlightRequests: Sendable {
    /// Why a request was not admitted.
    enum Refusal: String, Sendable {
        /// This process already serves `max_requests`.
        case replicaFull = "replica_full"
        /// This caller already has `max_caller_requests` in flight.
        case callerFull = "caller_full"
    }

    private struct State {
        var count = 0
        var perCaller: [String: Int] = [:]
    }

    // Synchronous, so a request's slot is free before its answer reaches the client: a client that sends its next
    // request the moment it reads an answer never finds its own previous request still counted.
    private let state = Mutex(State())
    let limit: Int
    let callerLimit: Int

    init(limit: Int = Mode.Limits.defaults.requests, callerLimit: Int = Mode.Limits.defaults.callerRequests) {
        self.limit = max(1, limit)
        self.callerLimit = max(1, callerLimit)
    }

    /// Admits a request from `caller` (nil: no caller identity) and counts it, or says why not.
    func admit(caller: String?) -> Refusal? {
        let outcome = state.withLock { s -> (Refusal?, Int) in
            guard s.count < limit else { return (.replicaFull, s.count) }
            if let caller {
                let current = s.perCaller[caller, default: 0]
                guard current < callerLimit else { return (.callerFull, s.count) }
                s.perCaller[caller] = current + 1
            }
            s.count += 1
            return (nil, s.count)
        }
        switch outcome.0 {
        case .replicaFull?: ServerMetrics.rejected(.replicaFull)
        case .callerFull?: ServerMetrics.rejected(.callerFull)
        case nil: ServerMetrics.inFlight(outcome.1)
        }
        return outcome.0
    }

    /// Ends a request admitted for `caller`.
    func end(caller: String?) {
        let count = state.withLock { s -> Int in
            s.count = max(0, s.count - 1)
            if let caller, let current = s.perCaller[caller] {
                if current <= 1 { s.perCaller.removeValue(forKey: caller) } else { s.perCaller[caller] = current - 1 }
            }
            return s.count
        }
        ServerMetrics.inFlight(count)
    }

    /// Returns once no request is in flight, or after `timeout` (checked every 10 ms).
    func waitUntilIdle(timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while current > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Requests in flight.
    var current: Int { state.withLock { $0.count } }

    /// Callers with a request in flight.
    var callers: Int { state.withLock { $0.perCaller.count } }

    /// The answer to a refused request: 503 or 429 with `Retry-After: 1` and a JSON-RPC error naming the bound.
    static func response(_ refusal: Refusal, limits: Mode.Limits) -> Response {
        switch refusal {
        case .replicaFull:
            return HTTPBridge.rpcError(
                status: 503, code: -32000,
                "Server busy: this replica is serving its maximum of \(limits.requests) requests "
                    + "(\(Mode.Limits.variable(.maxRequests))); retry after 1 s",
                headers: HTTPBridge.fields(["Retry-After": "1"]))
        case .callerFull:
            return HTTPBridge.rpcError(
                status: 429, code: -32000,
                "Too many requests: this caller already has \(limits.callerRequests) requests in flight "
                    + "(\(Mode.Limits.variable(.maxCallerRequests))); wait for one to finish, or retry after 1 s",
                headers: HTTPBridge.fields(["Retry-After": "1"]))
        }
    }
}
