import Foundation
import QuiltContract
import QuiltS3
import QuiltTestSupport
import Testing

/// Server-side copies above the single-copy limit (UploadPartCopy), checked against the live S3 endpoint of the
/// live tier (moto on loopback in `.ci/run`, or AWS). A real copy above 5 GiB is too large for a test, so the limit
/// and part size are lowered to S3's minimum part size: the requests are the ones a 6 GiB copy sends, in fewer parts.
/// Only in `QUILT_FIXTURES=live` (no fixture: the bodies are megabytes).
@Suite("S3 live: multipart server-side copy", .enabled(if: FixtureMode.current == .live))
struct S3LiveCopyTests {
    @Test("UploadPartCopy in 5 MiB ranges from an older source version reproduces that version byte for byte")
    func multipartCopyOfAVersion() async throws {
        let live = try LiveTarget.fromEnvironment()
        let bucket = live.bucketPrefix + "quilt-live-part-copy"
        let other = live.bucketPrefix + "quilt-live-part-copy-dst"
        try await live.prepare(bucket: bucket, versioned: true)
        try await live.prepare(bucket: other, versioned: false)
        let client = live.setupClient
        let size = 11 * 1024 * 1024 + 12_345
        let old = (0..<size).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
        let first = try await client.putObject(bucket: bucket, key: "src/big file.bin", bytes: old)
        let firstVersion = try #require(first.versionId)
        _ = try await client.putObject(bucket: bucket, key: "src/big file.bin", bytes: Array("newer".utf8))

        let copied = try await client.copyAnySize(
            bucket: other, key: "dst/copied.bin", sourceBucket: bucket, sourceKey: "src/big file.bin",
            sourceVersionId: firstVersion, size: Int64(size), singleCopyLimit: 5 << 20, partSize: 5 << 20)
        #expect(copied.etag?.hasSuffix("-3\"") == true || copied.etag?.hasSuffix("-3") == true,
                "a three-part multipart ETag: \(String(describing: copied.etag))")
        let (head, bytes) = try await client.getObject(bucket: other, key: "dst/copied.bin")
        #expect(head.size == Int64(size))
        #expect(bytes == old)
        let uploads = try await client.listObjectVersions(bucket: other)
        #expect(uploads.map(\.key) == ["dst/copied.bin"])

        try await live.prepare(bucket: bucket, versioned: false, create: false)
        try await live.prepare(bucket: other, versioned: false, create: false)
    }

    @Test("A failing part (a source range past the end) aborts the upload: nothing is left at the destination")
    func failedPartAborts() async throws {
        let live = try LiveTarget.fromEnvironment()
        let bucket = live.bucketPrefix + "quilt-live-part-abort"
        try await live.prepare(bucket: bucket, versioned: false)
        let client = live.setupClient
        _ = try await client.putObject(bucket: bucket, key: "small", bytes: [UInt8](repeating: 7, count: 6 << 20))
        var failure: QuiltOpsError?
        do {
            // The size is claimed larger than the object: the third range starts past its end and is refused.
            _ = try await client.copyAnySize(
                bucket: bucket, key: "never", sourceBucket: bucket, sourceKey: "small", sourceVersionId: nil,
                size: 15 << 20, singleCopyLimit: 5 << 20, partSize: 5 << 20)
        } catch {
            failure = error
        }
        #expect(failure != nil)
        let keys = try await client.listObjectVersions(bucket: bucket).map(\.key)
        #expect(keys == ["small"], "no object appears where the copy failed")
        try await live.prepare(bucket: bucket, versioned: false, create: false)
    }
}
