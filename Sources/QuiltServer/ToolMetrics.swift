import CoreMetrics
import QuiltTools

/// Per-tool call metrics through swift-metrics (a no-op until a metrics backend is bootstrapped, as the HTTP server
/// does for Prometheus): `quilt_mcp_tool_calls_total{tool, outcome}` and
/// `quilt_mcp_tool_call_duration_seconds{tool, outcome}`. Labels come from closed sets — a tool name the catalog
/// does not know is `unknown`, an outcome is `ok` or an error kind — so callers cannot grow the label space.
enum ToolMetrics {
    static let knownTools = Set(ToolCatalog.all.map(\.definition.name))

    /// Records one finished call of `tool` (as the caller named it) with `outcome`, taking `elapsed`.
    static func record(tool: String, outcome: String, elapsed: Duration) {
        let dimensions = [("tool", knownTools.contains(tool) ? tool : "unknown"), ("outcome", outcome)]
        Counter(label: "quilt_mcp_tool_calls_total", dimensions: dimensions).increment()
        let (seconds, attoseconds) = elapsed.components
        Timer(label: "quilt_mcp_tool_call_duration_seconds", dimensions: dimensions)
            .recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
