import Crypto
import Foundation
import QuiltHTTP
import QuiltHash
import QuiltJSON
import QuiltOps

/// AWS IAM Identity Center (SSO) profiles: the access token `aws sso login` cached under `~/.aws/sso/cache`,
/// exchanged at the SSO portal (`GetRoleCredentials`) for the profile's account and role.
///
/// Both profile forms the AWS CLI writes: `sso_session = name` with an `[sso-session name]` section (`sso_start_url`,
/// `sso_region`; cache file named by the SHA-1 of the session name), and the legacy form with `sso_start_url` and
/// `sso_region` in the profile (cache file named by the SHA-1 of the start URL). The token is not refreshed here: an
/// expired or missing one is an `unauthenticated` error that says to run `aws sso login`. `AWS_ENDPOINT_URL_SSO`
/// overrides the portal endpoint.
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
        guard let data = FileManager.default.contents(atPath: path), let cache = try? JSONParser.parse(Array(data)),
            let token = cache["accessToken"]?.stringValue, !token.isEmpty
        else {
            throw .unauthenticated("no AWS SSO login for profile '\(profile)' (no token in \(path)); \(login).")
        }
        let expiresAt = cache["expiresAt"]?.stringValue.flatMap { HTTPDate.parse($0.replacingOccurrences(of: "UTC", with: "Z")) }
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

    static func sha1(_ text: String) -> String {
        HashEncoding.lowercaseHex(Insecure.SHA1.hash(data: Array(text.utf8)))
    }
}
