package import Logging
package import QuiltJSON

/// The protocol's own rules, transport-free: the `initialize` handshake, the 2026-07-28 request envelope, the
/// methods each era has, and the decoration each era's results carry. A transport (stdio, an HTTP exchange, an HTTP
/// session) decides which era a request is in and hands it here once, already parsed.
package final class MCPServerCore: Sendable {
    /// Who the server is.
    package let identity: ServerIdentity
    /// The `capabilities` object `initialize` and `server/discover` answer.
    package let capabilities: JSONObject
    /// In order; the first of a name serves it. A handful, looked up by a scan: a stateless server makes a core for
    /// every request, and a dictionary cost more to build than the lookups it saved.
    private let methods: [MCPMethod]
    private let logger: Logger

    /// A core serving `methods` beside the protocol's own.
    package init(identity: ServerIdentity, capabilities: JSONObject, methods: [MCPMethod], logger: Logger) {
        self.identity = identity
        self.capabilities = capabilities
        self.methods = methods
        self.logger = logger
    }

    // MARK: - Handshake era

    /// What `initialize` settles: the result to answer and what the connection keeps.
    package struct Handshake: Sendable {
        /// The `initialize` result.
        package var result: JSONObject
        /// The negotiated version.
        package var version: String
        /// The client's declared capabilities.
        package var clientCapabilities: JSONObject
        /// The client's `clientInfo`.
        package var clientInfo: JSONValue?
    }

    /// Answers `initialize` with `params`: the client's version when served, else the newest handshake version.
    package func initialize(_ params: JSONObject) -> Handshake {
        let version = ProtocolVersion.negotiate(params["protocolVersion"]?.stringValue)
        var result: JSONObject = [
            "protocolVersion": .string(version), "capabilities": .object(capabilities),
            "serverInfo": .object(identity.serverInfo),
        ]
        if let instructions = identity.instructions { result["instructions"] = .string(instructions) }
        return Handshake(
            result: result, version: version, clientCapabilities: params["capabilities"]?.objectValue ?? [:],
            clientInfo: params["clientInfo"])
    }

    // MARK: - Modern era

    /// The `server/discover` result (before the era's decoration).
    package func discover() -> JSONObject {
        var result: JSONObject = [
            "supportedVersions": .array(ProtocolVersion.modern.map(JSONValue.string)), "capabilities": .object(capabilities),
        ]
        if let instructions = identity.instructions { result["instructions"] = .string(instructions) }
        result["_meta"] = [MetaKey.serverInfo: .object(identity.serverInfo)]
        return result
    }

    /// `server/discover`'s freshness: the same for every caller, good for a minute.
    static let discoverCache = CacheHint(ttlMs: 60_000, scope: .public)

    // MARK: - Serving

    /// Answers `request` in `era`: the response message, or nil when the request was cancelled before it finished.
    ///
    /// `initialize` is the transport's business (it changes the connection); here it is -32022 in the modern era
    /// and -32600 otherwise. Results of the modern era get `resultType` and, for cacheable methods, `ttlMs` and
    /// `cacheScope`.
    package func answer(
        _ request: Request, era: Era, clientCapabilities: JSONObject, clientInfo: JSONValue?, logLevel: String?,
        sink: @escaping NotificationSink, requester: ClientRequester? = nil, closing: Closing? = nil
    ) async -> JSONValue? {
        let outcome: Result<JSONObject, RPCError>
        var cache: CacheHint?
        switch (request.method, era) {
        case ("initialize", .modern):
            outcome = .failure(RPCError(
                code: RPCError.unsupportedVersionCode,
                message: "this connection serves protocol \(era.version), which has no initialize handshake",
                data: ["supported": .array(ProtocolVersion.modern.map(JSONValue.string)),
                       "requested": request.params["protocolVersion"] ?? .null]))
        case ("initialize", .handshake):
            outcome = .failure(.invalidRequest("initialize is answered once per connection"))
        case ("ping", .handshake):
            outcome = .success([:])
        case ("logging/setLevel", .handshake):
            // A connection that keeps the level (stdio) answers before this; a stateless exchange has nothing to keep
            // it in, and its requests then get no messages.
            if ClientLogLevel(name: request.params["level"]?.stringValue) == nil {
                outcome = .failure(.invalidParams("logging/setLevel needs \"level\": one of \(ClientLogLevel.names)"))
            } else {
                outcome = .success([:])
            }
        case ("server/discover", .modern):
            cache = Self.discoverCache
            outcome = .success(discover())
        default:
            guard let method = methods.first(where: { $0.name == request.method }) else {
                outcome = .failure(.methodNotFound(request.method, era: era))
                break
            }
            cache = method.cache
            let context = RequestContext(
                request: request, era: era, clientCapabilities: clientCapabilities, clientInfo: clientInfo, logLevel: logLevel,
                sink: sink, requester: era.isModern ? nil : requester, closing: closing)
            do {
                outcome = .success(try await method.handler(context))
            } catch let error as RPCError {
                outcome = .failure(error)
            } catch is CancellationError {
                return nil
            } catch {
                logger.error("a handler failed", metadata: ["method": "\(request.method)", "error": "\(error)"])
                outcome = .failure(.internalError("\(request.method) failed; the server's log has the details"))
            }
        }
        switch outcome {
        case .success(var result):
            if era.isModern {
                // A handler may answer `input_required` instead (2026-07-28's multi-round-trip requests).
                if result.position(ofKey: "resultType") == nil { result["resultType"] = "complete" }
                if let cache {
                    result["ttlMs"] = .number(JSONNumber(cache.ttlMs))
                    result["cacheScope"] = .string(cache.scope.rawValue)
                }
            }
            return Outgoing.result(id: request.id, result)
        case .failure(let error):
            return Outgoing.error(id: request.id, error)
        }
    }
}
