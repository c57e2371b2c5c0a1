package import FoundationEssentials
package import QuiltContract

/// AWS credentials for signing requests. Never logged or written to fixtures.
package struct AWSCredentials: Sendable, Hashable {
    package var accessKeyId: String
    package var secretAccessKey: String
    package var sessionToken: String?
    /// When temporary credentials expire; nil for long-lived keys.
    package var expiration: Date?
    /// Where they came from, for `authStatus` (e.g. `environment`, `profile default`, `quilt3 session`).
    package var source: String
    package init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil, source: String) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
        self.source = source
    }
}

extension AWSCredentials: CustomStringConvertible, CustomDebugStringConvertible {
    /// Names the source and a masked key id only; secrets never appear in logs or interpolations.
    package var description: String {
        "AWSCredentials(\(accessKeyId.prefix(4))…, from \(source)\(expiration.map { ", expires \($0)" } ?? ""))"
    }
    package var debugDescription: String { description }
}

/// Supplies (and refreshes) credentials; implementations must be safe under concurrency.
package protocol CredentialsProvider: Sendable {
    /// Current credentials, refreshed before they expire.
    /// - Throws: `QuiltOpsError.unauthenticated` naming what was tried and how to fix it.
    func credentials() async throws(QuiltOpsError) -> AWSCredentials

    /// Forgets cached credentials (S3 said they expired); the next `credentials()` fetches fresh ones.
    func invalidate() async
}

extension CredentialsProvider {
    package func invalidate() async {}
}

/// Fixed credentials (tests, and keys given explicitly).
package struct StaticCredentialsProvider: CredentialsProvider {
    package let value: AWSCredentials
    package init(_ value: AWSCredentials) { self.value = value }
    package func credentials() async throws(QuiltOpsError) -> AWSCredentials { value }
}
