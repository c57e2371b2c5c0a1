import Foundation
import NIOHTTP1
import QuiltJSON
import Testing

@Suite("Prometheus metrics on their own port")
struct MetricsTests {
    /// The value of the sample `name{labels}` in Prometheus text, nil when absent.
    static func sample(_ text: String, _ series: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    @Test("Tool calls by tool and outcome, latency, rejections by reason, in flight and tenants; no tenant or token in any label")
    func scraped() async throws {
        let metricsPort = try FreePort.pick()
        let arguments = ["--mode", "remote", "--api", "registry", "--registry", "memory://metrics",
                         "--metrics-port", String(metricsPort)]
        let tenant = "tenant-\(UUID().uuidString.prefix(8))"
        let token = TokenMint.hs256(TokenMint.claims(sub: tenant))
        try await withHTTPServer(arguments, env: ["QUILT_MCP_JWT_SECRET": TokenMint.secret]) { server, _ in
            let metricsURL = "http://127.0.0.1:\(metricsPort)/metrics"
            // The listener comes up beside /mcp; wait for its line (bounded).
            let deadline = Date().addingTimeInterval(10)
            while !server.stderrText.contains("serving Prometheus metrics"), Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(try await MCPHTTP.send(server.url("/metrics"), method: .GET).status != 200, "/metrics must not be on the /mcp port")

            for (tool, args) in [("packages_list", JSONValue.object([:])), ("package_info", ["package_name": "no/such"]),
                                 ("package_create", ["package_name": "m/one", "entries": [["logical_key": "a", "text": "b"]]])] {
                _ = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(1, "tools/call", MCPHTTP.call(tool, args)), token: token)
            }
            _ = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(1, "tools/call", MCPHTTP.call("no_such_tool_\(tenant)", [:])), token: token)
            let refused = try await MCPHTTP.post(server.url(), MCPHTTP.rpc(1, "tools/list"), token: "not-a-jwt")
            #expect(refused.status == 401)

            let scrape = try await MCPHTTP.send(metricsURL, method: .GET)
            #expect(scrape.status == 200)
            #expect(scrape.headers["content-type"]?.hasPrefix("text/plain") == true)
            let text = scrape.text
            #expect(Self.sample(text, #"quilt_mcp_tool_calls_total{tool="packages_list",outcome="ok"}"#) == 1, "\(text)")
            #expect(Self.sample(text, #"quilt_mcp_tool_calls_total{tool="package_info",outcome="not_found"}"#) == 1, "\(text)")
            #expect(Self.sample(text, #"quilt_mcp_tool_calls_total{tool="package_create",outcome="ok"}"#) == 1, "\(text)")
            #expect(Self.sample(text, #"quilt_mcp_http_rejections_total{reason="unauthenticated"}"#) == 1, "\(text)")
            #expect(text.contains(#"quilt_mcp_tool_call_duration_seconds_bucket{tool="package_create",outcome="ok",le="#), "\(text)")
            #expect(Self.sample(text, "quilt_mcp_tenants") == 1, "\(text)")
            #expect(Self.sample(text, "quilt_mcp_http_requests_in_flight") == 0, "\(text)")
            #expect(!text.contains(tenant), "a tenant or caller-chosen name reached a label")
            #expect(!text.contains(token.prefix(20)))
        }
    }
}
