import Foundation
import QuiltContract
import QuiltJSON
import Testing

/// The `bucket_*` tools on local registries (memory, files, read-only memory), through `ToolCatalog.call`.
@Suite("Bucket tools on local registries")
struct BucketToolScenarios {
    static let items = #"[{"key": "docs/readme.txt", "text": "hello bucket", "content_type": "text/plain", "metadata": {"author": "alice", "n": 1}}, {"key": "docs/sub/deep.bin", "data": "AAEC/w=="}, {"key": "top.txt", "text": "caf\u00e9", "encoding": "latin-1"}]"#

    @Test("bucket_objects_put writes text and base64 items; list, info, text, fetch and link read them back", arguments: ToolBackend.writing)
    func roundTrip(_ backend: ToolBackend) async throws {
        try await withSession(backend) { s in
            let put = try await s.call("bucket_objects_put", #"{"items": \#(Self.items)}"#)
            #expect(put["uploaded"]?.intValue == 3 && put["failed"]?.intValue == 0)
            let all = try await s.call("bucket_objects_list", "{}")
            #expect(all["objects"]?.arrayValue?.compactMap { $0["key"]?.stringValue } == ["docs/readme.txt", "docs/sub/deep.bin", "top.txt"])
            #expect(all["is_truncated"] == false && all["next_continuation_token"] == .null)
            let level = try await s.call("bucket_objects_list", #"{"prefix": "docs/", "delimiter": "/", "include_signed_urls": false}"#)
            #expect(level["objects"]?.arrayValue?.count == 1 && level["common_prefixes"] == ["docs/sub/"])
            #expect(level["objects"]?[0]?["signed_url"] == nil)
            var keys: [String] = []
            var token = ""
            repeat {
                let page = try await s.call("bucket_objects_list", #"{"max_keys": 1, "continuation_token": "\#(token)"}"#)
                keys += page["objects"]?.arrayValue?.compactMap { $0["key"]?.stringValue } ?? []
                token = page["next_continuation_token"]?.stringValue ?? ""
            } while !token.isEmpty
            #expect(keys == ["docs/readme.txt", "docs/sub/deep.bin", "top.txt"])

            let uri = try #require(all["objects"]?[0]?["s3_uri"]?.stringValue)
            let info = try await s.call("bucket_object_info", #"{"s3_uri": "\#(uri)"}"#)
            #expect(info["size"]?.intValue == 12)
            let text = try await s.call("bucket_object_text", #"{"s3_uri": "\#(uri)", "max_bytes": 5}"#)
            #expect(text["text"] == "hello" && text["truncated"] == true)
            let whole = try await s.call("bucket_object_text", #"{"s3_uri": "\#(uri)"}"#)
            #expect(whole["text"] == "hello bucket" && whole["truncated"] == false)
            let latin = try #require(all["objects"]?[2]?["s3_uri"]?.stringValue)
            #expect(try await s.call("bucket_object_text", #"{"s3_uri": "\#(latin)", "encoding": "latin-1"}"#)["text"] == "café")
            let bin = try #require(all["objects"]?[1]?["s3_uri"]?.stringValue)
            let fetched = try await s.call("bucket_object_fetch", #"{"s3_uri": "\#(bin)"}"#)
            #expect(fetched["data"] == "AAEC/w==" && fetched["encoding"] == "base64" && fetched["truncated"] == false)
            let asText = try await s.call("bucket_object_fetch", #"{"s3_uri": "\#(uri)", "base64_encode": false, "max_bytes": 3}"#)
            #expect(asText["text"] == "hel" && asText["truncated"] == true)
            if backend.kind == .file {
                let link = try await s.call("bucket_object_link", #"{"s3_uri": "\#(uri)", "expiration": 60}"#)
                #expect(link["signed_url"]?.stringValue?.hasPrefix("file://") == true && link["kind"] == "local")
                #expect(all["objects"]?[0]?["signed_url"]?.stringValue?.hasPrefix("file://") == true)
            } else {
                #expect(await s.failure("bucket_object_link", #"{"s3_uri": "\#(uri)"}"#)?.kind == "unsupported")
                #expect(all["objects"]?[0]?["signed_url"] == .null)
            }
        }
    }

    @Test("Arguments are validated with the Python server's names and ranges", arguments: ToolBackend.all)
    func validation(_ backend: ToolBackend) async throws {
        try await withSession(backend) { s in
            #expect(await s.failure("bucket_objects_list", #"{"max_keys": 0}"#) == .invalidInput(field: "max_keys", reason: "0 is outside 1...1000."))
            #expect(await s.failure("bucket_object_link", #"{"s3_uri": "s3://b/k", "expiration": 604801}"#)?.kind == "invalid_input")
            #expect(await s.failure("bucket_object_info", #"{"s3_uri": "not-a-uri"}"#)?.kind == "invalid_input")
            #expect(await s.failure("bucket_object_info", "{}") == .invalidInput(field: "s3_uri", reason: "is required. s3://bucket/key[?versionId=…], file:// or memory:// URL."))
            #expect(await s.failure("bucket_objects_put", #"{"items": []}"#)?.kind == "invalid_input")
            #expect(await s.failure("bucket_object_text", #"{"s3_uri": "s3://b/k", "encoding": "ebcdic"}"#)?.kind != nil)
        }
    }

    @Test("Item errors are reported per item; a read-only deployment refuses writes", arguments: ToolBackend.all)
    func putErrors(_ backend: ToolBackend) async throws {
        try await withSession(backend) { s in
            let args = #"{"items": [{"key": "ok.txt", "text": "x"}, {"key": "both.txt", "text": "x", "data": "eA=="}, {"key": "bad.bin", "data": "%%%"}]}"#
            guard backend.writes else {
                #expect(await s.failure("bucket_objects_put", args)?.kind == "unsupported")
                return
            }
            let put = try await s.call("bucket_objects_put", args)
            #expect(put["uploaded"]?.intValue == 1 && put["failed"]?.intValue == 2)
            #expect(put["results"]?[1]?["success"] == false)
            #expect(put["results"]?[2]?["error"]?.stringValue?.contains("base64") == true)
        }
    }

    @Test("bucket_list lists the configured registry", arguments: ToolBackend.all)
    func bucketList(_ backend: ToolBackend) async throws {
        try await withSession(backend) { s in
            let list = try await s.call("bucket_list", "{}")
            #expect(list["buckets"]?[0]?["registry"]?.stringValue == s.registry.url)
        }
    }
}
