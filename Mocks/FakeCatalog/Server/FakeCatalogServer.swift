package import Foundation
import Hummingbird
import Logging
import QuiltContract
import QuiltHash
import QuiltJSON
import QuiltRegistry
import QuiltStorage
import Synchronization

/// Options for a fake catalog.
package struct FakeCatalogOptions: Sendable {
    /// 127.0.0.1 always; 0 picks a free port.
    package var port: Int
    /// The buckets the catalog knows (created empty).
    package var buckets: [String]
    package var variant: FakeCatalogSchema.Variant
    /// The HS256 key bearer tokens must be signed with.
    package var signingKey: String
    /// "Now" for pushes (timestamp pointers).
    package var clock: @Sendable () -> Date
    package init(
        port: Int = 0, buckets: [String] = ["quilt-example"], variant: FakeCatalogSchema.Variant = .head,
        signingKey: String = FakeAuth.testKey, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.port = port
        self.buckets = buckets
        self.variant = variant
        self.signingKey = signingKey
        self.clock = clock
    }
}

/// An in-process Quilt catalog on 127.0.0.1 for tests and `swift run fake-catalog`: `/config.json`, `/graphql`
/// (the project's SDL, validated with GraphQLSwift, executed over the registry engine in memory),
/// `/api/auth/get_credentials`, `/api/token`, `/api/search`, and an S3-compatible endpoint at `/s3/` for the
/// object bytes those credentials unlock. The registry API is served at the catalog's own origin.
///
/// Bearer tokens must be HS256 JWTs signed with the test key (``mintToken(subject:expiresIn:)``). Fault knobs:
/// ``faults``. Every request is counted in ``log``. Stop it with ``stop()`` (tests) — it also stops when the
/// task that started it is cancelled.
package final class FakeCatalogServer: Sendable {
    package let state: FakeCatalogState
    package let faults = FakeFaults()
    package let log = FakeRequestLog()
    package let auth: FakeAuth
    package let port: Int
    private let variantBox: Mutex<FakeCatalogSchema.Variant>
    private let task: Mutex<Task<Void, any Error>?>

    /// The catalog URL (also its registry API URL): `http://127.0.0.1:<port>`.
    package var url: String { "http://127.0.0.1:\(port)" }
    /// The S3 endpoint for object access: `http://127.0.0.1:<port>/s3`.
    package var s3Endpoint: String { url + "/s3" }

    /// The schema variant served (changeable while running).
    package var variant: FakeCatalogSchema.Variant {
        get { variantBox.withLock { $0 } }
        set { variantBox.withLock { $0 = newValue } }
    }

    /// Starts serving on 127.0.0.1 and returns once the port is bound.
    package static func start(_ options: FakeCatalogOptions = FakeCatalogOptions()) async throws -> FakeCatalogServer {
        let state = try FakeCatalogState(buckets: options.buckets, clock: options.clock)
        let auth = await FakeAuth(key: options.signingKey)
        let holder = Mutex<FakeCatalogServer?>(nil)
        let router = Router()
        let respond: @Sendable (Request) async throws -> Response = { request in
            guard let catalog = holder.withLock({ $0 }) else { return Response(status: .serviceUnavailable) }
            return try await catalog.respond(request)
        }
        for method in [HTTPRequest.Method.get, .post, .put, .head, .delete] {
            router.on("**", method: method) { request, _ in try await respond(request) }
            router.on("/", method: method) { request, _ in try await respond(request) }
        }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: options.port), serverName: nil),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: Self.quietLogger)
        let running = Task { try await app.runService(gracefulShutdownSignals: []) }
        var bound = 0
        for await p in ports { bound = p }
        let catalog = FakeCatalogServer(state: state, auth: auth, port: bound, variant: options.variant, task: running)
        holder.withLock { $0 = catalog }
        return catalog
    }

    private init(state: FakeCatalogState, auth: FakeAuth, port: Int, variant: FakeCatalogSchema.Variant, task: Task<Void, any Error>) {
        self.state = state
        self.auth = auth
        self.port = port
        variantBox = Mutex(variant)
        self.task = Mutex(task)
    }

    /// Warnings and errors only, on standard error (tests start many fakes).
    static let quietLogger: Logger = {
        var l = Logger(label: "fake-catalog") { StreamLogHandler.standardError(label: $0) }
        l.logLevel = .warning
        return l
    }()

    /// Stops serving.
    package func stop() { task.withLock { $0?.cancel() } }

    /// Adds `bench/big` to `bucket`: `entries` files of 10 bytes in 100 directories (`dir-<n % 100>/file-<n>.csv`),
    /// their objects included, for benchmarks.
    package func seedBenchmark(entries: Int, bucket: String = "bench") async throws {
        try state.addBucket(bucket)
        let storage = try state.storage(bucket)
        var list: [ConstructEntry] = []
        for n in 0..<entries {
            let key = "dir-\(n % 100)/file-\(n).csv"
            let bytes = Array(String(format: "%09d\n", n).utf8)
            _ = try await storage.put("bench/big/" + key, bytes: bytes, contentType: nil, metadata: [:])
            list.append(
                ConstructEntry(
                    logicalKey: try LogicalKey(key), physicalKey: PhysicalKey(s3Bucket: bucket, key: "bench/big/" + key), size: 10,
                    hash: ObjectHashing.hash(bytes), meta: .object([:])))
        }
        _ = try await state.engine.construct(
            package: try PackageName("bench/big"), registry: try RegistryURL.s3(bucket), header: ["version": "v0", "message": "bench"], entries: list)
    }

    /// A bearer token the fake accepts, for `subject`.
    package func mintToken(subject: String = "alice", expiresIn: TimeInterval = 3600) async throws -> String {
        try await auth.mint(subject: subject, expiresIn: expiresIn)
    }

    // MARK: - Routing

    func respond(_ request: Request) async throws -> Response {
        let path = request.uri.path
        let method = request.method.rawValue
        log.record("\(method) \(path.hasPrefix("/s3/") ? "/s3/…" : path)")
        let latency = faults.latency
        if latency > .zero { try? await Task.sleep(for: latency) }
        if await faults.heldTooLong(method, path) {
            return Self.json(503, ["message": "held by the test, then refused"]).response
        }
        if let status = faults.takeServerError(path) {
            return Self.json(status, ["message": .string("injected failure (HTTP \(status))")]).response
        }
        let body = try await request.body.collect(upTo: 512 << 20)
        let bytes = Array(buffer: body)
        if path.hasPrefix("/s3/") || path == "/s3" {
            return await FakeS3.handle(request, path: String(path.dropFirst(3)), body: bytes, catalog: self)
        }
        var reply = await route(request, path: path, body: bytes)
        if faults.takeTruncation(path) { reply.body = Array(reply.body.prefix(reply.body.count / 2)) }
        return reply.response
    }

    func route(_ request: Request, path: String, body: [UInt8]) async -> Reply {
        let query = request.uri.queryParameters
        func q(_ name: String) -> String? { query[Substring(name)].map(String.init) }
        switch (request.method, path) {
        case (.get, "/config.json"):
            return Self.json(200, configJSON)
        case (.post, "/api/token"):
            return await token(body)
        case (.get, "/_fake/requests"):
            // Not a catalog endpoint: the request counts, for comparing clients (not counted themselves).
            var counts = JSONObject()
            for (k, v) in log.all.sorted(by: { $0.key < $1.key }) where k != "GET /_fake/requests" { counts[k] = .number(JSONNumber(v)) }
            return Self.json(200, .object(counts))
        case (.post, "/_fake/requests/reset"):
            log.reset()
            return Self.json(200, ["ok": true])
        default:
            break
        }
        let user: FakeUser
        switch await authenticate(request.headers[.authorization]) {
        case .failure(let refusal): return Self.json(401, ["message": .string(refusal.reason)])
        case .success(let u): user = u
        }
        switch (request.method, path) {
        case (.post, "/graphql"):
            if faults.takeGraphQLError() {
                return Self.json(200, ["data": .null, "errors": [["message": "injected GraphQL failure"]]])
            }
            let (status, answer, operation) = await FakeGraphQLEndpoint.handle(body: body, user: user, state: state, variant: variant)
            log.record("graphql \(operation ?? "anonymous")")
            return Self.json(status, answer)
        case (.get, "/api/auth/get_credentials"):
            return credentials()
        case (.get, "/api/search"):
            return await FakeSearchREST.handle(
                index: q("index") ?? "", action: q("action") ?? "", body: q("body"), query: q("query"),
                size: Int(q("size") ?? "") ?? 1000, state: state)
        case (.get, "/api/me"):
            return Self.json(200, ["name": .string(user.name), "email": .string(user.email), "is_staff": .bool(user.isAdmin)])
        default:
            return Self.json(404, ["message": .string("the fake catalog does not serve \(request.method.rawValue) \(path)")])
        }
    }

    var configJSON: JSONValue {
        [
            "registryUrl": .string(url), "region": "us-east-1", "mode": "PRODUCT", "alwaysRequiresAuth": true,
            "apiGatewayEndpoint": .string(url + "/api-gateway"), "s3Proxy": .string(url + "/s3-proxy"), "serviceBucket": "fake-service-bucket",
            "analyticsBucket": "fake-stack-analyticsbucket-1x2y3z",
            "mixpanelToken": "", "passwordAuth": "ENABLED", "ssoAuth": "DISABLED", "ssoProviders": "", "stackVersion": "fake-catalog",
        ]
    }

    // MARK: - Auth

    func authenticate(_ header: String?) async -> Result<FakeUser, AuthRefusal> {
        guard let header, header.lowercased().hasPrefix("bearer ") else { return .failure(AuthRefusal("Authorization: Bearer <token> is required")) }
        if faults.tokensExpired { return .failure(AuthRefusal("Token expired")) }
        let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        do {
            let (user, refresh) = try await auth.verify(token)
            if refresh { return .failure(AuthRefusal("a refresh token is not an access token")) }
            return .success(user)
        } catch {
            return .failure(AuthRefusal("Invalid token: \(error)"))
        }
    }

    /// `GET /api/auth/get_credentials`: fake STS credentials the fake S3 endpoint accepts.
    func credentials() -> Reply {
        func random(_ alphabet: String, _ n: Int) -> String { String((0..<n).map { _ in alphabet.randomElement() ?? "A" }) }
        let keyId = "ASIA" + random("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
        state.issue(keyId)
        let expiry = Date().addingTimeInterval(3600)
        return Self.json(200, [
            "AccessKeyId": .string(keyId), "SecretAccessKey": .string(random("abcdefghijklmnopqrstuvwxyz0123456789", 40)),
            "SessionToken": .string("fake-session-" + random("abcdefghijklmnopqrstuvwxyz0123456789", 32)),
            "Expiration": .string(CatalogDateText.format(expiry)),
        ])
    }

    /// `POST /api/token` (form `refresh_token=`): a new access token for the refresh token's subject.
    func token(_ body: [UInt8]) async -> Reply {
        let form = String(decoding: body, as: UTF8.self)
        let pairs = form.split(separator: "&").map { $0.split(separator: "=", maxSplits: 1).map(String.init) }
        guard let refresh = pairs.first(where: { $0.first == "refresh_token" })?.last?.removingPercentEncoding,
            let (user, isRefresh) = try? await auth.verify(refresh), isRefresh,
            let access = try? await auth.mint(subject: user.name)
        else {
            return Self.json(200, ["error": "invalid refresh token"])
        }
        return Self.json(200, [
            "access_token": .string(access), "refresh_token": .string(refresh),
            "expires_at": .number(JSONNumber(Int(Date().timeIntervalSince1970) + 3600)),
        ])
    }

    static func json(_ status: Int, _ value: JSONValue) -> Reply {
        Reply(status: status, headers: [.contentType: "application/json"], body: Array(JSONWriter.compact(value).utf8))
    }
}

/// A catalog answer before it becomes a Hummingbird response (so a fault can cut its body).
struct Reply: Sendable {
    var status: Int
    var headers: HTTPFields
    var body: [UInt8]
    var response: Response {
        Response(status: HTTPResponse.Status(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

struct AuthRefusal: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

extension Result where Failure == AuthRefusal {
    var reasonText: String? { if case .failure(let r) = self { return r.reason } else { return nil } }
}
