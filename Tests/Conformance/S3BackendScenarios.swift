import Foundation
import QuiltContract
import QuiltJSON
import QuiltTestSupport
import QuiltTools
import Testing

/// What only S3 has: object versions and presigned URLs. Same harness and fixtures as the conformance suite
/// (`Fixtures/s3/s3.*.json`), in a versioned bucket.
@Suite("S3 backend: versions and presigned URLs")
struct S3BackendScenarios {
    static let versioned = BackendUnderTest(harness: S3Harness(versioned: true))
    static let plain = BackendUnderTest(harness: S3Harness())

    @Test("The bucket tools over S3: put, list with presigned URLs, info, text, fetch, link")
    func bucketTools() async throws {
        try await Self.plain.run("s3.bucket-tools") { s in
            let context = ToolContext(ops: s.ops, defaultRegistry: s.registry)
            func call(_ tool: String, _ args: String) async throws -> JSONValue {
                guard case .object(let o) = try JSONParser.parse(args) else { return .null }
                return try await ToolCatalog.call(tool, arguments: o, context: context)
            }
            let put = try await call(
                "bucket_objects_put",
                #"{"bucket": "\#(s.registry.url)", "items": [{"key": "in/a b.txt", "text": "hello s3", "content_type": "text/plain", "metadata": {"k": "v"}}, {"key": "in/bin", "data": "AAEC"}]}"#)
            #expect(put["uploaded"]?.intValue == 2)
            let list = try await call("bucket_objects_list", #"{"bucket": "\#(s.registry.location)", "prefix": "in/"}"#)
            let rows = list["objects"]?.arrayValue ?? []
            #expect(rows.compactMap { $0["key"]?.stringValue } == ["in/a b.txt", "in/bin"])
            let signed = try #require(rows.first?["signed_url"]?.stringValue)
            #expect(signed.contains("/in/a%20b.txt?") && signed.contains("X-Amz-Signature="))
            let uri = try #require(rows.first?["s3_uri"]?.stringValue)
            #expect(uri == "s3://\(s.registry.location)/in/a%20b.txt")
            let info = try await call("bucket_object_info", #"{"s3_uri": "\#(uri)"}"#)
            #expect(info["size"]?.intValue == 8 && info["content_type"] == "text/plain" && info["metadata"]?["k"] == "v")
            let text = try await call("bucket_object_text", #"{"s3_uri": "\#(uri)", "max_bytes": 5}"#)
            #expect(text["text"] == "hello" && text["truncated"] == true)
            let fetched = try await call("bucket_object_fetch", #"{"s3_uri": "s3://\#(s.registry.location)/in/bin"}"#)
            #expect(fetched["data"] == "AAEC")
            let link = try await call("bucket_object_link", #"{"s3_uri": "\#(uri)", "expiration": 600}"#)
            #expect(link["kind"] == "presigned" && link["expiration_seconds"]?.intValue == 600)
            #expect(link["signed_url"]?.stringValue?.contains("X-Amz-Expires=600") == true)
        }
    }

    @Test("A versioned bucket records versionIds, old revisions read their own versions, and links are presigned")
    func versionedBucket() async throws {
        try await Self.versioned.run("s3.versioned-bucket") { s in
            let first = try await s.seed("v/pkg", files: [("a.txt", "one"), ("dir/b.txt", "two")])
            let before = try await s.browseAll("v/pkg", revision: .hash(first.revision.hash))
            let a1 = try #require(before.first { $0.logicalKey == "a.txt" }?.physicalKey)
            #expect(a1.versionId != nil, "a versioned bucket's manifest names the version")
            #expect(a1.url.contains("?versionId="))
            let second = try await s.ops.updateRevision(
                UpdateRevisionRequest(
                    package: try PackageName("v/pkg"), registry: s.registry, base: .latest,
                    put: [NewEntry(logicalKey: try LogicalKey("a.txt"), source: .bytes(Array("uno".utf8)))]))
            let after = try await s.browseAll("v/pkg", revision: .hash(second.revision.hash))
            let a2 = try #require(after.first { $0.logicalKey == "a.txt" }?.physicalKey)
            #expect(a2.path == a1.path && a2.versionId != a1.versionId)
            #expect(String(decoding: try await s.ops.readObject(a1, range: nil, maxBytes: 100).bytes, as: UTF8.self) == "one")
            #expect(String(decoding: try await s.ops.readObject(a2, range: nil, maxBytes: 100).bytes, as: UTF8.self) == "uno")
            #expect(try await s.ops.headObject(a1).size == 3)
            let link = try await s.ops.locateObject(a1, expiresIn: 60)
            #expect(link.kind == .presigned)
            #expect(link.url.contains("versionId=") && link.url.contains("X-Amz-Signature=") && link.url.contains("X-Amz-Expires=60"))
            // A package made from an existing version copies that version.
            let copied = try await s.ops.createRevision(
                CreateRevisionRequest(
                    package: try PackageName("v/copy"), registry: s.registry,
                    entries: [NewEntry(logicalKey: try LogicalKey("old.txt"), source: .object(a1))], copyObjects: true))
            let entry = try #require(try await s.browseAll("v/copy", revision: .hash(copied.revision.hash)).first)
            #expect(entry.physicalKey?.path == "v/copy/old.txt" && entry.physicalKey?.versionId != nil)
            #expect(String(decoding: try await s.ops.readObject(try #require(entry.physicalKey), range: nil, maxBytes: 10).bytes, as: UTF8.self) == "one")
        }
    }
}
