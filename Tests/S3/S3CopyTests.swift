import Foundation
import QuiltContract
import QuiltHTTP
import QuiltS3
import QuiltStorage
import Testing

/// Server-side copies: CopyObject up to the single-copy limit, UploadPartCopy ranges above it, across buckets.
@Suite("S3 server-side copies")
struct S3CopyTests {
    /// A scripted endpoint for copies; `failPart` makes that UploadPartCopy fail.
    static func copyTransport(failPart: Int? = nil) -> ScriptedTransport {
        ScriptedTransport { r throws(QuiltOpsError) in
            let query = Dictionary(uniqueKeysWithValues: (HTTPURL(r.url)?.queryItems ?? []).map { ($0.name, $0.value) })
            if r.method == "POST", query["uploads"] != nil {
                return xmlResponse(200, "<InitiateMultipartUploadResult><UploadId>copy-1</UploadId></InitiateMultipartUploadResult>")
            }
            if r.method == "PUT", let n = query["partNumber"] {
                if Int(n) == failPart { return s3Error(403, "AccessDenied", "no read on source") }
                return xmlResponse(200, "<CopyPartResult><ETag>\"copied\(n)\"</ETag></CopyPartResult>")
            }
            if r.method == "PUT", r.header("x-amz-copy-source") != nil {
                return xmlResponse(200, "<CopyObjectResult><ETag>\"whole\"</ETag></CopyObjectResult>", headers: [HTTPField("x-amz-version-id", "cv")])
            }
            if r.method == "POST", query["uploadId"] != nil {
                return xmlResponse(200, "<CompleteMultipartUploadResult><ETag>\"mpu-3\"</ETag></CompleteMultipartUploadResult>",
                                   headers: [HTTPField("x-amz-version-id", "mv")])
            }
            if r.method == "HEAD" {
                return QuiltHTTPResponse(status: 200, headers: [HTTPField("content-length", "10"), HTTPField("x-amz-version-id", "mv")])
            }
            if r.method == "DELETE" { return QuiltHTTPResponse(status: 204) }
            return s3Error(400, "Unexpected")
        }
    }

    @Test("Above the single-copy limit: ranged UploadPartCopy parts from the source version, then completion")
    func multipartCopy() async throws {
        let t = Self.copyTransport()
        let r = try await client(t).copyAnySize(
            bucket: "dst", key: "pkg/a b.bin", sourceBucket: "src", sourceKey: "raw/a b.bin", sourceVersionId: "v+1", size: 10,
            singleCopyLimit: 9, partSize: 4)
        #expect(r.versionId == "mv")
        let parts = t.requests.filter { $0.url.contains("partNumber=") }
        #expect(parts.map { $0.header("x-amz-copy-source-range") } == ["bytes=0-3", "bytes=4-7", "bytes=8-9"])
        #expect(parts.allSatisfy { $0.header("x-amz-copy-source") == "/src/raw/a%20b.bin?versionId=v%2B1" && $0.body.isEmpty })
        #expect(t.requests.first?.header("x-amz-checksum-algorithm") == nil)
        let complete = String(decoding: try #require(t.requests.last).body, as: UTF8.self)
        #expect(complete.contains("<Part><ETag>&quot;copied3&quot;</ETag><PartNumber>3</PartNumber></Part>") || complete.contains("<Part><ETag>\"copied3\"</ETag><PartNumber>3</PartNumber></Part>"), "\(complete)")
        #expect(!complete.contains("ChecksumSHA256"))
    }

    @Test("At or under the limit: one CopyObject; a failed part aborts the upload")
    func singleAndAbort() async throws {
        let t = Self.copyTransport()
        let r = try await client(t).copyAnySize(
            bucket: "dst", key: "k", sourceBucket: "src", sourceKey: "k", sourceVersionId: nil, size: 9, singleCopyLimit: 9, partSize: 4)
        #expect(r.versionId == "cv" && t.requests.count == 1)

        let failing = Self.copyTransport(failPart: 2)
        await #expect(throws: QuiltOpsError.self) {
            _ = try await client(failing).copyAnySize(
                bucket: "dst", key: "k", sourceBucket: "src", sourceKey: "k", sourceVersionId: nil, size: 10, singleCopyLimit: 9, partSize: 4)
        }
        #expect(failing.requests.last?.method == "DELETE" && failing.requests.last?.url.contains("uploadId=copy-1") == true)
    }

    @Test("S3Storage copies from another bucket inside S3; from a store that is not S3 it declines")
    func storageCrossBucket() async throws {
        let t = Self.copyTransport()
        let s3 = client(t)
        let destination = try S3Storage(bucket: "dst", client: s3)
        let source = try S3Storage(bucket: "src", client: s3)
        let stored = try #require(try await destination.serverSideCopy(from: source, key: "raw/x", versionId: nil, size: 10, to: "pkg/x"))
        #expect(stored.size == 10)
        #expect(t.requests.first?.header("x-amz-copy-source") == "/src/raw/x")
        let memory = try MemoryStorage(name: "elsewhere")
        #expect(try await destination.serverSideCopy(from: memory, key: "raw/x", versionId: nil, size: 10, to: "pkg/x") == nil)
    }
}
