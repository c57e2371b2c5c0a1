package import FoundationEssentials

/// One key in a listing.
package struct S3ObjectSummary: Sendable, Hashable {
    package var key: String
    package var size: Int64
    package var lastModified: Date?
    package var etag: String?
}

/// One page of ListObjectsV2.
package struct S3ListPage: Sendable, Hashable {
    package var objects: [S3ObjectSummary]
    package var commonPrefixes: [String]
    package var isTruncated: Bool
    package var nextContinuationToken: String?
}

/// What HeadObject and GetObject say about an object.
package struct S3ObjectHead: Sendable, Hashable {
    package var size: Int64
    package var lastModified: Date?
    package var etag: String?
    package var versionId: String?
    package var contentType: String?
    /// User metadata (`x-amz-meta-*`), names lower-cased without the prefix.
    package var metadata: [String: String]
    /// `x-amz-checksum-sha256` when S3 returned it (HeadObject with checksum mode, PutObject).
    package var checksumSHA256: String?
}

/// The result of a write (PutObject, CompleteMultipartUpload, CopyObject).
package struct S3WriteResult: Sendable, Hashable {
    package var etag: String?
    package var versionId: String?
    /// Base64 SHA-256 (single part) or `<base64>-<parts>` (composite, multipart).
    package var checksumSHA256: String?
    package var lastModified: Date?
}

/// A bucket from ListBuckets.
package struct S3Bucket: Sendable, Hashable {
    package var name: String
    package var creationDate: Date?
}
