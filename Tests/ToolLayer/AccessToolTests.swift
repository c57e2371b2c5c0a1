import Foundation
import QuiltAccess
import QuiltContract
import QuiltJSON
import QuiltTestSupport
import QuiltTools
import Testing

/// `discover_permissions` and `check_bucket_access` through `ToolCatalog.call`, over a local registry's access engine.
@Suite("Access tools")
struct AccessToolTests {
    func call(_ s: ToolSession, _ tool: String, _ arguments: String, access: Bool = true) async throws(ToolError) -> JSONValue {
        var context = ToolContext(ops: s.ops, defaultRegistry: s.registry)
        if access { context.access = AccessEngine(ops: s.ops, configured: s.registry) { nil } }
        return try await ToolCatalog.call(tool, arguments: ToolSession.object(arguments), context: context)
    }

    func failure(_ s: ToolSession, _ tool: String, _ arguments: String, access: Bool = true) async -> QuiltOpsError? {
        do {
            _ = try await call(s, tool, arguments, access: access)
            return nil
        } catch {
            return error.error
        }
    }

    @Test("Both answer with each probe's call and outcome; check_bucket_access lists and reads by default")
    func answers() async throws {
        try await withSession(ToolBackend(kind: .memory)) { s in
            _ = try await s.seed("bucket_objects_put", #"{"items": [{"key": "a.txt", "text": "a"}]}"#)
            let found = try await call(s, "discover_permissions", #"{"force_refresh": true}"#)
            #expect(found["identity_probes"]?[0]?["outcome"] == "skipped", "\(found)")
            #expect(found["buckets"]?[0]?["registry"] == .string(s.registry.url) && found["buckets"]?[0]?["list"] == "allowed")
            #expect(found["buckets"]?[0]?["found_by"]?.arrayValue?.contains("configured registry") == true && found["count"] == 1, "\(found)")
            let checked = try await call(s, "check_bucket_access", #"{"bucket": "\#(s.registry.url)"}"#)
            #expect(checked["list"] == "allowed" && checked["read"] == "allowed" && checked["write"] == nil, "\(checked)")
            #expect(checked["operations"] == ["list", "read"])
            #expect(checked["probes"]?.arrayValue?.allSatisfy { $0["how"]?.stringValue?.isEmpty == false } == true)
        }
    }

    @Test("Bad operations, too many buckets and a bad bucket are refused by name; no engine is unsupported")
    func refusals() async throws {
        try await withSession(ToolBackend(kind: .memory)) { s in
            for (tool, arguments, field) in [
                ("check_bucket_access", #"{"bucket": "b-bucket", "operations": ["delete"]}"#, "operations"),
                ("check_bucket_access", #"{"bucket": "not a bucket!"}"#, "bucket"),
                ("discover_permissions", #"{"check_buckets": ["not a bucket!"]}"#, "check_buckets"),
                ("discover_permissions", "{\"check_buckets\": [" + (0..<101).map { "\"b\($0)-bucket\"" }.joined(separator: ",") + "]}", "check_buckets"),
            ] {
                let error = await failure(s, tool, arguments)
                guard case .invalidInput(let f, _)? = error else {
                    Issue.record("\(tool) \(arguments.prefix(60)): \(String(describing: error))")
                    continue
                }
                #expect(f == field)
            }
            #expect(await failure(s, "discover_permissions", "{}", access: false)?.kind == "unsupported")
        }
    }

    @Test("A read-only deployment lists discover_permissions but not check_bucket_access (it can write a probe)")
    func readOnly() {
        let served = ToolCatalog.served(readOnly: true, toolsets: ["permissions"]).map(\.definition.name)
        #expect(served == ["discover_permissions"])
    }
}
