import FoundationEssentials
package import QuiltContract
import QuiltHTTP
package import QuiltStorage

/// Resolves `s3://` roots to buckets through one S3 client, and everything else through a local resolver.
package struct S3StorageResolver: BucketListingResolver {
    package let client: S3Client
    package let local: LocalStorageResolver

    package init(client: S3Client, local: LocalStorageResolver) {
        self.client = client
        self.local = local
    }

    package func storage(for root: RegistryURL) throws(QuiltOpsError) -> any ObjectStorage {
        switch root.kind {
        case .s3: return try S3Storage(bucket: root.location, client: client)
        case .file, .memory: return try local.storage(for: root)
        }
    }

    package var serverFiles: ServerFileAccess { local.files }

    package func listBuckets() async throws(QuiltOpsError) -> [BucketInfo] {
        try await client.listBuckets().compactMap { b in
            guard let registry = try? RegistryURL.s3(b.name) else { return nil }
            return BucketInfo(name: b.name, registry: registry)
        }
    }
}
