package import FoundationEssentials
package import QuiltContract

/// Caches credentials from `fetch` and refreshes them before they expire; concurrent callers share one fetch.
///
/// Credentials without an expiration are kept until `invalidate()`. Temporary ones are refreshed once fewer than
/// `refreshWindow` seconds remain; if that refresh fails while they are still valid for `minimumValidity`
/// seconds, the current ones are returned (botocore's advisory/mandatory split).
package actor RefreshingCredentials: CredentialsProvider {
    package typealias Fetch = @Sendable () async throws(QuiltOpsError) -> AWSCredentials

    private let fetch: Fetch
    private let clock: @Sendable () -> Date
    package let refreshWindow: TimeInterval
    package let minimumValidity: TimeInterval
    private var current: AWSCredentials?
    private var inFlight: Task<AWSCredentials, any Error>?

    package init(
        refreshWindow: TimeInterval = 5 * 60, minimumValidity: TimeInterval = 60, clock: @escaping @Sendable () -> Date = { Date() },
        fetch: @escaping Fetch
    ) {
        self.fetch = fetch
        self.clock = clock
        self.refreshWindow = refreshWindow
        self.minimumValidity = minimumValidity
    }

    package func credentials() async throws(QuiltOpsError) -> AWSCredentials {
        let now = clock()
        if let c = current {
            guard let expiry = c.expiration else { return c }
            if expiry.timeIntervalSince(now) > refreshWindow { return c }
            do {
                return try await refresh()
            } catch {
                if expiry.timeIntervalSince(now) > minimumValidity { return c }
                throw error
            }
        }
        return try await refresh()
    }

    package func invalidate() async {
        current = nil
    }

    /// One fetch at a time; callers arriving meanwhile wait for the same result.
    private func refresh() async throws(QuiltOpsError) -> AWSCredentials {
        let task: Task<AWSCredentials, any Error>
        if let running = inFlight {
            task = running
        } else {
            let fetch = self.fetch
            task = Task { () async throws -> AWSCredentials in try await fetch() }
            inFlight = task
        }
        do {
            let fresh = try await task.value
            inFlight = nil
            current = fresh
            return fresh
        } catch {
            inFlight = nil
            throw (error as? QuiltOpsError) ?? .unauthenticated("\(error)")
        }
    }
}

/// Tries providers in order and sticks with the first that answers; if every one fails, the error names them all.
package actor FallbackCredentialsProvider: CredentialsProvider {
    private let providers: [(name: String, provider: any CredentialsProvider)]
    private var winner: Int?

    package init(_ providers: [(name: String, provider: any CredentialsProvider)]) {
        self.providers = providers
    }

    /// The name of the provider in use, once one has answered.
    package var activeName: String? { winner.map { providers[$0].name } }

    package func credentials() async throws(QuiltOpsError) -> AWSCredentials {
        if let winner {
            return try await providers[winner].provider.credentials()
        }
        var failures: [String] = []
        for (i, p) in providers.enumerated() {
            do {
                let c = try await p.provider.credentials()
                winner = i
                return c
            } catch {
                var reason = error.message
                if case .unauthenticated(let m) = error { reason = m }
                while reason.hasSuffix(".") { reason.removeLast() }
                failures.append("\(p.name): \(reason)")
            }
        }
        throw .unauthenticated("no credentials: " + failures.joined(separator: "; ") + ".")
    }

    package func invalidate() async {
        if let winner { await providers[winner].provider.invalidate() }
    }
}
