/// One check of what the caller may do: which, how it was made, and what came of it.
public struct AccessProbe: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable {
        /// The call succeeded.
        case allowed
        /// The service refused it (AccessDenied, a catalog that says no).
        case denied
        /// It could not tell: the bucket does not exist, the service failed, the probe was impossible.
        case failed
        /// Not made, and why (not asked for, nothing to read, no AWS credentials).
        case skipped
    }
    /// `identity`, `buckets`, `list`, `read`, `write`, `location`, `versioning`, `policy_status`, `catalog`.
    public var check: String
    /// The call made, e.g. `S3 ListObjectsV2 (max-keys=1)`.
    public var how: String
    public var outcome: Outcome
    /// What it answered (a region, a status) or why it was refused, failed or skipped.
    public var detail: String?
    public init(check: String, how: String, outcome: Outcome, detail: String? = nil) {
        self.check = check
        self.how = how
        self.outcome = outcome
        self.detail = detail
    }
}

/// What the caller may do with one bucket (or local registry), probe by probe.
public struct BucketAccess: Sendable, Hashable {
    /// The bucket's name, or the registry URL of a local registry.
    public var bucket: String
    public var registry: RegistryURL
    public var probes: [AccessProbe]
    /// Where the bucket was heard of: `asked`, `S3 ListBuckets`, `catalog`, `configured registry`.
    public var sources: [String]
    public init(bucket: String, registry: RegistryURL, probes: [AccessProbe] = [], sources: [String] = []) {
        self.bucket = bucket
        self.registry = registry
        self.probes = probes
        self.sources = sources
    }

    /// The outcome of `check`, nil when it was not probed.
    public func outcome(_ check: String) -> AccessProbe.Outcome? { probes.first { $0.check == check }?.outcome }
}

/// The AWS identity credentials act as (STS GetCallerIdentity).
public struct AWSIdentity: Sendable, Hashable {
    public var account: String?
    public var arn: String?
    public var userId: String?
    public init(account: String?, arn: String?, userId: String?) {
        self.account = account
        self.arn = arn
        self.userId = userId
    }
}

/// The catalog's user: name, role, whether an admin.
public struct CatalogUser: Sendable, Hashable {
    public var name: String?
    public var role: String?
    public var admin: Bool?
    public init(name: String?, role: String?, admin: Bool?) {
        self.name = name
        self.role = role
        self.admin = admin
    }
}

/// Who the caller is and what they may reach.
public struct AccessReport: Sendable, Hashable {
    /// How the identity was found (STS GetCallerIdentity, the catalog's `me`), with the outcome.
    public var identityProbes: [AccessProbe]
    /// The AWS identity; nil when none could be had.
    public var aws: AWSIdentity?
    /// The catalog user; nil without a catalog.
    public var catalogUser: CatalogUser?
    /// How the buckets were found (ListBuckets, the catalog's bucket list), with the outcome.
    public var bucketProbes: [AccessProbe]
    public var buckets: [BucketAccess]
    public init(
        identityProbes: [AccessProbe], aws: AWSIdentity?, catalogUser: CatalogUser?, bucketProbes: [AccessProbe],
        buckets: [BucketAccess]
    ) {
        self.identityProbes = identityProbes
        self.aws = aws
        self.catalogUser = catalogUser
        self.bucketProbes = bucketProbes
        self.buckets = buckets
    }
}

/// What a bucket probe may do.
public enum AccessOperation: String, Sendable, Hashable, CaseIterable {
    /// List the bucket (one key).
    case list
    /// Read an object (the first listed, one byte).
    case read
    /// Write an object and remove it (that version only, so nothing is left behind): only when asked.
    case write
}

/// Access checks: who the caller is and what they may do with buckets, found by calls that are safe to make.
///
/// A probe never changes anything except the `write` probe, made only when asked, which writes one object under
/// `.quilt-mcp-probe/` and removes exactly that object version. Every answer says which calls were made and what
/// each returned; a refusal is an answer (`denied`), not an error.
public protocol AccessOps: Sendable {
    /// Who the backend acts as (AWS and/or catalog identity), the buckets it can find (the given ones, else those
    /// ListBuckets, the catalog and the configuration name), and for each its list, location, versioning and
    /// policy-status probes. `includeOthers` adds buckets found outside the account's own listing (the catalog's,
    /// the configured registry) when `buckets` is nil.
    /// - Throws: `.invalidInput(field: "check_buckets")` for a name that is no bucket or registry.
    func discoverPermissions(buckets: [String]?, includeOthers: Bool) async throws(QuiltOpsError) -> AccessReport

    /// The `operations` probes on `bucket`, plus its location and whether the catalog lists it.
    /// - Throws: `.invalidInput(field: "bucket")` for a name that is no bucket or registry.
    func checkBucketAccess(bucket: String, operations: Set<AccessOperation>) async throws(QuiltOpsError) -> BucketAccess
}
