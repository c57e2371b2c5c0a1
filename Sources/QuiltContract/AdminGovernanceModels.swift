public import QuiltJSON

/// A role to create, or what a role becomes: a managed role with the policies it gets (ids), or an unmanaged one
/// naming an IAM role made elsewhere.
public enum AdminRoleInput: Sendable, Hashable {
    case managed(name: String, policies: [String])
    case unmanaged(name: String, arn: String)

    public var name: String {
        switch self {
        case .managed(let name, _), .unmanaged(let name, _): name
        }
    }
}

/// A bucket permission of a managed policy.
public struct AdminBucketPermission: Sendable, Hashable {
    public enum Level: String, Sendable, Hashable, CaseIterable {
        case read = "READ"
        case readWrite = "READ_WRITE"
    }
    public var bucket: String
    public var level: Level
    public init(bucket: String, level: Level) {
        self.bucket = bucket
        self.level = level
    }
}

/// An IAM policy the catalog knows: managed (it writes the policy from bucket permissions) or unmanaged (an ARN).
public struct AdminPolicy: Sendable, Hashable {
    public var id: String
    public var title: String
    public var arn: String?
    public var managed: Bool
    public var permissions: [AdminBucketPermission]
    /// The names of the managed roles that have it.
    public var roles: [String]
    public init(id: String, title: String, arn: String?, managed: Bool, permissions: [AdminBucketPermission], roles: [String]) {
        self.id = id
        self.title = title
        self.arn = arn
        self.managed = managed
        self.permissions = permissions
        self.roles = roles
    }
}

/// A policy to create, or what a policy becomes; `roles` are the ids of the managed roles that get it.
public enum AdminPolicyInput: Sendable, Hashable {
    case managed(title: String, permissions: [AdminBucketPermission], roles: [String])
    case unmanaged(title: String, arn: String, roles: [String])
}

/// A bucket's catalog settings. In an update, nil leaves a setting as it is.
public struct AdminBucketSettings: Sendable, Hashable {
    public var title: String?
    public var description: String?
    public var iconURL: String?
    public var overviewURL: String?
    public var tags: [String]?
    public var relevanceScore: Int?
    public var browsable: Bool?
    public var snsNotificationARN: String?
    public var scannerParallelShardsDepth: Int?
    public var skipMetadataIndexing: Bool?
    public var fileExtensionsToIndex: [String]?
    public var indexContentBytes: Int?
    public var prefixes: [String]?
    public var linkedData: JSONValue?
    public init(
        title: String? = nil, description: String? = nil, iconURL: String? = nil, overviewURL: String? = nil, tags: [String]? = nil,
        relevanceScore: Int? = nil, browsable: Bool? = nil, snsNotificationARN: String? = nil, scannerParallelShardsDepth: Int? = nil,
        skipMetadataIndexing: Bool? = nil, fileExtensionsToIndex: [String]? = nil, indexContentBytes: Int? = nil,
        prefixes: [String]? = nil, linkedData: JSONValue? = nil
    ) {
        self.title = title
        self.description = description
        self.iconURL = iconURL
        self.overviewURL = overviewURL
        self.tags = tags
        self.relevanceScore = relevanceScore
        self.browsable = browsable
        self.snsNotificationARN = snsNotificationARN
        self.scannerParallelShardsDepth = scannerParallelShardsDepth
        self.skipMetadataIndexing = skipMetadataIndexing
        self.fileExtensionsToIndex = fileExtensionsToIndex
        self.indexContentBytes = indexContentBytes
        self.prefixes = prefixes
        self.linkedData = linkedData
    }
}

/// A bucket as the catalog keeps it: its name and settings.
public struct AdminBucket: Sendable, Hashable {
    public var name: String
    public var settings: AdminBucketSettings
    public init(name: String, settings: AdminBucketSettings) {
        self.name = name
        self.settings = settings
    }
}

/// An API key (never its secret).
public struct AdminAPIKey: Sendable, Hashable {
    public var id: String
    public var name: String
    public var fingerprint: String
    public var userEmail: String
    public var createdAt: String?
    public var expiresAt: String?
    public var lastUsedAt: String?
    /// `ACTIVE` or `EXPIRED`.
    public var status: String
    public init(
        id: String, name: String, fingerprint: String, userEmail: String, createdAt: String?, expiresAt: String?, lastUsedAt: String?,
        status: String
    ) {
        self.id = id
        self.name = name
        self.fingerprint = fingerprint
        self.userEmail = userEmail
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
        self.status = status
    }
}

/// Which API keys to list; nil matches any.
public struct AdminAPIKeyFilter: Sendable, Hashable {
    public var email: String?
    public var name: String?
    public var fingerprint: String?
    public var status: String?
    public init(email: String? = nil, name: String? = nil, fingerprint: String? = nil, status: String? = nil) {
        self.email = email
        self.name = name
        self.fingerprint = fingerprint
        self.status = status
    }
}

/// A new API key and its secret, which the catalog shows this once. The secret's description is redacted, so
/// printing the value by mistake (a log line, an error) does not show it.
public struct CreatedAPIKey: Sendable, Hashable, CustomStringConvertible {
    public var key: AdminAPIKey
    public var secret: String
    public init(key: AdminAPIKey, secret: String) {
        self.key = key
        self.secret = secret
    }
    public var description: String { "CreatedAPIKey(\(key.fingerprint), secret: <redacted>)" }
}

/// One of the packager's event rules (what makes packages from bucket events).
public struct PackagerEventRule: Sendable, Hashable {
    public var name: String
    public var enabled: Bool
    public init(name: String, enabled: Bool) {
        self.name = name
        self.enabled = enabled
    }
}
