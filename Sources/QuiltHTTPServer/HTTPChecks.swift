import FoundationEssentials
import Hummingbird
import QuiltMode
import QuiltProtocol

/// The transport-level checks of a POST to `/mcp`, before its body is read: where it comes from (local deployments),
/// what it sends and what it accepts. Each refusal is a JSON-RPC error with the status the transport spec gives it.
enum HTTPChecks {
    /// What a request's headers say, read once.
    struct Headers {
        var acceptsJSON: Bool
        var acceptsEventStream: Bool
        var contentTypeIsJSON: Bool
        var routing: RoutingHeaders

        init(_ request: Request) {
            (acceptsJSON, acceptsEventStream) = HTTPChecks.accepts(request.headers[values: .accept])
            let contentType = request.headers[.contentType]?.split(separator: ";").first.map { HTTPChecks.trim($0).lowercased() }
            contentTypeIsJSON = contentType == "application/json"
            // Every request passes here: three slots and a switch, not a dictionary and a set.
            var version: String?, method: String?, toolName: String?
            var duplicated: String?
            func take(_ slot: inout String?, _ name: String, _ value: String) {
                if slot != nil, duplicated == nil { duplicated = name }
                slot = value
            }
            for field in request.headers {
                let name = field.name.canonicalName  // already lowercase
                switch name {
                case "mcp-protocol-version": take(&version, name, field.value)
                case "mcp-method": take(&method, name, field.value)
                case "mcp-name": take(&toolName, name, field.value)
                default: continue
                }
            }
            routing = RoutingHeaders(version: version, method: method, name: toolName, duplicated: duplicated)
        }
    }

    /// DNS-rebinding protection for local deployments: `Host` must be a loopback name (421 otherwise) and `Origin`,
    /// when a browser sends one, a loopback origin (403). Remote deployments are reached under their own names and
    /// authenticate with tokens.
    static func origin(_ request: Request, mode: Mode) -> Response? {
        guard mode.locale == .local else { return nil }
        if let host = request.head.authority, !isLoopback(host, scheme: nil) {
            return HTTPBridge.rpcError(status: 421, code: RPCError.invalidRequestCode, "Misdirected Request: Host header not allowed")
        }
        if let origin = request.headers[.origin], !isLoopback(origin, scheme: "http://") {
            return HTTPBridge.rpcError(status: 403, code: RPCError.invalidRequestCode, "Forbidden: Origin not allowed")
        }
        return nil
    }

    /// `localhost`, `127.0.0.1` or `[::1]` with a numeric port, after `scheme` when one is required.
    static func isLoopback(_ value: String, scheme: String?) -> Bool {
        var rest = Substring(value)
        if let scheme {
            guard rest.hasPrefix(scheme) else { return false }
            rest = rest.dropFirst(scheme.count)
        }
        for host in ["localhost", "127.0.0.1", "[::1]"] where rest.hasPrefix(host + ":") {
            let port = rest.dropFirst(host.count + 1)
            return !port.isEmpty && port.allSatisfy(\.isNumber)
        }
        return false
    }

    /// The header a client narrows the deployment's toolsets with, for one request.
    static let toolsetsHeader = "x-quilt-toolsets"

    /// The toolsets one request asks for with `X-Quilt-Toolsets: packages,search` (or `all`): the deployment's own
    /// set narrowed to them (never widened), or nil without the header; -32602 naming the known sets for an unknown one.
    static func toolsets(_ request: Request, mode: Mode) -> Result<(names: Set<String>, setting: String)?, RPCError> {
        let values = request.headers.filter { $0.name.canonicalName == toolsetsHeader }.map(\.value)
        guard !values.isEmpty else { return .success(nil) }
        let asked = values.flatMap { $0.split(separator: ",") }.map { trim($0).lowercased() }
            .filter { !$0.isEmpty }
        if let unknown = asked.first(where: { $0 != "all" && !Mode.toolsetNames.contains($0) }) {
            return .failure(.invalidParams(
                "X-Quilt-Toolsets names '\(unknown)', which is not a toolset; known: \((Mode.toolsetNames + ["all"]).joined(separator: ", "))"))
        }
        let deployment = mode.toolsets ?? Set(Mode.toolsetNames)
        let names = asked.contains("all") ? deployment : deployment.intersection(asked)
        let setting = (mode.toolsetsSetting?.setting).map { "X-Quilt-Toolsets, within \($0)" } ?? "X-Quilt-Toolsets"
        return .success((names, setting))
    }

    /// Whether `Accept` header values offer JSON and Server-Sent Events: `application/json`, `application/*` or
    /// `*/*`, and `text/event-stream`, `text/*` or `*/*`; a range with `q=0` refuses rather than offers.
    static func accepts(_ values: [String]) -> (json: Bool, eventStream: Bool) {
        let ranges = values.flatMap { $0.split(separator: ",") }.compactMap { item -> String? in
            let parts = item.split(separator: ";").map { trim($0).lowercased() }
            let refused = parts.dropFirst().contains { parameter in
                let compact = String(parameter.filter { $0 != " " && $0 != "\t" })
                return compact.hasPrefix("q=") && Double(compact.dropFirst(2)) == 0
            }
            return refused ? nil : parts.first
        }
        return (ranges.contains { ["application/json", "application/*", "*/*"].contains($0) },
                ranges.contains { ["text/event-stream", "text/*", "*/*"].contains($0) })
    }

    /// `text` without the spaces and tabs (HTTP's optional whitespace) around it.
    static func trim(_ text: Substring) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) }) else { return "" }
        return text[first...last]
    }

    /// 415 unless the body is declared JSON, then 406 unless the client accepts JSON answers.
    static func content(_ headers: Headers) -> Response? {
        guard headers.contentTypeIsJSON else {
            return HTTPBridge.rpcError(
                status: 415, code: RPCError.invalidRequestCode, "Unsupported Media Type: Content-Type must be application/json")
        }
        guard headers.acceptsJSON else {
            return HTTPBridge.rpcError(status: 406, code: RPCError.invalidRequestCode, "Not Acceptable: Client must accept application/json")
        }
        return nil
    }
}
