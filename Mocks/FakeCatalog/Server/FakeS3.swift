import Foundation
import Hummingbird
import QuiltContract
import QuiltStorage

/// A small S3-compatible endpoint over the fake's buckets (path-style, at `/s3/<bucket>/<key>`): GetObject (with
/// ranges), HeadObject, PutObject, CopyObject, DeleteObject, ListObjectsV2. Requests must be signed with an access
/// key id the fake issued at `/api/auth/get_credentials` (header or presigned query); signatures themselves are not
/// checked. Multipart uploads are not implemented (files under 8 MiB only).
enum FakeS3 {
    static func handle(_ request: Request, path: String, body: [UInt8], catalog: FakeCatalogServer) async -> Response {
        let query = request.uri.queryParameters
        func q(_ name: String) -> String? { query[Substring(name)].map(String.init) }
        let credential = request.headers[.authorization].flatMap(accessKey(fromAuthorization:)) ?? q("X-Amz-Credential").map { String($0.prefix { $0 != "/" }) }
        guard let keyId = credential, catalog.state.wasIssued(keyId) else {
            return error(403, "InvalidAccessKeyId", "The AWS access key id was not issued by this catalog.")
        }
        var rest = Substring(path)
        while rest.hasPrefix("/") { rest.removeFirst() }
        let bucket = String(rest.prefix { $0 != "/" })
        let rawKey = rest.dropFirst(bucket.count).drop { $0 == "/" }
        let key = String(rawKey).removingPercentEncoding ?? String(rawKey)
        catalog.log.record("S3 \(request.method.rawValue)")
        guard let storage = try? catalog.state.storage(bucket) else {
            return error(404, "NoSuchBucket", "The specified bucket does not exist: \(bucket)")
        }
        if q("uploads") != nil || q("uploadId") != nil {
            return error(501, "NotImplemented", "The fake catalog's S3 endpoint does not implement multipart uploads.")
        }
        do throws(QuiltOpsError) {
            switch request.method {
            case .get where key.isEmpty:
                return try await list(storage, bucket: bucket, q)
            case .get, .head:
                return try await read(storage, key: key, range: request.headers[.range], head: request.method == .head)
            case .put:
                if let name = HTTPFields.Element.Name("x-amz-copy-source"), let source = request.headers[name] {
                    return try await copy(source, to: key, storage: storage, catalog: catalog)
                }
                var metadata: [String: String] = [:]
                for field in request.headers where field.name.canonicalName.hasPrefix("x-amz-meta-") {
                    metadata[String(field.name.canonicalName.dropFirst("x-amz-meta-".count))] = field.value
                }
                let stored = try await storage.put(key, bytes: body, contentType: request.headers[.contentType], metadata: metadata)
                return Response(status: .ok, headers: [.eTag: stored.etag ?? "\"\""])
            case .delete:
                try await storage.delete(key)
                return Response(status: .noContent)
            default:
                return error(405, "MethodNotAllowed", "\(request.method.rawValue) is not supported here.")
            }
        } catch {
            switch error {
            case .notFound(.bucket): return Self.error(404, "NoSuchBucket", error.message)
            case .notFound: return Self.error(404, "NoSuchKey", "The specified key does not exist.")
            case .invalidInput(field: "range", _): return Self.error(416, "InvalidRange", "The requested range is not satisfiable")
            default: return Self.error(500, "InternalError", error.message)
            }
        }
    }

    static func accessKey(fromAuthorization header: String) -> String? {
        guard let r = header.range(of: "Credential=") else { return nil }
        return String(header[r.upperBound...].prefix { $0 != "/" })
    }

    static func read(_ storage: any ObjectStorage, key: String, range: String?, head: Bool) async throws(QuiltOpsError) -> Response {
        let info = try await storage.head(key)
        var headers = objectHeaders(info)
        if head {
            // The client reads the size from Content-Length; HEAD bodies are empty, so say it in Content-Range too.
            headers[.contentRange] = "bytes 0-\(max(info.size - 1, 0))/\(info.size)"
            return Response(status: .ok, headers: headers)
        }
        if let range, let byteRange = parseRange(range) {
            let (_, bytes) = try await storage.get(key, range: byteRange)
            headers[.contentRange] = "bytes \(byteRange.offset)-\(byteRange.offset + Int64(bytes.count) - 1)/\(info.size)"
            return Response(status: .partialContent, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        let (_, bytes) = try await storage.get(key, range: nil)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func objectHeaders(_ o: StoredObject) -> HTTPFields {
        var h: HTTPFields = [.contentType: o.contentType ?? "binary/octet-stream", .acceptRanges: "bytes"]
        if let etag = o.etag { h[.eTag] = etag }
        if let m = o.lastModified { h[.lastModified] = httpDate(m) }
        for (k, v) in o.metadata { if let name = HTTPFields.Element.Name("x-amz-meta-" + k) { h[name] = v } }
        return h
    }

    static func parseRange(_ text: String) -> ByteRange? {
        guard text.hasPrefix("bytes=") else { return nil }
        let parts = text.dropFirst(6).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = Int64(parts[0]) else { return nil }
        let length = Int64(parts[1]).map { $0 - start + 1 }
        return try? ByteRange(offset: start, length: length)
    }

    static func copy(_ source: String, to key: String, storage: any ObjectStorage, catalog: FakeCatalogServer) async throws(QuiltOpsError) -> Response {
        var s = Substring(source.split(separator: "?").first ?? "")
        while s.hasPrefix("/") { s.removeFirst() }
        let bucket = String(s.prefix { $0 != "/" })
        let sourceKey = String(s.dropFirst(bucket.count + 1)).removingPercentEncoding ?? ""
        let from = try catalog.state.storage(bucket)
        let stored: StoredObject
        if from.root == storage.root {
            stored = try await storage.copy(from: sourceKey, to: key)
        } else {
            let (info, bytes) = try await from.get(sourceKey, range: nil)
            stored = try await storage.put(key, bytes: bytes, contentType: info.contentType, metadata: info.metadata)
        }
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CopyObjectResult><ETag>\(escape(stored.etag ?? ""))</ETag><LastModified>\(iso(stored.lastModified ?? Date()))</LastModified></CopyObjectResult>"
        return Response(status: .ok, headers: [.contentType: "application/xml"], body: .init(byteBuffer: ByteBuffer(string: xml)))
    }

    static func list(_ storage: any ObjectStorage, bucket: String, _ q: (String) -> String?) async throws(QuiltOpsError) -> Response {
        let prefix = q("prefix") ?? ""
        let delimiter = q("delimiter").flatMap { $0.isEmpty ? nil : $0 }
        let maxKeys = max(1, min(Int(q("max-keys") ?? "") ?? 1000, 1000))
        let encode = q("encoding-type") == "url"
        var after = q("continuation-token") ?? q("start-after")
        if let d = delimiter, let a = after, a.hasSuffix(d), a.count > prefix.count { after = a + "\u{10FFFF}" }
        let page = try await storage.list(prefix: prefix, delimiter: delimiter, startAfter: after, limit: maxKeys)
        func k(_ s: String) -> String { escape(encode ? urlEncode(s) : s) }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        xml += "<Name>\(escape(bucket))</Name><Prefix>\(k(prefix))</Prefix><KeyCount>\(page.objects.count + page.commonPrefixes.count)</KeyCount>"
        xml += "<MaxKeys>\(maxKeys)</MaxKeys>" + (encode ? "<EncodingType>url</EncodingType>" : "")
        xml += "<IsTruncated>\(page.continueAfter != nil)</IsTruncated>"
        if let next = page.continueAfter { xml += "<NextContinuationToken>\(escape(next))</NextContinuationToken>" }
        for o in page.objects {
            xml += "<Contents><Key>\(k(o.key))</Key><LastModified>\(iso(o.lastModified ?? Date()))</LastModified><ETag>\(escape(o.etag ?? ""))</ETag><Size>\(o.size)</Size><StorageClass>STANDARD</StorageClass></Contents>"
        }
        for p in page.commonPrefixes { xml += "<CommonPrefixes><Prefix>\(k(p))</Prefix></CommonPrefixes>" }
        xml += "</ListBucketResult>"
        return Response(status: .ok, headers: [.contentType: "application/xml"], body: .init(byteBuffer: ByteBuffer(string: xml)))
    }

    static func error(_ status: Int, _ code: String, _ message: String) -> Response {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>\(code)</Code><Message>\(escape(message))</Message></Error>"
        return Response(status: HTTPResponse.Status(code: status), headers: [.contentType: "application/xml"], body: .init(byteBuffer: ByteBuffer(string: xml)))
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// S3's `encoding-type=url`: RFC 3986 with `/` kept.
    static func urlEncode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.~/")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    static func iso(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: d)
    }

    static func httpDate(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f.string(from: d)
    }
}
