import Crypto
import Foundation
import QuiltContract
import QuiltHTTP
import QuiltHash
@testable import QuiltS3
import QuiltStorage
import Testing

/// The S3 client's addressing, parsing, error mapping and retries, against a scripted transport.
@Suite("S3 client")
struct S3ClientTests {
    // MARK: - Addressing

    @Test("Custom endpoints are path-style; AWS is virtual-host unless the bucket name cannot be a DNS label")
    func addressing() throws {
        let custom = S3Addressing(configuration: S3Configuration(endpoint: HTTPURL("http://127.0.0.1:9000")))
        #expect(custom.url(bucket: "b", key: "a b/ü+=.txt", query: [], region: "us-east-1") == "http://127.0.0.1:9000/b/a%20b/%C3%BC%2B%3D.txt")
        #expect(custom.url(bucket: "b", key: nil, query: [("list-type", "2")], region: "us-east-1") == "http://127.0.0.1:9000/b?list-type=2")
        #expect(custom.url(bucket: nil, key: nil, query: [], region: "us-east-1") == "http://127.0.0.1:9000/")
        let aws = S3Addressing(configuration: S3Configuration(region: "eu-west-1"))
        #expect(aws.url(bucket: "my-bucket", key: "k", query: [], region: "eu-west-1") == "https://my-bucket.s3.eu-west-1.amazonaws.com/k")
        #expect(aws.url(bucket: "my-bucket", key: nil, query: [("versioning", "")], region: "eu-west-1") == "https://my-bucket.s3.eu-west-1.amazonaws.com/?versioning=")
        #expect(aws.url(bucket: "my.dotted.bucket", key: "k", query: [], region: "eu-west-1") == "https://s3.eu-west-1.amazonaws.com/my.dotted.bucket/k")
        #expect(aws.url(bucket: nil, key: nil, query: [], region: "us-east-1") == "https://s3.us-east-1.amazonaws.com/")
    }

    @Test("Endpoint and region come from the AWS variables, AWS_ENDPOINT_URL_S3 first")
    func configurationFromVariables() throws {
        let c = try S3Configuration.from(aws: ["AWS_ENDPOINT_URL": "http://a:1", "AWS_ENDPOINT_URL_S3": "http://b:2", "AWS_DEFAULT_REGION": "eu-central-1"])
        #expect(c.endpoint?.origin == "http://b:2")
        #expect(c.forcePathStyle)
        #expect(c.region == "eu-central-1")
        let d = try S3Configuration.from(aws: ["AWS_ENDPOINT_URL": "http://a:1", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"], fallbackRegion: "ap-south-1")
        #expect(d.endpoint == nil && d.region == "ap-south-1")
        #expect(throws: QuiltOpsError.self) { try S3Configuration.from(aws: ["AWS_ENDPOINT_URL": "not a url"]) }
    }

    @Test("Endpoint from the AWS config file: the profile's services section, then its endpoint_url; variables win")
    func configurationFromConfigFile() throws {
        let dir = NSTemporaryDirectory() + "quilt-s3-config-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = """
            [default]
            endpoint_url = http://127.0.0.1:9000

            [profile minio]
            region = eu-west-3
            services = local-s3
            endpoint_url = http://ignored-because-services:1

            [services local-s3]
            s3 =
              endpoint_url = http://127.0.0.1:9100
              addressing_style = path
            sts =
              endpoint_url = http://127.0.0.1:9200

            [profile off]
            endpoint_url = http://127.0.0.1:9000
            ignore_configured_endpoint_urls = true

            [profile broken]
            endpoint_url = not a url
            """
        try Data(config.utf8).write(to: URL(fileURLWithPath: dir + "/config"))
        let base = ["AWS_CONFIG_FILE": dir + "/config"]
        #expect(try S3Configuration.from(aws: base).endpoint?.origin == "http://127.0.0.1:9000")
        #expect(try S3Configuration.from(aws: base.merging(["AWS_PROFILE": "minio"]) { $1 }).endpoint?.origin == "http://127.0.0.1:9100")
        #expect(try S3Configuration.from(aws: base.merging(["AWS_PROFILE": "off"]) { $1 }).endpoint == nil)
        #expect(try S3Configuration.from(aws: base.merging(["AWS_ENDPOINT_URL_S3": "http://127.0.0.1:7000"]) { $1 }).endpoint?.origin
            == "http://127.0.0.1:7000")
        #expect(try S3Configuration.from(aws: base.merging(["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"]) { $1 }).endpoint == nil)
        #expect(try S3Configuration.from(aws: base.merging(["AWS_PROFILE": "nobody"]) { $1 }).endpoint == nil)
        do {
            _ = try S3Configuration.from(aws: base.merging(["AWS_PROFILE": "broken"]) { $1 })
            Issue.record("a malformed endpoint_url must be refused")
        } catch {
            #expect(error.message.contains("endpoint_url of profile broken"), "\(error)")
        }
        let parsed = SharedConfigFiles.parse(config, configStyle: true)
        #expect(parsed["services local-s3"]?["s3.addressing_style"] == "path")
        #expect(parsed["services local-s3"]?["sts.endpoint_url"] == "http://127.0.0.1:9200")
    }

    // MARK: - Parsing

    @Test("ListObjectsV2 decodes URL-encoded keys exactly, including spaces, plus signs and surrounding whitespace")
    func listDecoding() async throws {
        let t = ScriptedTransport { _ throws(QuiltOpsError) in
            xmlResponse(200, """
                <?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>b</Name><EncodingType>url</EncodingType>\
                <IsTruncated>true</IsTruncated><NextContinuationToken>tok</NextContinuationToken>\
                <Contents><Key>+lead+and+trail+</Key><LastModified>2026-11-21T12:00:00.000Z</LastModified><ETag>"e"</ETag><Size>5</Size></Contents>\
                <Contents><Key>a%2Bb%3Dc/%C3%9F.txt</Key><Size>12345678901</Size></Contents>\
                <CommonPrefixes><Prefix>dir%20x/</Prefix></CommonPrefixes></ListBucketResult>
                """)
        }
        let page = try await client(t).listObjectsV2(bucket: "b", prefix: "p q", delimiter: "/", maxKeys: 2)
        #expect(page.objects.map(\.key) == [" lead and trail ", "a+b=c/ß.txt"])
        #expect(page.objects.map(\.size) == [5, 12_345_678_901])
        #expect(page.objects[0].lastModified == Date(timeIntervalSince1970: 1_795_262_400))
        #expect(page.commonPrefixes == ["dir x/"])
        #expect(page.isTruncated && page.nextContinuationToken == "tok")
        let url = try #require(HTTPURL(t.requests[0].url))
        #expect(url.path == "/b")
        #expect(url.queryItems.map { "\($0.name)=\($0.value)" } == ["list-type=2", "encoding-type=url", "max-keys=2", "prefix=p q", "delimiter=/"])
    }

    @Test("HeadObject reads size, version, metadata and checksum; ranges report the whole size")
    func headParsing() async throws {
        let t = ScriptedTransport { r throws(QuiltOpsError) in
            QuiltHTTPResponse(
                status: r.method == "HEAD" ? 200 : 206,
                headers: [
                    HTTPField("Content-Length", r.method == "HEAD" ? "42" : "3"), HTTPField("Content-Range", "bytes 0-2/42"),
                    HTTPField("ETag", "\"abc\""), HTTPField("x-amz-version-id", "v1"), HTTPField("x-amz-meta-Author", "alice"),
                    HTTPField("Last-Modified", "Sat, 21 Nov 2026 12:00:00 GMT"), HTTPField("x-amz-checksum-sha256", "c="),
                ], body: r.method == "HEAD" ? [] : [1, 2, 3])
        }
        let s3 = client(t)
        let head = try await s3.headObject(bucket: "b", key: "k", checksumMode: true)
        #expect(head.size == 42 && head.versionId == "v1" && head.metadata == ["author": "alice"] && head.checksumSHA256 == "c=")
        #expect(head.lastModified == Date(timeIntervalSince1970: 1_795_262_400))
        #expect(t.requests[0].header("x-amz-checksum-mode") == "ENABLED")
        let (h, bytes) = try await s3.getObject(bucket: "b", key: "k", versionId: "v1", range: try ByteRange(offset: 0, length: 3))
        #expect(h.size == 42 && bytes == [1, 2, 3])
        #expect(t.requests[1].header("range") == "bytes=0-2")
        #expect(t.requests[1].url.hasSuffix("/b/k?versionId=v1"))
    }

    // MARK: - Errors

    @Test("S3 errors map to typed errors")
    func errorMapping() async throws {
        let cases: [(QuiltHTTPResponse, String)] = [
            (s3Error(404, "NoSuchKey", "The specified key does not exist."), "not_found"),
            (s3Error(404, "NoSuchBucket"), "not_found"),
            (s3Error(404, "NoSuchVersion"), "not_found"),
            (s3Error(403, "AccessDenied", "Access Denied"), "forbidden"),
            (s3Error(403, "InvalidAccessKeyId"), "unauthenticated"),
            (s3Error(403, "SignatureDoesNotMatch"), "unauthenticated"),
            (s3Error(416, "InvalidRange"), "invalid_input"),
            (s3Error(412, "PreconditionFailed"), "conflict"),
            (s3Error(400, "InvalidArgument"), "remote"),
            (QuiltHTTPResponse(status: 404), "not_found"),
            (QuiltHTTPResponse(status: 403), "forbidden"),
        ]
        for (response, kind) in cases {
            let t = ScriptedTransport { _ throws(QuiltOpsError) in response }
            do {
                _ = try await client(t).getObject(bucket: "b", key: "dir/k")
                Issue.record("expected \(kind)")
            } catch {
                #expect(error.kind == kind, "\(response.status) → \(error)")
            }
        }
        let t = ScriptedTransport { _ throws(QuiltOpsError) in s3Error(404, "NoSuchKey") }
        await #expect(throws: QuiltOpsError.notFound(.object("s3://b/dir/k"))) { _ = try await client(t).getObject(bucket: "b", key: "dir/k") }
        await #expect(throws: QuiltOpsError.notFound(.bucket("b"))) {
            _ = try await client(ScriptedTransport { _ throws(QuiltOpsError) in s3Error(404, "NoSuchBucket") }).listObjectsV2(bucket: "b", prefix: "", delimiter: nil)
        }
    }

    @Test("SlowDown and 5xx are retried with bounded exponential backoff and jitter, then reported as transient")
    func retries() async throws {
        let calls = Counter()
        let sleeps = SleepRecorder()
        let flaky = ScriptedTransport { _ throws(QuiltOpsError) in
            calls.next() <= 2 ? s3Error(503, "SlowDown", "Please reduce your request rate.") : QuiltHTTPResponse(status: 200, body: [7])
        }
        let (_, bytes) = try await client(flaky, retry: sleeps.policy).getObject(bucket: "b", key: "k")
        #expect(bytes == [7] && calls.count == 3)
        #expect(sleeps.recorded == [.milliseconds(50), .milliseconds(100)], "half of 100 ms, then of 200 ms (jitter 0.5)")

        let down = SleepRecorder()
        let always = ScriptedTransport { _ throws(QuiltOpsError) in s3Error(500, "InternalError") }
        do {
            _ = try await client(always, retry: down.policy).headObject(bucket: "b", key: "k")
            Issue.record("expected a transient error")
        } catch {
            #expect(error.kind == "transient")
            #expect(error.message.contains("after 4 attempts"))
        }
        #expect(always.requests.count == 4 && down.recorded.count == 3)

        let resets = Counter()
        let dropping = ScriptedTransport { _ throws(QuiltOpsError) in
            if resets.next() == 1 { throw .remote("connection reset by peer", retryable: true) }
            return QuiltHTTPResponse(status: 200)
        }
        _ = try await client(dropping, retry: SleepRecorder().policy).deleteObject(bucket: "b", key: "k")
        #expect(resets.count == 2)

        let never = ScriptedTransport { _ throws(QuiltOpsError) in s3Error(503, "SlowDown") }
        await #expect(throws: QuiltOpsError.self) { _ = try await client(never, retry: .none).getObject(bucket: "b", key: "k") }
        #expect(never.requests.count == 1, "the replay policy never retries")
    }

    @Test("Backoff is capped at the maximum delay")
    func backoffCap() {
        let p = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(100), maxDelay: .seconds(1), sleep: { _ in }, random: { 0.999 })
        #expect(p.delay(afterAttempt: 1) < .milliseconds(100))
        #expect(p.delay(afterAttempt: 9) <= .seconds(1))
        #expect(p.delay(afterAttempt: 9) > .milliseconds(900))
    }

    @Test("A bucket in another region is found through S3's redirect and re-signed for it")
    func regionRedirect() async throws {
        let t = ScriptedTransport { r throws(QuiltOpsError) in
            if r.url.contains("us-east-1") {
                return QuiltHTTPResponse(status: 301, headers: [HTTPField("x-amz-bucket-region", "eu-west-2")])
            }
            return QuiltHTTPResponse(status: 200, headers: [HTTPField("content-length", "1")])
        }
        let s3 = client(t, endpoint: nil)
        _ = try await s3.headObject(bucket: "far-bucket", key: "k")
        #expect(t.requests.map(\.url) == ["https://far-bucket.s3.us-east-1.amazonaws.com/k", "https://far-bucket.s3.eu-west-2.amazonaws.com/k"])
        #expect(t.requests[1].header("authorization")?.contains("/eu-west-2/s3/aws4_request") == true)
        #expect(s3.region(for: "far-bucket") == "eu-west-2")
    }

    @Test("Expired credentials are refreshed once and the request repeated")
    func expiredToken() async throws {
        let fetches = Counter()
        let provider = RefreshingCredentials { () throws(QuiltOpsError) -> AWSCredentials in
            AWSCredentials(accessKeyId: "AKID\(fetches.next())", secretAccessKey: "s", source: "test")
        }
        let t = ScriptedTransport { r throws(QuiltOpsError) in
            r.header("authorization")?.contains("AKID1/") == true ? s3Error(400, "ExpiredToken") : QuiltHTTPResponse(status: 200)
        }
        let s3 = S3Client(transport: t, credentials: provider, configuration: S3Configuration(endpoint: HTTPURL("http://h:1"), retry: .none))
        try await s3.deleteObject(bucket: "b", key: "k")
        #expect(fetches.count == 2 && t.requests.count == 2)
    }

    // MARK: - Writes

    @Test("PutObject sends the SHA-256 checksum, sorted metadata and a hashed payload")
    func putHeaders() async throws {
        let t = ScriptedTransport { _ throws(QuiltOpsError) in
            QuiltHTTPResponse(status: 200, headers: [HTTPField("ETag", "\"e\""), HTTPField("x-amz-version-id", "v9")])
        }
        let r = try await client(t).putObject(bucket: "b", key: "k", bytes: Array("hello".utf8), contentType: "text/plain", metadata: ["z": "1", "a": "2"])
        #expect(r.versionId == "v9")
        let sent = t.requests[0]
        #expect(sent.header("x-amz-checksum-sha256") == "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=")
        #expect(sent.header("x-amz-content-sha256") == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        #expect(sent.headers.filter { $0.name.hasPrefix("x-amz-meta-") }.map(\.name) == ["x-amz-meta-a", "x-amz-meta-z"])
        await #expect(throws: QuiltOpsError.self) { _ = try await client(t).putObject(bucket: "b", key: "k", bytes: [], metadata: ["ü": "x"]) }
    }

    /// A scripted multipart endpoint that computes the composite checksum as S3 does (optionally wrongly).
    static func multipartTransport(corrupt: Bool = false) -> ScriptedTransport {
        ScriptedTransport { r throws(QuiltOpsError) in
            let url = HTTPURL(r.url)
            let query = Dictionary(uniqueKeysWithValues: (url?.queryItems ?? []).map { ($0.name, $0.value) })
            if r.method == "POST", query["uploads"] != nil {
                return xmlResponse(200, "<InitiateMultipartUploadResult><UploadId>up-1</UploadId></InitiateMultipartUploadResult>")
            }
            if r.method == "PUT", let n = query["partNumber"] {
                return QuiltHTTPResponse(status: 200, headers: [HTTPField("ETag", "\"part\(n)\""), HTTPField("x-amz-checksum-sha256", r.header("x-amz-checksum-sha256") ?? "")])
            }
            if r.method == "POST", query["uploadId"] != nil {
                let body = String(decoding: r.body, as: UTF8.self)
                let sums = body.components(separatedBy: "<ChecksumSHA256>").dropFirst().compactMap { $0.components(separatedBy: "<").first }
                var digests: [UInt8] = []
                for s in sums { digests += Data(base64Encoded: s) ?? Data() }
                let composite = corrupt ? "AAAA" : Data(SHA256.hash(data: digests)).base64EncodedString()
                return xmlResponse(
                    200, "<CompleteMultipartUploadResult><ETag>\"mpu-2\"</ETag><ChecksumSHA256>\(composite)-\(sums.count)</ChecksumSHA256></CompleteMultipartUploadResult>",
                    headers: [HTTPField("x-amz-version-id", "mv")])
            }
            if r.method == "DELETE" { return QuiltHTTPResponse(status: 204) }
            return s3Error(400, "Unexpected")
        }
    }

    @Test("Files of 8 MiB and more upload in quilt-sized parts, so S3's composite checksum is quilt's hash")
    func multipart() async throws {
        let dir = try temporaryDirectory("mpu")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/nine.bin"
        let size = 9 * 1024 * 1024
        try Data((0..<size).map { UInt8($0 % 256) }).write(to: URL(fileURLWithPath: path))
        let t = Self.multipartTransport()
        let storage = try S3Storage(bucket: "bkt", client: client(t))
        let stored = try await storage.putFile("big/nine.bin", fromPath: path)
        #expect(stored.size == Int64(size) && stored.versionId == "mv")
        let parts = t.requests.filter { $0.url.contains("partNumber=") }
        #expect(parts.map(\.body.count) == [8 * 1024 * 1024, 1024 * 1024])
        #expect(t.requests.first?.header("x-amz-checksum-algorithm") == "SHA256")
        let complete = try #require(t.requests.last)
        #expect(String(decoding: complete.body, as: UTF8.self).contains("<PartNumber>2</PartNumber>"))
        // The vector in the reference: pattern 9 MiB → kblDlqny…xEQ=, equal to the composite S3 computed.
        #expect(try ObjectHashing.hashFile(atPath: path).value == "kblDlqnyLJK+pUV1t/hg3xux7RPrSzBobrA3bpEpxEQ=")

        let bad = Self.multipartTransport(corrupt: true)
        await #expect(throws: QuiltOpsError.self) { _ = try await S3Storage(bucket: "bkt", client: client(bad)).putFile("k", fromPath: path) }
        #expect(bad.requests.last?.method == "DELETE", "a failed upload is aborted")

        let small = ScriptedTransport { _ throws(QuiltOpsError) in QuiltHTTPResponse(status: 200) }
        try write("tiny", to: dir + "/tiny.txt")
        _ = try await S3Storage(bucket: "bkt", client: client(small)).putFile("k", fromPath: dir + "/tiny.txt")
        #expect(small.requests.count == 1 && small.requests[0].method == "PUT" && small.requests[0].body == Array("tiny".utf8))
    }

    @Test("An empty object reads as no bytes even with a range; a missing one is named by its physical key")
    func storageReads() async throws {
        let t = ScriptedTransport { r throws(QuiltOpsError) in
            if r.url.contains("missing") { return s3Error(404, "NoSuchKey") }
            if r.method == "GET" { return s3Error(416, "InvalidRange") }
            return QuiltHTTPResponse(status: 200, headers: [HTTPField("content-length", "0")])
        }
        let storage = try S3Storage(bucket: "bkt", client: client(t))
        let (info, bytes) = try await storage.get("empty", range: try ByteRange(offset: 0, length: 100))
        #expect(info.size == 0 && bytes.isEmpty)
        await #expect(throws: QuiltOpsError.notFound(.object("s3://bkt/dir%20x/missing"))) { _ = try await storage.head("dir x/missing") }
    }

    @Test("A listing resumed after a common prefix skips everything under it")
    func resumeAfterPrefix() async throws {
        let t = ScriptedTransport { _ throws(QuiltOpsError) in
            xmlResponse(200, "<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated></ListBucketResult>")
        }
        _ = try await S3Storage(bucket: "bkt", client: client(t)).list(prefix: "docs/", delimiter: "/", startAfter: "docs/sub/", limit: 10)
        let after = HTTPURL(t.requests[0].url)?.queryItems.first { $0.name == "start-after" }?.value
        #expect(after == "docs/sub/\u{10FFFF}")
    }

    @Test("ListBuckets, GetBucketVersioning and DeleteObjects speak S3's XML")
    func bucketCalls() async throws {
        let t = ScriptedTransport { r throws(QuiltOpsError) in
            let q = HTTPURL(r.url)?.query ?? ""
            if q.contains("versioning") { return xmlResponse(200, "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>") }
            if q.contains("delete") {
                return xmlResponse(200, "<DeleteResult><Error><Key>b &amp; c</Key><Code>AccessDenied</Code><Message>no</Message></Error></DeleteResult>")
            }
            return xmlResponse(
                200, "<ListAllMyBucketsResult><Buckets><Bucket><Name>one</Name><CreationDate>2026-11-21T12:00:00.000Z</CreationDate></Bucket><Bucket><Name>two</Name></Bucket></Buckets></ListAllMyBucketsResult>")
        }
        let s3 = client(t)
        #expect(try await s3.listBuckets().map(\.name) == ["one", "two"])
        #expect(try await s3.bucketVersioning(bucket: "b") == "Enabled")
        let failures = try await s3.deleteObjects(bucket: "b", keys: ["a", "b & c"])
        #expect(failures.map(\.key) == ["b & c"])
        let delete = try #require(t.requests.last)
        #expect(String(decoding: delete.body, as: UTF8.self).contains("<Key>b &amp; c</Key>"))
        #expect(delete.header("content-md5") != nil)
    }

    @Test("Presigned URLs carry the version, the expiry and a signature; the expiry is bounded")
    func presign() async throws {
        let s3 = client(ScriptedTransport { _ throws(QuiltOpsError) in QuiltHTTPResponse(status: 200) })
        let (url, expires) = try await s3.presignedGetURL(bucket: "b", key: "a b.txt", versionId: "v+1", expires: 3600)
        #expect(url.hasPrefix("http://127.0.0.1:9000/b/a%20b.txt?"))
        #expect(url.contains("versionId=v%2B1") && url.contains("X-Amz-Expires=3600") && url.contains("X-Amz-Signature="))
        #expect(expires == Date(timeIntervalSince1970: 1_795_282_874 + 3600))
        await #expect(throws: QuiltOpsError.self) { _ = try await s3.presignedGetURL(bucket: "b", key: "k", versionId: nil, expires: 604_801) }
    }
}
