import FoundationEssentials
package import QuiltContract
package import QuiltHTTP

extension S3Client {
    // MARK: - Listing

    /// ListObjectsV2: keys under `prefix` (rolled up at `delimiter`), after `startAfter` or from `continuationToken`.
    /// Keys travel URL-encoded (`encoding-type=url`) so any key survives XML.
    package func listObjectsV2(
        bucket: String, prefix: String, delimiter: String?, maxKeys: Int = 1000, startAfter: String? = nil,
        continuationToken: String? = nil
    ) async throws(QuiltOpsError) -> S3ListPage {
        var query: [(String, String)] = [("list-type", "2"), ("encoding-type", "url"), ("max-keys", String(max(1, min(maxKeys, 1000))))]
        if !prefix.isEmpty { query.append(("prefix", prefix)) }
        if let delimiter, !delimiter.isEmpty { query.append(("delimiter", delimiter)) }
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        else if let startAfter { query.append(("start-after", startAfter)) }
        let response = try await execute(Call(operation: "ListObjectsV2", method: "GET", bucket: bucket, key: nil, query: query))
        let result = try S3XML.parse(response.body)["ListBucketResult"]
        let encoded = result["EncodingType"].text == "url"
        func decode(_ s: String) -> String { encoded ? FormEncoding.decode(s, plusIsSpace: true) : s }
        let objects = result.all("Contents").map { c in
            S3ObjectSummary(
                key: decode(c["Key"].text ?? ""), size: Int64(c["Size"].text ?? "") ?? 0,
                lastModified: HTTPDate.parse(c["LastModified"].text), etag: c["ETag"].text)
        }
        let prefixes = result.all("CommonPrefixes").compactMap { $0["Prefix"].text.map(decode) }
        return S3ListPage(
            objects: objects, commonPrefixes: prefixes, isTruncated: result["IsTruncated"].text == "true",
            nextContinuationToken: result["NextContinuationToken"].text)
    }

    // MARK: - Reading

    /// HeadObject (with the stored SHA-256 checksum when `checksumMode`).
    package func headObject(bucket: String, key: String, versionId: String? = nil, checksumMode: Bool = false)
        async throws(QuiltOpsError) -> S3ObjectHead
    {
        var call = Call(operation: "HeadObject", method: "HEAD", bucket: bucket, key: key, query: versionId.map { [("versionId", $0)] } ?? [])
        if checksumMode { call.headers.append(HTTPField("x-amz-checksum-mode", "ENABLED")) }
        return Self.head(from: try await execute(call).headers, versionRequested: versionId)
    }

    /// GetObject, whole or a byte range.
    /// - Returns: the object's metadata (`size` is the whole object's size, also for ranges) and the bytes.
    package func getObject(bucket: String, key: String, versionId: String? = nil, range: ByteRange? = nil)
        async throws(QuiltOpsError) -> (S3ObjectHead, [UInt8])
    {
        let response = try await execute(getCall(bucket, key, versionId, range))
        return (Self.head(from: response.headers, versionRequested: versionId), response.body)
    }

    /// GetObject with the body streaming (for manifests and large objects).
    package func getObjectStream(bucket: String, key: String, versionId: String? = nil, range: ByteRange? = nil)
        async throws(QuiltOpsError) -> (S3ObjectHead, any HTTPBodyStream)
    {
        let response = try await executeStreaming(getCall(bucket, key, versionId, range))
        return (Self.head(from: response.headers, versionRequested: versionId), response.body)
    }

    func getCall(_ bucket: String, _ key: String, _ versionId: String?, _ range: ByteRange?) -> Call {
        var call = Call(operation: "GetObject", method: "GET", bucket: bucket, key: key, query: versionId.map { [("versionId", $0)] } ?? [])
        if let range {
            let end = range.length.map { String(range.offset + $0 - 1) } ?? ""
            call.headers.append(HTTPField("range", "bytes=\(range.offset)-\(end)"))
        }
        return call
    }

    /// Object metadata from response headers.
    static func head(from headers: [HTTPField], versionRequested: String?) -> S3ObjectHead {
        func h(_ name: String) -> String? { headers.first { $0.name.lowercased() == name }?.value }
        var size = Int64(h("content-length") ?? "") ?? 0
        if let range = h("content-range"), let slash = range.lastIndex(of: "/"), let total = Int64(range[range.index(after: slash)...]) {
            size = total
        }
        var metadata: [String: String] = [:]
        for field in headers where field.name.lowercased().hasPrefix("x-amz-meta-") {
            metadata[String(field.name.lowercased().dropFirst("x-amz-meta-".count))] = field.value
        }
        let version = h("x-amz-version-id").flatMap { $0 == "null" ? nil : $0 } ?? versionRequested
        return S3ObjectHead(
            size: size, lastModified: HTTPDate.parse(h("last-modified")), etag: h("etag"), versionId: version,
            contentType: h("content-type"), metadata: metadata, checksumSHA256: h("x-amz-checksum-sha256"))
    }

    // MARK: - Writing

    /// PutObject with an `x-amz-checksum-sha256` S3 verifies and stores.
    package func putObject(
        bucket: String, key: String, bytes: [UInt8], contentType: String? = nil, metadata: [String: String] = [:]
    ) async throws(QuiltOpsError) -> S3WriteResult {
        var call = Call(operation: "PutObject", method: "PUT", bucket: bucket, key: key, body: bytes)
        call.payloadHash = Self.sha256Hex(bytes)
        call.headers = try Self.writeHeaders(contentType: contentType, metadata: metadata)
        call.headers += [
            HTTPField("x-amz-checksum-sha256", Self.sha256Base64(bytes)), HTTPField("x-amz-sdk-checksum-algorithm", "SHA256"),
        ]
        let response = try await execute(call)
        return Self.writeResult(response.headers)
    }

    /// CopyObject within S3 (objects up to 5 GiB), asking S3 for a SHA-256 checksum of the copy.
    package func copyObject(
        bucket: String, key: String, sourceBucket: String, sourceKey: String, sourceVersionId: String? = nil
    ) async throws(QuiltOpsError) -> S3WriteResult {
        let call = Call(
            operation: "CopyObject", method: "PUT", bucket: bucket, key: key,
            headers: [
                HTTPField("x-amz-copy-source", Self.copySource(sourceBucket, sourceKey, sourceVersionId)),
                HTTPField("x-amz-checksum-algorithm", "SHA256"),
            ])
        let response = try await execute(call)
        var result = Self.writeResult(response.headers)
        let xml = try S3XML.parse(response.body)["CopyObjectResult"]
        result.etag = xml["ETag"].text ?? result.etag
        result.checksumSHA256 = xml["ChecksumSHA256"].text ?? result.checksumSHA256
        result.lastModified = HTTPDate.parse(xml["LastModified"].text)
        return result
    }

    /// The `x-amz-copy-source` value: `/bucket/key` with the key percent-encoded, and `?versionId=` when given.
    static func copySource(_ bucket: String, _ key: String, _ versionId: String?) -> String {
        var source = "/" + bucket + "/" + FormEncoding.encode(key, keepSlash: true)
        if let versionId { source += "?versionId=" + FormEncoding.encode(versionId) }
        return source
    }

    /// DeleteObject (a missing key is not an error, as in S3).
    package func deleteObject(bucket: String, key: String, versionId: String? = nil) async throws(QuiltOpsError) {
        _ = try await execute(
            Call(operation: "DeleteObject", method: "DELETE", bucket: bucket, key: key, query: versionId.map { [("versionId", $0)] } ?? []))
    }

    /// DeleteObjects: up to 1000 keys per request (longer lists are split).
    /// - Returns: the keys S3 could not delete, with its reason.
    @discardableResult
    package func deleteObjects(bucket: String, keys: [String]) async throws(QuiltOpsError) -> [(key: String, error: String)] {
        var failures: [(String, String)] = []
        var start = 0
        while start < keys.count {
            let batch = keys[start..<min(start + 1000, keys.count)]
            start += batch.count
            let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>true</Quiet>"
                + batch.map { "<Object><Key>\(S3XML.escape($0))</Key></Object>" }.joined() + "</Delete>"
            let bytes = Array(body.utf8)
            var call = Call(operation: "DeleteObjects", method: "POST", bucket: bucket, key: nil, query: [("delete", "")], body: bytes)
            call.headers = [
                HTTPField("content-type", "application/xml"), HTTPField("content-md5", Self.md5Base64(bytes)),
            ]
            let response = try await execute(call)
            for e in try S3XML.parse(response.body)["DeleteResult"].all("Error") {
                failures.append((e["Key"].text ?? "", "\(e["Code"].text ?? "") \(e["Message"].text ?? "")"))
            }
        }
        return failures
    }

    // MARK: - Helpers

    /// `content-type` and `x-amz-meta-*` headers, sorted so requests are byte-stable.
    /// - Throws: `.invalidInput(field: "metadata")` for names or values S3 cannot carry in headers.
    static func writeHeaders(contentType: String?, metadata: [String: String]) throws(QuiltOpsError) -> [HTTPField] {
        var headers: [HTTPField] = []
        if let contentType, !contentType.isEmpty { headers.append(HTTPField("content-type", contentType)) }
        for (name, value) in metadata.sorted(by: { $0.key < $1.key }) {
            guard !name.isEmpty, name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }) else {
                throw .invalidInput(field: "metadata", reason: "'\(name)' is not a valid metadata name (printable ASCII, no spaces or colons).")
            }
            guard value.utf8.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 }) else {
                throw .invalidInput(field: "metadata", reason: "the value of '\(name)' must be printable ASCII for S3 metadata.")
            }
            headers.append(HTTPField("x-amz-meta-" + name.lowercased(), value))
        }
        return headers
    }

    static func writeResult(_ headers: [HTTPField]) -> S3WriteResult {
        func h(_ name: String) -> String? { headers.first { $0.name.lowercased() == name }?.value }
        return S3WriteResult(
            etag: h("etag"), versionId: h("x-amz-version-id").flatMap { $0 == "null" ? nil : $0 },
            checksumSHA256: h("x-amz-checksum-sha256"), lastModified: HTTPDate.parse(h("last-modified")))
    }
}
