import Foundation
import QuiltHTTP
import QuiltContract
import QuiltStorage

/// Resolves `s3://` roots to buckets through one S3 client, and everything else through a local resolver.
public struct S3StorageResolver: BucketListingResolver {
    public let client: S3Client
    public let local: LocalStorageResolver

    public init(client: S3Client, local: LocalStorageResolver) {
        self.client = client
        self.local = local
    }

    public func storage(for root: RegistryURL) throws(QuiltOpsError) -> any ObjectStorage {
        switch root.kind {
        case .s3: return try S3Storage(bucket: root.location, client: client)
        case .file, .memory: return try local.storage(for: root)
        }
    }

    public var serverFiles: ServerFileAccess { local.files }

    public func listBuckets() async throws(QuiltOpsError) -> [BucketInfo] {
        try await client.listBuckets().compactMap { b in
            guard let registry = try? RegistryURL.s3(b.name) else { return nil }
            return BucketInfo(name: b.name, registry: registry)
        }
    }
}
