import CoreMetrics
import Hummingbird
import Logging
import Prometheus
import QuiltMode
import ServiceLifecycle
import Synchronization

/// The HTTP server's metrics, in Prometheus' text format at `GET /metrics` on the separate `metrics_port` listener
/// (never on the `/mcp` port: platform teams scrape it from inside the cluster and do not route it to callers).
///
/// - `quilt_mcp_tool_calls_total{tool, outcome}`, `quilt_mcp_tool_call_duration_seconds{tool, outcome}` (from
///   the tool layer, ``QuiltServer``);
/// - `quilt_mcp_http_rejections_total{reason}`: `replica_full` (503), `caller_full` (429), `unauthenticated` (401),
///   `body_too_large` (413);
/// - `quilt_mcp_http_requests_in_flight`, `quilt_mcp_tenants`.
/// No label carries a tenant, a token or anything a caller chose.
enum ServerMetrics {
    /// The registry every metric of this process is kept in.
    static let registry = PrometheusCollectorRegistry()

    /// Makes swift-metrics report into ``registry`` (once per process; later calls do nothing).
    static func bootstrap() {
        bootstrapped.withLock { done in
            guard !done else { return }
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            done = true
        }
    }
    private static let bootstrapped = Mutex(false)

    /// Why a request was refused before it reached a tool.
    enum Rejection: String {
        case replicaFull = "replica_full", callerFull = "caller_full", unauthenticated, bodyTooLarge = "body_too_large"
    }

    static func rejected(_ reason: Rejection) {
        Counter(label: "quilt_mcp_http_rejections_total", dimensions: [("reason", reason.rawValue)]).increment()
    }

    static func inFlight(_ count: Int) { Gauge(label: "quilt_mcp_http_requests_in_flight").record(count) }

    static func tenants(_ count: Int) { Gauge(label: "quilt_mcp_tenants").record(count) }

    /// The `/metrics` listener on `host`:`port`, as a service for the server's service group.
    static func application(host: String, port: Int, logger: Logger) -> some Service {
        let router = Router()
        router.get("metrics") { _, _ -> Response in
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                HTTPDeployment.announce("serving Prometheus metrics at http://\(host):\(channel.localAddress?.port ?? port)/metrics")
            },
            logger: logger)
    }
}

