/// How remote calls are retried: bounded attempts with exponential backoff and full jitter.
///
/// Injectable, so replayed tests use `.none` (no retry, no sleep) and unit tests use a recording sleep.
package struct RetryPolicy: Sendable {
    /// Total attempts, including the first (1 = never retry).
    package var maxAttempts: Int
    /// The backoff before the second attempt, before jitter; doubles each time.
    package var baseDelay: Duration
    /// The longest backoff.
    package var maxDelay: Duration
    /// Waits between attempts.
    package var sleep: @Sendable (Duration) async -> Void
    /// A uniform random number in 0..<1 for jitter.
    package var random: @Sendable () -> Double

    package init(
        maxAttempts: Int, baseDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(5),
        sleep: @escaping @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.sleep = sleep
        self.random = random
    }

    /// Four attempts, 100 ms doubling up to 5 s, full jitter (the AWS SDKs' "standard" shape).
    package static let standard = RetryPolicy(maxAttempts: 4)
    /// One attempt; nothing is retried and nothing sleeps (replay, recording).
    package static let none = RetryPolicy(maxAttempts: 1, sleep: { _ in }, random: { 0 })

    /// The wait after failed attempt `attempt` (1-based): a random fraction of `min(maxDelay, base × 2^(attempt-1))`.
    package func delay(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        return ceiling * random()
    }
}
