import FoundationEssentials
package import QuiltContract
import QuiltHTTP

extension S3Client {
    // MARK: - Multipart upload

    /// CreateMultipartUpload, by default with SHA-256 part checksums (so S3 computes the composite checksum); copies
    /// part by part (UploadPartCopy) ask for none.
    package func createMultipartUpload(
        bucket: String, key: String, contentType: String? = nil, metadata: [String: String] = [:], checksums: Bool = true
    ) async throws(QuiltOpsError) -> String {
        var call = Call(operation: "CreateMultipartUpload", method: "POST", bucket: bucket, key: key, query: [("uploads", "")])
        call.headers = try Self.writeHeaders(contentType: contentType, metadata: metadata)
        if checksums { call.headers.append(HTTPField("x-amz-checksum-algorithm", "SHA256")) }
        let response = try await execute(call)
        guard let id = try S3XML.parse(response.body)["InitiateMultipartUploadResult"]["UploadId"].text, !id.isEmpty else {
            throw .remote("CreateMultipartUpload \(call.subject): the response has no UploadId.", retryable: false)
        }
        return id
    }

    /// UploadPart with its SHA-256 checksum; returns the part's ETag and checksum.
    package func uploadPart(bucket: String, key: String, uploadId: String, partNumber: Int, bytes: [UInt8])
        async throws(QuiltOpsError) -> (etag: String, checksumSHA256: String)
    {
        let checksum = Self.sha256Base64(bytes)
        var call = Call(
            operation: "UploadPart", method: "PUT", bucket: bucket, key: key,
            query: [("partNumber", String(partNumber)), ("uploadId", uploadId)], body: bytes)
        call.payloadHash = Self.sha256Hex(bytes)
        call.headers = [HTTPField("x-amz-checksum-sha256", checksum), HTTPField("x-amz-sdk-checksum-algorithm", "SHA256")]
        let response = try await execute(call)
        guard let etag = response.header("etag") else {
            throw .remote("UploadPart \(call.subject) part \(partNumber): the response has no ETag.", retryable: false)
        }
        return (etag, checksum)
    }

    /// CompleteMultipartUpload with every part's ETag and checksum (none for copied parts).
    package func completeMultipartUpload(
        bucket: String, key: String, uploadId: String, parts: [(etag: String, checksumSHA256: String?)]
    ) async throws(QuiltOpsError) -> S3WriteResult {
        let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            + parts.enumerated().map { i, p in
                let checksum = p.checksumSHA256.map { "<ChecksumSHA256>\($0)</ChecksumSHA256>" } ?? ""
                return "<Part><ETag>\(S3XML.escape(p.etag))</ETag><PartNumber>\(i + 1)</PartNumber>\(checksum)</Part>"
            }.joined() + "</CompleteMultipartUpload>"
        var call = Call(
            operation: "CompleteMultipartUpload", method: "POST", bucket: bucket, key: key, query: [("uploadId", uploadId)],
            body: Array(body.utf8))
        call.headers = [HTTPField("content-type", "application/xml")]
        let response = try await execute(call)
        let xml = try S3XML.parse(response.body)
        // S3 may answer 200 with an error document when the completion fails late.
        if let code = xml["Error"]["Code"].text {
            throw .remote("CompleteMultipartUpload \(call.subject): \(code) \(xml["Error"]["Message"].text ?? "")", retryable: code == "InternalError")
        }
        var result = Self.writeResult(response.headers)
        // AWS names the root `CompleteMultipartUploadResult`, moto `CompleteMultipartUploadResponse`; botocore reads
        // either, so read the root whatever its name.
        let r = xml.children.first ?? xml["CompleteMultipartUploadResult"]
        result.etag = r["ETag"].text ?? result.etag
        result.checksumSHA256 = r["ChecksumSHA256"].text ?? result.checksumSHA256
        return result
    }

    /// UploadPartCopy: bytes `range` of the source object become part `partNumber`; returns the part's ETag.
    package func uploadPartCopy(
        bucket: String, key: String, uploadId: String, partNumber: Int, sourceBucket: String, sourceKey: String,
        sourceVersionId: String?, range: ClosedRange<Int64>
    ) async throws(QuiltOpsError) -> String {
        let call = Call(
            operation: "UploadPartCopy", method: "PUT", bucket: bucket, key: key,
            query: [("partNumber", String(partNumber)), ("uploadId", uploadId)],
            headers: [
                HTTPField("x-amz-copy-source", Self.copySource(sourceBucket, sourceKey, sourceVersionId)),
                HTTPField("x-amz-copy-source-range", "bytes=\(range.lowerBound)-\(range.upperBound)"),
            ])
        let response = try await execute(call)
        guard let etag = try S3XML.parse(response.body)["CopyPartResult"]["ETag"].text ?? response.header("etag") else {
            throw .remote("UploadPartCopy \(call.subject) part \(partNumber): the response has no ETag.", retryable: false)
        }
        return etag
    }

    /// A server-side copy of any size: CopyObject up to `singleCopyLimit` (S3's 5 GiB), else a multipart upload of
    /// `partSize` ranges copied with UploadPartCopy (aborted on failure).
    package func copyAnySize(
        bucket: String, key: String, sourceBucket: String, sourceKey: String, sourceVersionId: String?, size: Int64,
        singleCopyLimit: Int64 = 5 << 30, partSize: Int64 = 512 << 20
    ) async throws(QuiltOpsError) -> S3WriteResult {
        if size <= singleCopyLimit {
            return try await copyObject(bucket: bucket, key: key, sourceBucket: sourceBucket, sourceKey: sourceKey, sourceVersionId: sourceVersionId)
        }
        let uploadId = try await createMultipartUpload(bucket: bucket, key: key, checksums: false)
        do {
            var parts: [(etag: String, checksumSHA256: String?)] = []
            var offset: Int64 = 0
            while offset < size {
                let end = min(offset + partSize, size) - 1
                let etag = try await uploadPartCopy(
                    bucket: bucket, key: key, uploadId: uploadId, partNumber: parts.count + 1, sourceBucket: sourceBucket,
                    sourceKey: sourceKey, sourceVersionId: sourceVersionId, range: offset...end)
                parts.append((etag, nil))
                offset = end + 1
            }
            return try await completeMultipartUpload(bucket: bucket, key: key, uploadId: uploadId, parts: parts)
        } catch {
            try? await abortMultipartUpload(bucket: bucket, key: key, uploadId: uploadId)
            throw error
        }
    }

    /// AbortMultipartUpload (best effort cleanup after a failure).
    package func abortMultipartUpload(bucket: String, key: String, uploadId: String) async throws(QuiltOpsError) {
        _ = try await execute(
            Call(operation: "AbortMultipartUpload", method: "DELETE", bucket: bucket, key: key, query: [("uploadId", uploadId)]))
    }
}
