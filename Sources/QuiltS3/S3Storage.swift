import Crypto
package import FoundationEssentials
package import QuiltContract
import QuiltHTTP
import QuiltHash
package import QuiltStorage

/// A bucket as `ObjectStorage` for the registry engine: keys are relative to the bucket, listings come from
/// ListObjectsV2, reads stream, and writes report the `versionId` S3 assigns so a versioned bucket's manifest
/// records `s3://bucket/key?versionId=…` as quilt3 does.
///
/// Local files of 8 MiB and more are uploaded as multipart uploads whose parts are exactly quilt's chunk size, so
/// S3's composite SHA-256 equals the file's `sha2-256-chunked` hash (checked when S3 returns it).
package struct S3Storage: ObjectStorage, PresigningStorage {
    package let root: RegistryURL
    package let bucket: String
    package let client: S3Client
    /// Files at least this large go as multipart uploads (quilt3's threshold).
    package static let multipartThreshold: Int64 = Int64(ChunkedChecksum.defaultChunkSize)

    package init(bucket: String, client: S3Client) throws(QuiltOpsError) {
        self.root = try RegistryURL.s3(bucket)
        self.bucket = bucket
        self.client = client
    }

    // MARK: - Reading

    package func head(_ key: String) async throws(QuiltOpsError) -> StoredObject {
        try await head(key, versionId: nil)
    }

    package func head(_ key: String, versionId: String?) async throws(QuiltOpsError) -> StoredObject {
        let h = try await mapped(key, versionId) { () throws(QuiltOpsError) in
            try await client.headObject(bucket: bucket, key: key, versionId: versionId)
        }
        return stored(key, h)
    }

    package func get(_ key: String, range: ByteRange?) async throws(QuiltOpsError) -> (StoredObject, [UInt8]) {
        try await get(key, range: range, versionId: nil)
    }

    package func get(_ key: String, range: ByteRange?, versionId: String?) async throws(QuiltOpsError) -> (StoredObject, [UInt8]) {
        do {
            let (h, bytes) = try await mapped(key, versionId) { () throws(QuiltOpsError) in
                try await client.getObject(bucket: bucket, key: key, versionId: versionId, range: range)
            }
            return (stored(key, h), bytes)
        } catch .invalidInput(field: "range", let reason) {
            // S3 refuses any range of an empty object; the other stores return no bytes for offset 0.
            guard range?.offset == 0 else { throw .invalidInput(field: "range", reason: reason) }
            let h = try await head(key, versionId: versionId)
            guard h.size == 0 else { throw .invalidInput(field: "range", reason: reason) }
            return (h, [])
        }
    }

    package func reader(_ key: String) async throws(QuiltOpsError) -> any ChunkReader {
        try await reader(key, versionId: nil)
    }

    package func reader(_ key: String, versionId: String?) async throws(QuiltOpsError) -> any ChunkReader {
        let (h, body) = try await mapped(key, versionId) { () throws(QuiltOpsError) in
            try await client.getObjectStream(bucket: bucket, key: key, versionId: versionId)
        }
        return S3ChunkReader(storage: self, key: key, versionId: versionId ?? h.versionId, etag: h.etag, body: body)
    }

    package func list(prefix: String, delimiter: String?, startAfter: String?, limit: Int) async throws(QuiltOpsError)
        -> StorageListing
    {
        var after = startAfter
        // A common prefix as the resume point: skip everything under it (S3 would roll it up again).
        if let d = delimiter, !d.isEmpty, let a = after, a.hasSuffix(d), a.count > prefix.count {
            after = a + "\u{10FFFF}"
        }
        let page = try await client.listObjectsV2(
            bucket: bucket, prefix: prefix, delimiter: delimiter, maxKeys: max(1, min(limit, 1000)), startAfter: after)
        let objects = page.objects.map { StoredObject(key: $0.key, size: $0.size, lastModified: $0.lastModified, etag: $0.etag) }
        var last: String? = nil
        if page.isTruncated {
            last = [objects.last?.key, page.commonPrefixes.last].compactMap { $0 }.max { keyPrecedes($0, $1) }
        }
        return StorageListing(objects: objects, commonPrefixes: page.commonPrefixes, continueAfter: last)
    }

    // MARK: - Writing

    package func put(_ key: String, bytes: [UInt8], contentType: String?, metadata: [String: String]) async throws(QuiltOpsError)
        -> StoredObject
    {
        let r = try await client.putObject(bucket: bucket, key: key, bytes: bytes, contentType: contentType, metadata: metadata)
        return StoredObject(
            key: key, size: Int64(bytes.count), lastModified: r.lastModified, etag: r.etag, versionId: r.versionId,
            contentType: contentType, metadata: metadata)
    }

    package func putFile(_ key: String, fromPath path: String) async throws(QuiltOpsError) -> StoredObject {
        guard let size = LocalFiles.fileSize(path) else { throw .notFound(.file(path)) }
        if size < Self.multipartThreshold {
            return try await put(key, bytes: try LocalFiles.readAll(path), contentType: nil, metadata: [:])
        }
        let reader = try FileChunkReader(path: path, objectURL: path, chunkSize: ChunkedChecksum.chunkSize(forTotalSize: size))
        return try await multipartUpload(key, reader: reader, size: size, path: path)
    }

    /// Uploads `size` bytes from `reader` (whose chunks are quilt's part size) and checks S3's composite checksum.
    func multipartUpload(_ key: String, reader: FileChunkReader, size: Int64, path: String) async throws(QuiltOpsError) -> StoredObject {
        let uploadId = try await client.createMultipartUpload(bucket: bucket, key: key)
        do {
            var parts: [(etag: String, checksumSHA256: String)] = []
            var digests: [UInt8] = []
            var offset: Int64 = 0
            while offset < size {
                if Task.isCancelled { throw QuiltOpsError.cancelled("uploading \(path) was cancelled.") }
                guard let bytes = try await reader.next(), !bytes.isEmpty else { break }
                digests += Array(SHA256.hash(data: bytes))
                parts.append(try await client.uploadPart(bucket: bucket, key: key, uploadId: uploadId, partNumber: parts.count + 1, bytes: bytes))
                offset += Int64(bytes.count)
            }
            let result = try await client.completeMultipartUpload(bucket: bucket, key: key, uploadId: uploadId, parts: parts)
            let expected = Data(SHA256.hash(data: digests)).base64EncodedString()
            if let composite = result.checksumSHA256, composite.split(separator: "-").first.map(String.init) != expected {
                throw QuiltOpsError.remote(
                    "S3 stored \(physicalKey(key).url) with checksum \(composite), but the file's chunked SHA-256 is \(expected)-\(parts.count).",
                    retryable: true)
            }
            return StoredObject(key: key, size: offset, lastModified: result.lastModified, etag: result.etag, versionId: result.versionId)
        } catch {
            try? await client.abortMultipartUpload(bucket: bucket, key: key, uploadId: uploadId)
            throw (error as? QuiltOpsError) ?? .remote("multipart upload of \(path) failed: \(error)", retryable: true)
        }
    }

    package func copy(from source: String, to destination: String) async throws(QuiltOpsError) -> StoredObject {
        try await copy(from: source, versionId: nil, to: destination)
    }

    package func copy(from source: String, versionId: String?, to destination: String) async throws(QuiltOpsError) -> StoredObject {
        let r = try await mapped(source, versionId) { () throws(QuiltOpsError) in
            try await client.copyObject(bucket: bucket, key: destination, sourceBucket: bucket, sourceKey: source, sourceVersionId: versionId)
        }
        let info = try await head(destination, versionId: r.versionId)
        return info
    }

    /// From any S3 bucket this client can read (the same one or another), copied by S3 at any size.
    package func serverSideCopy(from source: any ObjectStorage, key: String, versionId: String?, size: Int64, to destination: String)
        async throws(QuiltOpsError) -> StoredObject?
    {
        guard let s3 = source as? S3Storage else { return nil }
        let r = try await s3.mapped(key, versionId) { () throws(QuiltOpsError) in
            try await client.copyAnySize(
                bucket: bucket, key: destination, sourceBucket: s3.bucket, sourceKey: key, sourceVersionId: versionId, size: size)
        }
        return try await head(destination, versionId: r.versionId)
    }

    package func delete(_ key: String) async throws(QuiltOpsError) {
        try await client.deleteObject(bucket: bucket, key: key)
    }

    // MARK: - Presigning

    package func presignedURL(_ key: String, versionId: String?, expiresIn: Int) async throws(QuiltOpsError) -> (url: String, expiresAt: Date) {
        try await client.presignedGetURL(bucket: bucket, key: key, versionId: versionId, expires: expiresIn)
    }

    // MARK: - Helpers

    func stored(_ key: String, _ h: S3ObjectHead) -> StoredObject {
        StoredObject(
            key: key, size: h.size, lastModified: h.lastModified, etag: h.etag, versionId: h.versionId, contentType: h.contentType,
            metadata: h.metadata)
    }

    /// Runs `body`, naming a missing object by its physical-key URL (quilt3's quoting), as the other stores do.
    func mapped<T>(_ key: String, _ versionId: String?, _ body: () async throws(QuiltOpsError) -> T) async throws(QuiltOpsError) -> T {
        do {
            return try await body()
        } catch .notFound(.object) {
            throw .notFound(.object(physicalKey(key, versionId: versionId).url))
        }
    }
}
