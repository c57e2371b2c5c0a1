import Foundation

/// One key in a listing.
public struct S3ObjectSummary: Sendable, Hashable {
    public var key: String
    public var size: Int64
    public var lastModified: Date?
    public var etag: String?
}

/// One page of ListObjectsV2.
public struct S3ListPage: Sendable, Hashable {
    public var objects: [S3ObjectSummary]
    public var commonPrefixes: [String]
    public var isTruncated: Bool
    public var nextContinuationToken: String?
}

/// What HeadObject and GetObject say about an object.
public struct S3ObjectHead: Sendable, Hashable {
    public var size: Int64
    public var lastModified: Date?
    public var etag: String?
    public var versionId: String?
    public var contentType: String?
    /// User metadata (`x-amz-meta-*`), names lower-cased without the prefix.
    public var metadata: [String: String]
    /// `x-amz-checksum-sha256` when S3 returned it (HeadObject with checksum mode, PutObject).
    public var checksumSHA256: String?
}

/// The result of a write (PutObject, CompleteMultipartUpload, CopyObject).
public struct S3WriteResult: Sendable, Hashable {
    public var etag: String?
    public var versionId: String?
    /// Base64 SHA-256 (single part) or `<base64>-<parts>` (composite, multipart).
    public var checksumSHA256: String?
    public var lastModified: Date?
}

/// A bucket from ListBuckets.
public struct S3Bucket: Sendable, Hashable {
    public var name: String
    public var creationDate: Date?
}
