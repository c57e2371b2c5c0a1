// libFuzzer target `s3xml`: S3 response bodies through the real S3Client, over a fake HTTPTransport that answers
// every request with the input — so the code that turns XML into models (ListObjectsV2, ListBuckets, versioning,
// ListObjectVersions, DeleteObjects, multipart, CopyObject, UploadPartCopy) and the error path (S3ErrorResponse:
// code, message, region, the mapping to QuiltOpsError, region redirects and the expired-token retry) run exactly
// as against S3. Nothing leaves the process: the transport is in memory and retries never sleep.
//
// S3XML and XMLReader (internal to QuiltS3) are compiled into this target a second time from the same files
// (S3Error.swift and XMLReader.swift, symlinked), for the root-element dispatch and the escape check below; the S3Client calls use QuiltS3's own copy.
//
// Each input runs two calls: the operation whose success response has the body's root element (chosen by length when
// the root is none of theirs), and an error response (status chosen by length) with the same body.
//
// Properties (each traps on violation):
// - every call returns or throws a QuiltOpsError (a crash or hang is a finding);
// - a successful CreateMultipartUpload has a non-empty upload id;
// - S3XML.escape round-trips: for text XML 1.0 can carry, <K>escape(s)</K> parses back to s (DeleteObjects and
//   CompleteMultipartUpload bodies carry keys and ETags that way).
import Crypto
import Dispatch
import Foundation
import FuzzSupport
import QuiltHTTP
import QuiltContract
import QuiltS3

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
    CryptoStubSelfTest.run()
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let body = Array(UnsafeRawBufferPointer(start: start, count: count))
    let done = DispatchSemaphore(value: 0)
    Task {
        await exercise(body)
        done.signal()
    }
    done.wait()
    escapeRoundTrip(text(UnsafeRawBufferPointer(start: start, count: count)))
    return 0
}

/// Answers every request with `status` and `body`; after three answers, with an empty listing (so a body that says
/// "truncated" forever cannot loop a paginating call).
final class FakeTransport: HTTPTransport, @unchecked Sendable {
    let status: Int
    let body: [UInt8]
    var pages = 0
    init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
    func send(_ request: QuiltHTTPRequest) async throws(QuiltOpsError) -> QuiltHTTPResponse {
        pages += 1
        if pages > 3 { return QuiltHTTPResponse(status: 200, body: Array("<ListVersionsResult/>".utf8)) }
        return QuiltHTTPResponse(status: status, headers: [HTTPField("etag", "\"e\"")], body: body)
    }
}

private let credentials = StaticCredentialsProvider(
    AWSCredentials(accessKeyId: "AKIAFUZZ", secretAccessKey: "fuzz", source: "fuzz"))

private func client(status: Int, _ body: [UInt8]) -> S3Client {
    S3Client(
        transport: FakeTransport(status: status, body: body), credentials: credentials,
        configuration: S3Configuration(region: "us-east-1", retry: .none, clock: { Date(timeIntervalSince1970: 1_795_282_874) }))
}

/// The operations whose 200 responses carry XML, by the root element S3 answers them with.
private let operations: [(root: String, call: @Sendable (S3Client) async -> Void)] = [
    ("ListBucketResult", { _ = try? await $0.listObjectsV2(bucket: "b", prefix: "p/", delimiter: "/") }),
    ("ListAllMyBucketsResult", { _ = try? await $0.listBuckets() }),
    ("VersioningConfiguration", { _ = try? await $0.bucketVersioning(bucket: "b") }),
    ("ListVersionsResult", { _ = try? await $0.listObjectVersions(bucket: "b") }),
    ("DeleteResult", { _ = try? await $0.deleteObjects(bucket: "b", keys: ["k"]) }),
    ("InitiateMultipartUploadResult", { c in
        if let id = try? await c.createMultipartUpload(bucket: "b", key: "k") {
            check(!id.isEmpty, "CreateMultipartUpload returned an empty upload id")
        }
    }),
    ("CompleteMultipartUploadResult", { _ = try? await $0.completeMultipartUpload(bucket: "b", key: "k", uploadId: "u", parts: [("\"e\"", nil)]) }),
    ("CopyObjectResult", { _ = try? await $0.copyObject(bucket: "b", key: "k", sourceBucket: "s", sourceKey: "k") }),
    ("CopyPartResult", { c in
        _ = try? await c.uploadPartCopy(
            bucket: "b", key: "k", uploadId: "u", partNumber: 1, sourceBucket: "s", sourceKey: "k", sourceVersionId: nil,
            range: 0...9)
    }),
]

/// Two calls per input: the operation whose answer has the body's root element (by the input's length when the root
/// is none of theirs, so every body reaches every parser), and an error response with the same body.
private func exercise(_ body: [UInt8]) async {
    let root = (try? S3XML.parse(body))?.children.first?.element?.name
    let operation = operations.first { $0.root == root } ?? operations[body.count % operations.count]
    await operation.call(client(status: 200, body))
    // The error path: one status per input, chosen by its length.
    let statuses = [400, 403, 404, 301, 500, 409, 412, 416, 503, 200]
    let status = statuses[body.count % statuses.count]
    do {
        if status == 200 {
            // S3 answers CompleteMultipartUpload 200 with an <Error> when it fails late.
            _ = try await client(status: 200, body).completeMultipartUpload(bucket: "b", key: "k", uploadId: "u", parts: [("e", nil)])
        } else if body.count % 2 == 0 {
            _ = try await client(status: status, body).listObjectsV2(bucket: "b", prefix: "", delimiter: nil)
        } else {
            _ = try await client(status: status, body).headObject(bucket: "bucket", key: "k")
        }
    } catch {
        _ = "\(error)"
    }
}

/// What XML 1.0 can carry: tab, LF, CR and U+0020 upward, minus U+FFFE and U+FFFF (a Swift String has no surrogates).
private func xmlCarries(_ s: String) -> Bool {
    s.unicodeScalars.allSatisfy { c in
        c == "\t" || c == "\n" || c == "\r" || (c.value >= 0x20 && c.value != 0xFFFE && c.value != 0xFFFF)
    }
}

private func escapeRoundTrip(_ s: String) {
    guard xmlCarries(s) else { return }
    let escaped = S3XML.escape(s)
    let document = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete><Object><Key>\(escaped)</Key></Object></Delete>"
    let back = (try? S3XML.parse(Array(document.utf8)))?["Delete"]["Object"]["Key"].text ?? ""
    check(back.unicodeScalars.elementsEqual(s.unicodeScalars),
          "S3XML.escape does not round-trip: \(s.unicodeScalars.map { String($0.value, radix: 16) }) → '\(escaped)' → \(back.unicodeScalars.map { String($0.value, radix: 16) })")
}
