import Foundation
import Synchronization

/// Fault knobs: what the fake catalog does wrong on purpose, set by tests while it runs.
package final class FakeFaults: Sendable {
    struct State {
        var latency: Duration = .zero
        var serverErrors = 0
        var serverErrorStatus = 503
        var graphQLErrors = 0
        var truncations = 0
        var expiredTokens = false
        var onlyPaths: Set<String> = []
        var hold: (method: String, fragment: String, limit: Duration)?
        var held = 0
    }
    private let state = Mutex(State())

    package init() {}

    /// Every answer waits this long first.
    package func setLatency(_ d: Duration) { state.withLock { $0.latency = d } }
    /// The next `count` requests (to `paths`, when given) answer `status` (5xx) instead.
    package func failNext(_ count: Int, status: Int = 503, paths: Set<String> = []) {
        state.withLock {
            $0.serverErrors = count
            $0.serverErrorStatus = status
            $0.onlyPaths = paths
        }
    }
    /// The next `count` GraphQL requests answer `{"data": null, "errors": [...]}`.
    package func graphQLErrorsNext(_ count: Int) { state.withLock { $0.graphQLErrors = count } }
    /// The next `count` answers (to `paths`, when given) are cut off halfway.
    package func truncateNext(_ count: Int, paths: Set<String> = []) {
        state.withLock {
            $0.truncations = count
            $0.onlyPaths = paths
        }
    }
    /// Every bearer token is treated as expired (HTTP 401).
    package func setTokensExpired(_ expired: Bool) { state.withLock { $0.expiredTokens = expired } }

    /// Requests with `method` whose path contains `fragment` are held: each waits until ``release()``, then is
    /// served; one still held after `limit` answers 503 without acting. For a call that must still be running when
    /// the test acts on it.
    package func hold(_ method: String, pathContaining fragment: String, limit: Duration = .seconds(60)) {
        state.withLock { $0.hold = (method, fragment, limit) }
    }
    /// Ends the hold: waiting requests and later ones are served.
    package func release() { state.withLock { $0.hold = nil } }
    /// How many requests have been held so far.
    package var heldCount: Int { state.withLock { $0.held } }

    var latency: Duration { state.withLock { $0.latency } }

    /// Holds a request that matches the hold; true when it was held until its limit (it must then be refused, not
    /// served), false when it did not match or was released.
    func heldTooLong(_ method: String, _ path: String) async -> Bool {
        let limit = state.withLock { s -> Duration? in
            guard let hold = s.hold, hold.method == method, path.contains(hold.fragment) else { return nil }
            s.held += 1
            return hold.limit
        }
        guard let limit else { return false }
        let until = ContinuousClock.now + limit
        while state.withLock({ $0.hold != nil }) {
            if ContinuousClock.now >= until || Task.isCancelled { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
    var tokensExpired: Bool { state.withLock { $0.expiredTokens } }

    /// Takes one injected 5xx for `path`, if any is pending.
    func takeServerError(_ path: String) -> Int? {
        state.withLock { s in
            guard s.serverErrors > 0, s.onlyPaths.isEmpty || s.onlyPaths.contains(path) else { return nil }
            s.serverErrors -= 1
            return s.serverErrorStatus
        }
    }

    func takeGraphQLError() -> Bool {
        state.withLock { s in
            guard s.graphQLErrors > 0 else { return false }
            s.graphQLErrors -= 1
            return true
        }
    }

    func takeTruncation(_ path: String) -> Bool {
        state.withLock { s in
            guard s.truncations > 0, s.onlyPaths.isEmpty || s.onlyPaths.contains(path) else { return false }
            s.truncations -= 1
            return true
        }
    }
}

/// Requests the fake received, by `METHOD /path` (no query), and GraphQL operations by name.
package final class FakeRequestLog: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    func record(_ key: String) { counts.withLock { $0[key, default: 0] += 1 } }

    /// How many requests matched `key` (`GET /config.json`, `POST /graphql`, `graphql RevisionContents`, `S3 GET`).
    package func count(_ key: String) -> Int { counts.withLock { $0[key] ?? 0 } }
    /// Every key and its count.
    package var all: [String: Int] { counts.withLock { $0 } }
    /// The total number of HTTP requests.
    package var total: Int { counts.withLock { $0.filter { !$0.key.hasPrefix("graphql ") && !$0.key.hasPrefix("S3 ") }.values.reduce(0, +) } }
    package func reset() { counts.withLock { $0.removeAll() } }
}
