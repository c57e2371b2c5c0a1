/// An optional area of the contract. Backends declare what they offer; anything else throws
/// `QuiltOpsError.unsupported`, never an empty result.
public enum Capability: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    /// Create and update package revisions.
    case packageWrite
    /// Delete revisions and packages.
    case packageDelete
    /// Full-text or name search.
    case search
    /// Time-limited URLs (presigned) for objects; without it `locateObject` may still return a local location.
    case presign
    /// List objects under a prefix in a bucket or registry root.
    case objectListing
    /// Write arbitrary objects.
    case objectWrite
    /// List the buckets (registries) the caller can see.
    case bucketListing

    /// The capabilities that change what is stored; a read-only deployment has none of them.
    public static let writes: Set<Capability> = [.packageWrite, .packageDelete, .objectWrite]

    public static func < (a: Capability, b: Capability) -> Bool { a.rawValue < b.rawValue }
}

/// Stable, path-safe backend identifier used in errors, test names and fixture paths: `memory`, `file`, `s3`, `platform`.
public struct BackendID: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
}
