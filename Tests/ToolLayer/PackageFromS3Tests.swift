import Foundation
import QuiltContract
import QuiltJSON
import QuiltTestSupport
import QuiltTools
import Testing

/// `package_create_from_s3` through the tools on every local backend that writes (the registry's own objects are
/// the source); against moto with 20,000 keys and on the fake catalog in `Fixtures/s3/check_from_s3.py`.
@Suite("package_create_from_s3")
struct PackageFromS3Tests {
    static let seed = #"""
        {"items": [
          {"key": "lab/run1/a.csv", "text": "x,y\n1,2\n"}, {"key": "lab/run1/b.txt", "text": "notes"},
          {"key": "lab/run1/README.md", "text": "# mine"}, {"key": "lab/run1/img/cell.png", "text": "png"},
          {"key": "lab/run1/config.yaml", "text": "k: v"}, {"key": "lab/run2/c.csv", "text": "z\n3\n"}
        ]}
        """#

    @Test("dry_run says exactly what a write then stores: keys under the prefix, folders by type, generated files as entries",
          arguments: ToolBackend.writing)
    func dryRunThenWrite(_ backend: ToolBackend) async throws {
        try await withSession(backend) { s in
            _ = try await s.seed("bucket_objects_put", Self.seed)
            let args = #"{"source_bucket": "\#(s.registry.url)", "source_prefix": "lab/run1/", "package_name": "lab/run1", "exclude_patterns": ["*.png"], "description": "First run", "metadata_template": "ml", "metadata": {"owner": "ana", "quilt": "ignored"}}"#
            let preview = try await s.call("package_create_from_s3", String(args.dropLast()) + #", "dry_run": true}"#)
            let planned = (preview["entries"]?.arrayValue ?? []).compactMap { $0["logical_key"]?.stringValue }
            #expect(planned.sorted() == ["data/processed/a.csv", "data/raw/b.txt", "docs/README.md", "metadata/config.yaml"], "\(preview)")
            #expect(preview["entry_count"] == 6 && preview["entries_truncated"] == false)
            let generated = try #require(preview["generated_files"]?.objectValue)
            #expect(generated.keys.sorted() == ["README.md", "quilt_summarize.json"])
            #expect(generated["README.md"]?.stringValue?.contains("First run") == true)
            #expect(preview["metadata"]?["owner"] == "ana" && preview["metadata"]?["ml"]?["model_ready"] == true)
            #expect(preview["metadata"]?["quilt"]?["source"]?["total_objects"] == 4)
            // Nothing was written by the dry run.
            #expect(await s.failure("package_info", #"{"package_name": "lab/run1"}"#)?.kind == "not_found")

            let made = try await s.call("package_create_from_s3", args)
            #expect(made["entry_count"] == 6 && made["message"] == "First run", "\(made)")
            #expect(made["user_meta"] == preview["metadata"], "the metadata written is the metadata previewed")
            let browsed = try await s.call("package_browse", #"{"package_name": "lab/run1"}"#)
            let stored = (browsed["entries"]?.arrayValue ?? []).compactMap { $0["logical_key"]?.stringValue }
            #expect(stored.sorted() == (planned + ["README.md", "quilt_summarize.json"]).sorted())
            let readme = try #require(browsed["entries"]?.arrayValue?.first { $0["logical_key"] == "README.md" }?["physical_key"]?.stringValue)
            let text = try await s.call("bucket_object_text", #"{"s3_uri": "\#(readme)"}"#)
            #expect(text["text"] == generated["README.md"], "the README stored is the one previewed")
        }
    }

    @Test("Keys relative to the prefix's folder, include patterns, a source README kept, nothing matched refused",
          arguments: ToolBackend.writing)
    func keysAndPatterns(_ backend: ToolBackend) async throws {
        try await withSession(backend) { s in
            _ = try await s.seed("bucket_objects_put", Self.seed)
            let plain = try await s.call(
                "package_create_from_s3",
                #"{"source_bucket": "\#(s.registry.url)", "source_prefix": "lab/run", "package_name": "lab/plain", "auto_organize": false, "include_patterns": ["*.csv", "*README*"], "dry_run": true, "confirm_structure": true}"#)
            let keys = (plain["entries"]?.arrayValue ?? []).compactMap { $0["logical_key"]?.stringValue }.sorted()
            #expect(keys == ["run1/README.md", "run1/a.csv", "run2/c.csv"], "\(plain)")
            let own = try await s.call(
                "package_create_from_s3",
                #"{"source_bucket": "\#(s.registry.url)", "source_prefix": "lab/run1/", "package_name": "lab/own", "auto_organize": false, "dry_run": true}"#)
            #expect(own["generated_files"]?.objectValue?.keys.sorted() == ["quilt_summarize.json"], "the source's README.md is kept")
            let none = await s.failure(
                "package_create_from_s3",
                #"{"source_bucket": "\#(s.registry.url)", "source_prefix": "lab/", "package_name": "lab/none", "include_patterns": ["*.parquet"]}"#)
            #expect(none.map { if case .invalidInput(let f, _) = $0 { f == "include_patterns" } else { false } } == true, "\(String(describing: none))")
            let template = await s.failure(
                "package_create_from_s3", #"{"source_bucket": "\#(s.registry.url)", "package_name": "lab/t", "metadata_template": "genomics"}"#)
            #expect(template?.kind == "invalid_input")
        }
    }
}
