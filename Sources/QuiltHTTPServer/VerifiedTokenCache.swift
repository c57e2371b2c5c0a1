import FoundationEssentials
package import QuiltContract
import QuiltJSON
import Synchronization

/// The credentials of tokens seen lately, so a client that sends the same bearer token on every request has it
/// parsed, verified and checked once, not on each request (with remote deployments every call is a request).
///
/// An entry lasts ``lifetime`` at most, and never past its token's `exp`: a token whose signing key leaves the JWKS
/// is still accepted for up to that long. Only tokens that were accepted are kept, at most ``capacity`` of them; when
/// full, expired entries go, then all of them (a flood of distinct valid tokens costs verification, not memory).
package final class VerifiedTokenCache: Sendable {
    /// The longest an accepted token is taken on trust.
    package static let lifetime: Double = 30
    /// The most tokens kept.
    package static let capacity = 1024

    private struct Entry {
        var credentials: RequestCredentials
        /// Seconds since 1970 until which the entry stands.
        var until: Double
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let now: @Sendable () -> Double

    package init(now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.now = now
    }

    /// The credentials kept for `token`, if they still stand.
    package func credentials(for token: String) -> RequestCredentials? {
        let now = now()
        return entries.withLock { entries in
            guard let entry = entries[token] else { return nil }
            guard now < entry.until else {
                entries[token] = nil
                return nil
            }
            return entry.credentials
        }
    }

    /// Keeps `credentials` for `token` for ``lifetime``, or until the token's `exp` if sooner.
    package func keep(_ credentials: RequestCredentials, for token: String) {
        let now = now()
        var until = now + Self.lifetime
        if let exp = credentials.claims["exp"]?.numberValue?.doubleValue, exp.isFinite { until = min(until, exp) }
        guard until > now else { return }
        entries.withLock { entries in
            if entries.count >= Self.capacity {
                entries = entries.filter { now < $0.value.until }
                if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[token] = Entry(credentials: credentials, until: until)
        }
    }
}
