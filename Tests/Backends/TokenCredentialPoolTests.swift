import Foundation
import QuiltContract
import QuiltS3
import Synchronization
import Testing

@testable import QuiltBackends

/// ``TokenCredentialPool``: one provider per token digest, least recently used dropped beyond capacity.
@Suite("Token credential pool")
struct TokenCredentialPoolTests {
    /// Counts how often the pool asks for a new provider.
    final class Maker: Sendable {
        let made = Mutex<[String]>([])
        func make(_ name: String) -> any CredentialsProvider {
            made.withLock { $0.append(name) }
            return StaticCredentialsProvider(AWSCredentials(accessKeyId: "AKID-" + name, secretAccessKey: "s", sessionToken: nil, expiration: nil, source: name))
        }
    }

    @Test("The same digest gets the same provider; beyond capacity the least recently used is made again")
    func lru() async throws {
        let pool = TokenCredentialPool(capacity: 2)
        let maker = Maker()
        func key(_ digest: String) async throws -> String {
            try await pool.provider(digest: digest) { maker.make(digest) }.credentials().accessKeyId
        }
        #expect(try await key("a") == "AKID-a")
        #expect(try await key("b") == "AKID-b")
        #expect(try await key("a") == "AKID-a")  // a is now the most recent
        #expect(try await key("c") == "AKID-c")  // evicts b
        #expect(pool.count == 2)
        #expect(try await key("a") == "AKID-a")
        #expect(try await key("b") == "AKID-b")  // made again
        #expect(maker.made.withLock { $0 } == ["a", "b", "c", "b"])
    }
}
