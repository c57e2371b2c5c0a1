#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
package import FoundationEssentials
package import QuiltContract
package import QuiltHTTP
import QuiltJSON

/// quilt3's `config.yml`: the few keys a session needs. quilt3 writes it with PyYAML (`key: value` lines).
package struct Quilt3Config: Sendable, Hashable {
    package var navigatorURL: String?
    package var registryURL: String?
    package var region: String?
    package var defaultRemoteRegistry: String?

    package init(navigatorURL: String? = nil, registryURL: String? = nil, region: String? = nil, defaultRemoteRegistry: String? = nil) {
        self.navigatorURL = navigatorURL
        self.registryURL = registryURL
        self.region = region
        self.defaultRemoteRegistry = defaultRemoteRegistry
    }

    /// Parses the top-level `key: value` lines (quotes removed; `null`, `~` and empty are nil).
    package static func parse(_ text: String) -> Quilt3Config {
        var values: [String: String] = [:]
        for raw in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            guard let first = raw.first, first != " ", first != "\t", first != "#", let colon = raw.firstIndex(of: ":") else { continue }
            let key = raw[..<colon].trimmingWhitespace()
            var value = raw[raw.index(after: colon)...].trimmingWhitespace()
            if let hash = value.firstRange(of: " #") { value = String(value[..<hash.lowerBound]).trimmingWhitespace() }
            if value.count >= 2, let q = value.first, q == "'" || q == "\"", value.last == q {
                value = String(value.dropFirst().dropLast())
                if q == "'" { value = value.replacing("''", with: "'") }
            }
            if value.isEmpty || value == "null" || value == "~" { continue }
            values[key] = value
        }
        func url(_ s: String?) -> String? {
            guard var s else { return nil }
            while s.hasSuffix("/") { s.removeLast() }
            return s
        }
        return Quilt3Config(
            navigatorURL: url(values["navigator_url"]), registryURL: url(values["registryUrl"]), region: values["region"],
            defaultRemoteRegistry: values["default_remote_registry"])
    }

    /// Reads `<dataDirectory>/config.yml`; nil when it does not exist.
    package static func load(dataDirectory: String) -> Quilt3Config? {
        guard let data = FileManager.default.contents(atPath: dataDirectory + "/config.yml") else { return nil }
        return parse(String(decoding: data, as: UTF8.self))
    }
}

/// AWS credentials from a `quilt3 login` session: the access token in `auth.json` (refreshed through
/// `POST <registry>/api/token` when it has under a minute left, and written back atomically with mode 0600 when
/// `persistent`), exchanged at `GET <registry>/api/auth/get_credentials`. quilt3's cached `credentials.json` is
/// used while valid and updated like quilt3 does. Nothing is read or written outside `dataDirectory`.
package struct Quilt3SessionCredentials: CredentialsProvider {
    let dataDirectory: String
    let registryOverride: String?
    let persistent: Bool
    let transport: any HTTPTransport
    let clock: @Sendable () -> Date
    private let cache: RefreshingCredentials

    /// - Parameters:
    ///   - dataDirectory: quilt3's data directory (`Mode.quilt3DataDirectory`).
    ///   - registryURL: the registry API to use instead of `config.yml`'s `registryUrl`.
    ///   - persistent: write refreshed tokens and credentials back (never in stateless mode).
    package init(
        dataDirectory: String, registryURL: String? = nil, persistent: Bool, transport: any HTTPTransport,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.dataDirectory = dataDirectory
        self.registryOverride = registryURL
        self.persistent = persistent
        self.transport = transport
        self.clock = clock
        let session = Quilt3SessionFiles(dataDirectory: dataDirectory, registryOverride: registryURL, persistent: persistent)
        self.cache = RefreshingCredentials(clock: clock) { () throws(QuiltOpsError) -> AWSCredentials in
            try await session.fetch(transport: transport, clock: clock)
        }
    }

    package func credentials() async throws(QuiltOpsError) -> AWSCredentials { try await cache.credentials() }
    package func invalidate() async { await cache.invalidate() }

    /// The registry URL the session would use, if logged in (for status messages).
    package var registryURL: String? { registryOverride ?? Quilt3Config.load(dataDirectory: dataDirectory)?.registryURL }
}

/// The catalog access token of a quilt3 login (`quilt3 login` → `auth.json`), for sending to the catalog as a bearer
/// token (api=platform with auth=session). Read per registry API URL, kept in memory until a minute before it
/// expires, refreshed with the login's refresh token, and written back only when `persistent`.
package actor Quilt3SessionToken {
    private let files: Quilt3SessionFiles
    private let transport: any HTTPTransport
    private let clock: @Sendable () -> Date
    private var cached: [String: (token: String, expiresAt: TimeInterval)] = [:]

    package init(dataDirectory: String, persistent: Bool, transport: any HTTPTransport, clock: @escaping @Sendable () -> Date = { Date() }) {
        files = Quilt3SessionFiles(dataDirectory: dataDirectory, registryOverride: nil, persistent: persistent)
        self.transport = transport
        self.clock = clock
    }

    /// The access token for the registry API at `registry`.
    /// - Throws: `unauthenticated` naming the fix (`quilt3 login`) when there is no usable login for it.
    package func token(registry: String) async throws(QuiltOpsError) -> String {
        var key = registry
        while key.hasSuffix("/") { key.removeLast() }
        if let c = cached[key], c.expiresAt >= clock().timeIntervalSince1970 + 60 { return c.token }
        let fresh = try await files.accessToken(registry: key, transport: transport, clock: clock)
        guard !fresh.token.isEmpty else { throw .unauthenticated("the quilt3 login for \(key) has no access token; run `quilt3 login`.") }
        cached[key] = fresh
        return fresh.token
    }
}

/// The file side of a quilt3 session.
struct Quilt3SessionFiles: Sendable {
    let dataDirectory: String
    let registryOverride: String?
    let persistent: Bool

    var authPath: String { dataDirectory + "/auth.json" }
    var credentialsPath: String { dataDirectory + "/credentials.json" }

    func fetch(transport: any HTTPTransport, clock: @Sendable () -> Date) async throws(QuiltOpsError) -> AWSCredentials {
        let config = Quilt3Config.load(dataDirectory: dataDirectory)
        guard let registry = registryOverride ?? config?.registryURL else {
            throw .unauthenticated("no quilt3 session: \(dataDirectory)/config.yml names no registryUrl (run `quilt3 config <catalog>` and `quilt3 login`).")
        }
        let now = clock().timeIntervalSince1970
        if readJSON(authPath)?[registry] != nil, let cached = cachedCredentials(now: now) { return cached }
        let accessToken = try await accessToken(registry: registry, transport: transport, clock: clock).token
        let creds = try await CatalogAPI(registry: registry, transport: transport).awsCredentials(bearer: accessToken, source: "quilt3 session (\(registry))")
        if persistent {
            var file = JSONObject()
            file["access_key"] = .string(creds.accessKeyId)
            file["secret_key"] = .string(creds.secretAccessKey)
            file["token"] = creds.sessionToken.map { .string($0) } ?? .null
            file["expiry_time"] = creds.expiration.map { .string(HTTPDate.iso($0)) } ?? .null
            try? writeSecret(.object(file), to: credentialsPath)
        }
        return creds
    }

    /// The access token for `registry` from `auth.json`, refreshed at `/api/token` when it expires within a minute
    /// (and written back when persistent), with its expiry (seconds since 1970).
    /// - Throws: `unauthenticated` when there is no login for `registry` or the refresh is refused.
    func accessToken(registry: String, transport: any HTTPTransport, clock: @Sendable () -> Date) async throws(QuiltOpsError)
        -> (token: String, expiresAt: TimeInterval)
    {
        guard let all = readJSON(authPath)?.objectValue, let entry = all[registry]?.objectValue,
            let refreshToken = entry["refresh_token"]?.stringValue
        else {
            throw .unauthenticated("not logged in to \(registry) with quilt3 (no entry in \(authPath)); run `quilt3 login`.")
        }
        let now = clock().timeIntervalSince1970
        let accessToken = entry["access_token"]?.stringValue ?? ""
        let expiresAt = entry["expires_at"]?.doubleValue ?? 0
        if !accessToken.isEmpty, expiresAt >= now + 60 { return (accessToken, expiresAt) }
        let refreshed = try await CatalogAPI(registry: registry, transport: transport).refresh(refreshToken)
        if persistent {
            var updated = all
            updated[registry] = .object(refreshed)
            try writeSecret(.object(updated), to: authPath)
        }
        return (refreshed["access_token"]?.stringValue ?? "", refreshed["expires_at"]?.doubleValue ?? now + 300)
    }

    /// quilt3's `credentials.json` when it holds credentials valid for more than five more minutes.
    func cachedCredentials(now: TimeInterval) -> AWSCredentials? {
        guard let c = readJSON(credentialsPath), let id = c["access_key"]?.stringValue, let secret = c["secret_key"]?.stringValue,
            let expiry = HTTPDate.parse(c["expiry_time"]?.stringValue), expiry.timeIntervalSince1970 > now + 300
        else { return nil }
        return AWSCredentials(
            accessKeyId: id, secretAccessKey: secret, sessionToken: c["token"]?.stringValue, expiration: expiry,
            source: "quilt3 session (credentials.json)")
    }

    func readJSON(_ path: String) -> JSONValue? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONParser.parse(Array(data))
    }

    /// Writes `value` to `path` atomically: a 0600 temporary file in the same directory, renamed into place.
    func writeSecret(_ value: JSONValue, to path: String) throws(QuiltOpsError) {
        let temporary = path + ".\(UUID().uuidString).tmp"
        let bytes = Array(JSONWriter.compact(value).utf8)
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw .remote("cannot write \(temporary).", retryable: false)
        }
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .remote("cannot replace \(path) (errno \(errno)).", retryable: false)
        }
    }
}
