/// Counts `/mcp` requests whose response is not yet complete, so graceful shutdown can let them finish before
/// it ends sessions.
actor InFlightRequests {
    private var count = 0

    func begin() { count += 1 }

    func end() { count = max(0, count - 1) }

    /// Returns once no request is in flight, or after `timeout` (checked every 10 ms).
    func waitUntilIdle(timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while count > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Requests in flight.
    var current: Int { count }
}
