#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import Crypto
import FoundationEssentials
import QuiltContract
import QuiltHTTP
import QuiltHash
import QuiltJSON

/// AWS IAM Identity Center (SSO) profiles: the access token `aws sso login` cached under `~/.aws/sso/cache`,
/// exchanged at the SSO portal (`GetRoleCredentials`) for the profile's account and role.
///
/// Both profile forms the AWS CLI writes: `sso_session = name` with an `[sso-session name]` section (`sso_start_url`,
/// `sso_region`; cache file named by the SHA-1 of the session name), and the legacy form with `sso_start_url` and
/// `sso_region` in the profile (cache file named by the SHA-1 of the start URL). A token with a refresh token (the
/// `sso_session` form) is renewed at SSO OIDC `CreateToken` 15 minutes before it expires and written back, as the
/// AWS CLI does; an expired one that cannot be renewed is an `unauthenticated` error that says to run
/// `aws sso login`. `AWS_ENDPOINT_URL_SSO` and `AWS_ENDPOINT_URL_SSO_OIDC` override the endpoints.
enum SSOSource {
    struct Settings: Equatable {
        var startURL: String
        var region: String
        var accountID: String
        var roleName: String
        /// The cache file's name without `.json`.
        var cacheKey: String
    }

    /// The profile's SSO settings, nil when it is not an SSO profile.
    /// - Throws: `unauthenticated` naming the missing setting.
    static func settings(profile: String, files: SharedConfigFiles) throws(QuiltOpsError) -> Settings? {
        let session = files.value("sso_session", profile: profile)
        let legacyURL = files.value("sso_start_url", profile: profile)
        guard session != nil || legacyURL != nil else { return nil }
        func need(_ value: String?, _ name: String) throws(QuiltOpsError) -> String {
            guard let value, !value.isEmpty else {
                throw .unauthenticated("SSO profile '\(profile)' has no \(name); run `aws configure sso --profile \(profile)`.")
            }
            return value
        }
        let account = try need(files.value("sso_account_id", profile: profile), "sso_account_id")
        let role = try need(files.value("sso_role_name", profile: profile), "sso_role_name")
        if let session {
            let section = files.config["sso-session " + session] ?? [:]
            return Settings(
                startURL: try need(section["sso_start_url"], "sso_start_url in [sso-session \(session)]"),
                region: try need(section["sso_region"], "sso_region in [sso-session \(session)]"), accountID: account,
                roleName: role, cacheKey: sha1(session))
        }
        let url = try need(legacyURL, "sso_start_url")
        return Settings(
            startURL: url, region: try need(files.value("sso_region", profile: profile), "sso_region"), accountID: account,
            roleName: role, cacheKey: sha1(url))
    }

    /// The role credentials for `profile`'s SSO settings.
    static func credentials(
        profile: String, settings: Settings, aws: [String: String], transport: any HTTPTransport, clock: @Sendable () -> Date
    ) async throws(QuiltOpsError) -> AWSCredentials {
        let login = "run `aws sso login --profile \(profile)`"
        guard let home = aws["HOME"] else {
            throw .unauthenticated("SSO profile '\(profile)' needs the AWS SSO token cache under HOME, which this mode does not read.")
        }
        let path = home + "/.aws/sso/cache/" + settings.cacheKey + ".json"
        guard let data = FileManager.default.contents(atPath: path), case .object(var cache)? = try? JSONParser.parse(Array(data)),
            var token = cache["accessToken"]?.stringValue, !token.isEmpty
        else {
            throw .unauthenticated("no AWS SSO login for profile '\(profile)' (no token in \(path)); \(login).")
        }
        var expiresAt = date(cache["expiresAt"])
        // sso-session tokens last about an hour and carry a refresh token: renew them as the AWS CLI does, 15
        // minutes before they expire, and write the cache back (HOME is only present in persistent state).
        if let at = expiresAt, at.timeIntervalSince(clock()) < 15 * 60,
            let refreshed = await refresh(cache, region: settings.region, aws: aws, transport: transport, clock: clock)
        {
            cache = refreshed
            token = refreshed["accessToken"]?.stringValue ?? token
            expiresAt = date(refreshed["expiresAt"])
            try? Data(JSONWriter.compact(.object(refreshed)).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            _ = chmod(path, 0o600)
        }
        if let expiresAt, expiresAt <= clock() {
            throw .unauthenticated("the AWS SSO login for profile '\(profile)' expired at \(HTTPDate.iso(expiresAt)); \(login).")
        }
        var endpoint = aws["AWS_ENDPOINT_URL_SSO"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://portal.sso.\(settings.region).amazonaws.com"
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        let query = FormEncoding.query([("account_id", settings.accountID), ("role_name", settings.roleName)])
        let response = try await transport.send(
            QuiltHTTPRequest(
                method: "GET", url: endpoint + "/federation/credentials?" + query,
                headers: [HTTPField("x-amz-sso_bearer_token", token), HTTPField("accept", "application/json")],
                operation: "GetRoleCredentials", timeout: .seconds(30)))
        switch response.status {
        case 200: break
        case 401, 403:
            throw .unauthenticated("the AWS SSO portal refused the login for profile '\(profile)' (HTTP \(response.status)); \(login).")
        case 500...: throw .remote("the AWS SSO portal answered HTTP \(response.status).", retryable: true)
        default:
            throw .unauthenticated(
                "the AWS SSO portal gave no credentials for account \(settings.accountID), role \(settings.roleName) (HTTP \(response.status)).")
        }
        guard let json = try? JSONParser.parse(response.body), let role = json["roleCredentials"],
            let id = role["accessKeyId"]?.stringValue, let secret = role["secretAccessKey"]?.stringValue
        else {
            throw .remote("the AWS SSO portal answered without roleCredentials.", retryable: false)
        }
        let expiration = role["expiration"]?.doubleValue.map { Date(timeIntervalSince1970: $0 / 1000) }
        return AWSCredentials(
            accessKeyId: id, secretAccessKey: secret, sessionToken: role["sessionToken"]?.stringValue, expiration: expiration,
            source: "AWS SSO (profile \(profile), role \(settings.roleName))")
    }

    /// `expiresAt` as the AWS CLI writes it (`2026-11-21T12:00:00Z`, older files `…UTC`).
    static func date(_ value: JSONValue?) -> Date? {
        value?.stringValue.flatMap { HTTPDate.parse($0.replacing("UTC", with: "Z")) }
    }

    /// The cache entry renewed at SSO OIDC `CreateToken` with its refresh token; nil when it has none (legacy
    /// profiles), the client registration has expired, or the service refuses (then the old token is used while valid).
    static func refresh(
        _ cache: JSONObject, region: String, aws: [String: String], transport: any HTTPTransport, clock: @Sendable () -> Date
    ) async -> JSONObject? {
        guard let refreshToken = cache["refreshToken"]?.stringValue, let clientId = cache["clientId"]?.stringValue,
            let clientSecret = cache["clientSecret"]?.stringValue
        else { return nil }
        if let registration = date(cache["registrationExpiresAt"]), registration <= clock() { return nil }
        var endpoint = aws["AWS_ENDPOINT_URL_SSO_OIDC"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://oidc.\(region).amazonaws.com"
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        let body: JSONValue = [
            "grantType": "refresh_token", "clientId": .string(clientId), "clientSecret": .string(clientSecret),
            "refreshToken": .string(refreshToken),
        ]
        guard
            let response = try? await transport.send(
                QuiltHTTPRequest(
                    method: "POST", url: endpoint + "/token", headers: [HTTPField("content-type", "application/json")],
                    body: Array(JSONWriter.compact(body).utf8), operation: "CreateToken", timeout: .seconds(30))),
            response.status == 200, let json = try? JSONParser.parse(response.body),
            let access = json["accessToken"]?.stringValue, let seconds = json["expiresIn"]?.doubleValue
        else { return nil }
        var updated = cache
        updated["accessToken"] = .string(access)
        updated["expiresAt"] = .string(HTTPDate.iso(clock().addingTimeInterval(seconds)))
        if let next = json["refreshToken"]?.stringValue { updated["refreshToken"] = .string(next) }
        return updated
    }

    static func sha1(_ text: String) -> String {
        HashEncoding.lowercaseHex(Insecure.SHA1.hash(data: Array(text.utf8)))
    }
}
