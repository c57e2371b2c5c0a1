import Foundation
import QuiltHash
import Synchronization

/// An API key as the catalog keeps it: never its secret, only the secret's SHA-256 (nil for the seeds, which have
/// no secret at all).
struct FakeAPIKey: Sendable, Equatable {
    let id: String
    let name: String
    let fingerprint: String
    let createdAt: Date
    let expiresAt: Date
    let lastUsedAt: Date?
    let userEmail: String
    let secretDigest: String?

    /// `ACTIVE`, or `EXPIRED` once `expiresAt` is past (an `APIKeyStatus`, decided when read).
    func status(at now: Date) -> String { expiresAt <= now ? "EXPIRED" : "ACTIVE" }
}

/// The catalog's API keys (catalogs from 2026-06): users make and revoke their own, admins list and revoke anyone's.
/// Seeded with an expired key of analyst's and an active one of admin's.
final class FakeAPIKeyState: Sendable {
    private struct Keys {
        var list: [FakeAPIKey]
        var next = 1
    }
    private let keys: Mutex<Keys>
    private let clock: @Sendable () -> Date

    /// The longest a key may live, in days.
    static let maxDays = 365
    static let secretPrefix = "qk_"

    /// - Parameter clock: "now" for new keys and for telling expired ones.
    init(clock: @escaping @Sendable () -> Date) {
        self.clock = clock
        func day(_ seconds: TimeInterval) -> Date { Date(timeIntervalSince1970: seconds) }
        keys = Mutex(Keys(list: [
            // 2026-01-20T08:00:00Z … 2026-04-20T08:00:00Z
            FakeAPIKey(
                id: "key-seed-1", name: "nightly-sync", fingerprint: "qk_seed0001", createdAt: day(1_768_896_000), expiresAt: day(1_776_672_000),
                lastUsedAt: nil, userEmail: "analyst@example.com", secretDigest: nil),
            // 2026-02-01T08:00:00Z … 2099-01-01T00:00:00Z
            FakeAPIKey(
                id: "key-seed-2", name: "dashboards", fingerprint: "qk_seed0002", createdAt: day(1_769_932_800), expiresAt: day(4_070_908_800),
                lastUsedAt: nil, userEmail: "admin@example.com", secretDigest: nil),
        ]))
    }

    var now: Date { clock() }

    /// The keys matching every filter given (exact matches; `status` as of now), in creation order.
    func list(email: String?, name: String?, fingerprint: String?, status: String?) -> [FakeAPIKey] {
        let now = now
        return keys.withLock { $0.list }.filter { k in
            (email == nil || k.userEmail == email) && (name == nil || k.name == name) && (fingerprint == nil || k.fingerprint == fingerprint)
                && (status == nil || k.status(at: now) == status)
        }
    }

    func get(id: String) -> FakeAPIKey? { keys.withLock { s in s.list.first { $0.id == id } } }

    /// Makes a key for `email`, valid `days` days from now; returns it and its secret (the only time it is seen).
    func create(name: String, days: Int, email: String) -> Result<(FakeAPIKey, String), FakeAdminRefusal> {
        var errors: [(path: String, message: String, name: String)] = []
        if name.allSatisfy(\.isWhitespace) { errors.append(("input.name", "the name must not be blank", "InvalidName")) }
        if !(1...Self.maxDays).contains(days) {
            errors.append(("input.expiresInDays", "a key lives 1 to \(Self.maxDays) days, not \(days)", "InvalidExpiry"))
        }
        guard errors.isEmpty else { return .failure(.invalid(errors)) }
        let secret = Self.secretPrefix + Self.randomBase62(40)
        let now = now
        let key = keys.withLock { s in
            let key = FakeAPIKey(
                id: "key-\(s.next)", name: name, fingerprint: String(secret.prefix(Self.secretPrefix.count + 8)), createdAt: now,
                expiresAt: now.addingTimeInterval(TimeInterval(days) * 86_400), lastUsedAt: nil, userEmail: email, secretDigest: Self.digest(secret))
            s.next += 1
            s.list.append(key)
            return key
        }
        return .success((key, secret))
    }

    /// Revokes (deletes) a key; false when there is none with `id`.
    func revoke(id: String) -> Bool {
        keys.withLock { s in
            guard let i = s.list.firstIndex(where: { $0.id == id }) else { return false }
            s.list.remove(at: i)
            return true
        }
    }

    /// Revokes one of `email`'s own keys, named by id, by secret, or by both (then both must match); false when
    /// none matches.
    func revoke(id: String?, secret: String?, owner email: String) -> Bool {
        guard id != nil || secret != nil else { return false }
        let digest = secret.map(Self.digest)
        return keys.withLock { s in
            guard
                let i = s.list.firstIndex(where: { k in
                    k.userEmail == email && (id == nil || k.id == id) && (digest == nil || k.secretDigest == digest)
                })
            else { return false }
            s.list.remove(at: i)
            return true
        }
    }

    /// The SHA-256 of a secret, in hex.
    static func digest(_ secret: String) -> String { ObjectHashing.hash(Array(secret.utf8), type: .sha256).value }

    /// `count` random characters of `0-9A-Za-z`.
    static func randomBase62(_ count: Int) -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var rng = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet[Int(rng.next(upperBound: UInt64(alphabet.count)))] })
    }
}
