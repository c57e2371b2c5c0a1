import QuiltS3
import Synchronization

/// AWS credentials for catalog bearer tokens (auth=jwt over an `s3://` registry), kept per token so that an HTTP
/// deployment exchanges each caller's token at `/api/auth/get_credentials` once per credential lifetime rather than
/// once per request.
///
/// Entries are keyed by the token's SHA-256 (``QuiltContract/RequestCredentials/tokenDigest``), never by the token, and
/// live only in memory (stateless deployments stay stateless). Bounded: beyond `capacity` tokens the least recently
/// used is dropped, and with it its credentials.
package final class TokenCredentialPool: Sendable {
    /// The pool every backend made by ``BackendFactory`` in this process shares.
    package static let shared = TokenCredentialPool(capacity: 1024)

    private struct Entry {
        let provider: any CredentialsProvider
        var lastUse: UInt64
    }
    private struct State {
        var entries: [String: Entry] = [:]
        var tick: UInt64 = 0
    }
    private let state = Mutex(State())
    /// Most tokens kept at once.
    package let capacity: Int

    package init(capacity: Int) { self.capacity = max(1, capacity) }

    /// The provider for the token with `digest`, made by `make` the first time (or after eviction).
    func provider(digest: String, make: () -> any CredentialsProvider) -> any CredentialsProvider {
        state.withLock { s in
            s.tick += 1
            if var entry = s.entries[digest] {
                entry.lastUse = s.tick
                s.entries[digest] = entry
                return entry.provider
            }
            let provider = make()
            s.entries[digest] = Entry(provider: provider, lastUse: s.tick)
            if s.entries.count > capacity, let oldest = s.entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
                s.entries.removeValue(forKey: oldest)
            }
            return provider
        }
    }

    /// How many tokens have credentials cached.
    package var count: Int { state.withLock { $0.entries.count } }
}
