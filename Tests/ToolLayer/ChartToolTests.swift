import Foundation
import QuiltContract
import QuiltJSON
import QuiltTestSupport
import QuiltTools
import Testing

/// `create_data_visualization` and `generate_quilt_summarize_json` through the tools. Their output is also checked
/// against altair's Vega-Lite schema, numpy's percentiles and the catalog's documented quilt_summarize.json shape by
/// `Fixtures/python-server/check_charts.py` (stdio tier).
@Suite("Charts and quilt_summarize.json")
struct ChartToolTests {
    @Test("A boxplot from CSV in the registry: five numbers per category, files to upload, the catalog entry")
    func boxplotFromObject() async throws {
        try await withSession(ToolBackend(kind: .memory)) { s in
            let put = try await s.seed("bucket_objects_put", #"{"items": [{"key": "t.csv", "text": "g,v\na,1\na,2\nb,3\nb,4\nb,10\n"}]}"#)
            let url = try #require(put["results"]?[0]?["s3_uri"]?.stringValue ?? put["items"]?[0]?["s3_uri"]?.stringValue, "\(put)")
            let chart = try await s.call(
                "create_data_visualization",
                #"{"data": "\#(url)", "plot_type": "boxplot", "x_column": "g", "y_column": "v", "title": "V by G"}"#)
            #expect(chart["chart"]?["xAxis"]?["data"] == ["a", "b"], "\(chart)")
            let stats = chart["chart"]?["series"]?[0]?["data"]?.arrayValue?.map { $0.arrayValue?.compactMap(\.doubleValue) ?? [] }
            #expect(stats == [[1, 1.25, 1.5, 1.75, 2], [3, 3.5, 4, 7, 10]])
            #expect(chart["quilt_summarize_entry"] == ["path": "viz/v-by-g.echarts.json", "title": "V by G", "types": ["echarts"]])
            let files = (chart["files_to_upload"]?.arrayValue ?? []).compactMap { $0["key"]?.stringValue }
            #expect(files == ["viz/v-by-g.echarts.json", "viz/v-by-g.csv", "quilt_summarize.json"])
        }
    }

    @Test("A bar chart without y counts x; refusals name the column and what is wrong")
    func barAndRefusals() async throws {
        try await withSession(ToolBackend(kind: .memory)) { s in
            let bar = try await s.call("create_data_visualization", #"{"data": [{"k": "a"}, {"k": "b"}, {"k": "a"}], "plot_type": "bar", "x_column": "k"}"#)
            #expect(bar["chart"]?["series"]?[0]?["data"] == [["a", 2], ["b", 1]], "\(bar)")
            for (arguments, field) in [
                (#"{"data": {"k": ["a"]}, "plot_type": "bar", "x_column": "nope"}"#, "x_column"),
                (#"{"data": {"k": ["a"], "t": ["x"]}, "plot_type": "line", "x_column": "k", "y_column": "t"}"#, "y_column"),
                (#"{"data": {"k": ["a"]}, "plot_type": "scatter", "x_column": "k"}"#, "y_column"),
                (#"{"data": {"k": ["a", "b"], "v": [1]}, "plot_type": "bar", "x_column": "k"}"#, "data"),
                (#"{"data": "k,v\n", "plot_type": "bar", "x_column": "k"}"#, "data"),
                (#"{"data": 3, "plot_type": "bar", "x_column": "k"}"#, "data"),
            ] {
                let failure = await s.failure("create_data_visualization", arguments)
                guard case .invalidInput(let f, _)? = failure else {
                    Issue.record("\(arguments): \(String(describing: failure))")
                    continue
                }
                #expect(f == field, "\(arguments)")
            }
        }
    }

    @Test("generate_quilt_summarize_json: README first with its description, charts typed, tables, at most 20 items")
    func summarize() async throws {
        try await withSession(ToolBackend(kind: .memory)) { s in
            let many = (0..<30).map { "\"t\($0).csv\"" }.joined(separator: ",")
            let out = try await s.call("generate_quilt_summarize_json", #"""
                {"package_name": "lab/s", "package_metadata": {}, "readme_content": "# S", "source_info": {"bucket": "raw", "prefix": "p/"},
                 "organized_structure": {"viz": ["c.echarts.json"], "data": [{"Key": "deep/x/k.parquet"}, \#(many)], "docs": ["a.md"]}}
                """#)
            let items = try #require(out["quilt_summarize"]?.arrayValue)
            #expect(items.count == 20)
            #expect(items[0] == ["path": "README.md", "title": "lab/s", "expand": true, "description": "Data from s3://raw/p/"])
            #expect(items[1] == ["path": "viz/c.echarts.json", "title": "c.echarts.json", "types": ["echarts"]])
            #expect(items[2]["path"] == "data/k.parquet")
            #expect(try JSONParser.parse(try #require(out["text"]?.stringValue)) == out["quilt_summarize"])
        }
    }

    @Test("create_quilt_summary_files writes README, charts and quilt_summarize.json into a new revision when asked",
          arguments: ToolBackend.writing)
    func summaryFiles(_ backend: ToolBackend) async throws {
        try await withSession(backend) { s in
            _ = try await s.seed("package_create", #"{"package_name": "lab/sum", "entries": [{"logical_key": "data/a.csv", "text": "x\n1\n"}]}"#)
            let args = #"{"package_name": "lab/sum", "package_metadata": {}, "readme_content": "", "organized_structure": {"data": ["a.csv"]}, "source_info": {"bucket": "raw"}}"#
            let dry = try await s.call("create_quilt_summary_files", args)
            let keys = (dry["files_to_upload"]?.arrayValue ?? []).compactMap { $0["key"]?.stringValue }
            #expect(keys == ["README.md", "quilt_summarize.json", "viz/files-per-folder.echarts.json", "viz/file-types.echarts.json"])
            #expect(dry["revision"] == nil)
            #expect(dry["files_to_upload"]?[0]?["text"]?.stringValue?.hasPrefix("# lab/sum") == true)
            let before = try await s.call("package_info", #"{"package_name": "lab/sum"}"#)
            let written = try await s.call("create_quilt_summary_files", String(args.dropLast()) + #", "write": true}"#)
            #expect(written["revision"]?["entry_count"] == 5, "\(written)")
            #expect(written["revision"]?["top_hash"] != before["top_hash"])
            let pie = try await s.call("generate_package_visualizations", #"{"package_name": "lab/sum", "organized_structure": {"d": ["a.csv", "b"]}, "file_types": {}}"#)
            #expect(pie["charts"]?[1]?["option"]?["series"]?[0]?["data"] == [["name": "(none)", "value": 1], ["name": "csv", "value": 1]], "\(pie)")
            #expect(pie["charts"]?[0]?["option"]?["title"]?["text"] == "Files per folder in lab/sum")
        }
    }
}
