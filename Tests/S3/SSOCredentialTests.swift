import Foundation
import QuiltContract
import QuiltHTTP
import QuiltS3
import Testing

/// AWS SSO profiles: the token `aws sso login` caches, exchanged at the SSO portal (scripted here).
@Suite("AWS SSO profiles")
struct SSOCredentialTests {
    /// The cache file names the AWS CLI uses, computed with Python's hashlib (independently of our code):
    /// `hashlib.sha1(b"corp").hexdigest()` and `hashlib.sha1(b"https://corp.awsapps.com/start").hexdigest()`.
    static let sessionCacheFile = "ee0bfd2552fbd840c02cc48b6e823320543c450f.json"
    static let legacyCacheFile = "a51746d4aa793ae07b25e90c3a5db96fc7832bd7.json"

    static let config = """
        [profile dev]
        sso_session = corp
        sso_account_id = 111122223333
        sso_role_name = ReadOnly
        region = us-west-2

        [sso-session corp]
        sso_start_url = https://corp.awsapps.com/start
        sso_region = eu-west-1
        sso_registration_scopes = sso:account:access

        [profile legacy]
        sso_start_url = https://corp.awsapps.com/start
        sso_region = eu-central-1
        sso_account_id = 444455556666
        sso_role_name = Analyst

        [profile incomplete]
        sso_session = corp
        sso_role_name = ReadOnly
        """

    static let portal = ScriptedTransport { r throws(QuiltOpsError) in
        guard r.header("x-amz-sso_bearer_token") == "sso-access-token" else { return QuiltHTTPResponse(status: 401) }
        let body = #"{"roleCredentials": {"accessKeyId": "ASIASSOEXAMPLE", "secretAccessKey": "sso-secret", "sessionToken": "sso-session-token", "expiration": 1795300000000}}"#
        return QuiltHTTPResponse(status: 200, body: Array(body.utf8))
    }

    static func home(token: String = "sso-access-token", expiresAt: String = "2099-01-01T00:00:00Z", file: String = sessionCacheFile) throws -> String {
        let home = try temporaryDirectory("sso-home")
        try write(config, to: home + "/.aws/config")
        try write(#"{"startUrl": "https://corp.awsapps.com/start", "region": "eu-west-1", "accessToken": "\#(token)", "expiresAt": "\#(expiresAt)"}"#,
                  to: home + "/.aws/sso/cache/" + file)
        return home
    }

    @Test("sso-session profiles: the cached token is exchanged for the profile's account and role")
    func session() async throws {
        let home = try Self.home()
        let transport = ScriptedTransport { r throws(QuiltOpsError) in try await Self.portal.send(r) }
        let c = try await AWSCredentialChain(aws: ["HOME": home, "AWS_PROFILE": "dev"], transport: transport).credentials()
        #expect(c.accessKeyId == "ASIASSOEXAMPLE" && c.sessionToken == "sso-session-token")
        #expect(c.expiration == Date(timeIntervalSince1970: 1_795_300_000))
        let r = try #require(transport.requests.first)
        #expect(r.url == "https://portal.sso.eu-west-1.amazonaws.com/federation/credentials?account_id=111122223333&role_name=ReadOnly")
        #expect(r.method == "GET")
    }

    @Test("Legacy SSO profiles (start URL in the profile) use the start URL's cache file and their own region")
    func legacy() async throws {
        let home = try Self.home(file: Self.legacyCacheFile)
        let transport = ScriptedTransport { r throws(QuiltOpsError) in try await Self.portal.send(r) }
        let c = try await AWSCredentialChain(aws: ["HOME": home, "AWS_PROFILE": "legacy"], transport: transport).credentials()
        #expect(c.accessKeyId == "ASIASSOEXAMPLE")
        #expect(transport.requests.first?.url.hasPrefix("https://portal.sso.eu-central-1.amazonaws.com/federation/credentials?account_id=444455556666&role_name=Analyst") == true)
    }

    @Test("No login, an expired login, a refused token or a missing setting: unauthenticated, saying what to run",
          arguments: [
            ("expired", "dev", "aws sso login --profile dev"), ("missing", "dev", "aws sso login --profile dev"),
            ("refused", "dev", "aws sso login --profile dev"), ("fine", "incomplete", "sso_account_id"),
          ])
    func failures(_ state: String, _ profile: String, _ hint: String) async throws {
        let home: String
        switch state {
        case "expired": home = try Self.home(expiresAt: "2020-01-01T00:00:00UTC")
        case "missing": home = try Self.home(file: "someone-else.json")
        case "refused": home = try Self.home(token: "revoked-token")
        default: home = try Self.home()
        }
        let transport = ScriptedTransport { r throws(QuiltOpsError) in try await Self.portal.send(r) }
        do {
            _ = try await AWSCredentialChain(aws: ["HOME": home, "AWS_PROFILE": profile], transport: transport).credentials()
            Issue.record("expected unauthenticated for \(state)")
        } catch {
            #expect(error.kind == "unauthenticated" && error.message.contains(hint), "\(error.message)")
        }
        if state == "expired" || state == "missing" { #expect(transport.requests.isEmpty) }
    }

    @Test("An sso-session token about to expire is renewed at SSO OIDC with its refresh token and written back")
    func refresh() async throws {
        let home = try temporaryDirectory("sso-refresh")
        try write(Self.config, to: home + "/.aws/config")
        let soon = HTTPDateText.iso(Date().addingTimeInterval(120))
        let cache = #"{"startUrl": "https://corp.awsapps.com/start", "region": "eu-west-1", "accessToken": "old-token", "expiresAt": "\#(soon)", "clientId": "client-1", "clientSecret": "client-secret-1", "registrationExpiresAt": "2099-01-01T00:00:00Z", "refreshToken": "refresh-1"}"#
        try write(cache, to: home + "/.aws/sso/cache/" + Self.sessionCacheFile)
        let transport = ScriptedTransport { r throws(QuiltOpsError) in
            if r.url == "https://oidc.eu-west-1.amazonaws.com/token" {
                let body = String(decoding: r.body, as: UTF8.self)
                guard body.contains(#""grantType":"refresh_token""#), body.contains(#""refreshToken":"refresh-1""#) else {
                    return QuiltHTTPResponse(status: 400)
                }
                return QuiltHTTPResponse(status: 200, body: Array(#"{"accessToken": "sso-access-token", "expiresIn": 3600, "refreshToken": "refresh-2", "tokenType": "Bearer"}"#.utf8))
            }
            return try await Self.portal.send(r)
        }
        let c = try await AWSCredentialChain(aws: ["HOME": home, "AWS_PROFILE": "dev"], transport: transport).credentials()
        #expect(c.accessKeyId == "ASIASSOEXAMPLE")
        #expect(transport.requests.map(\.method) == ["POST", "GET"])
        let saved = try String(contentsOfFile: home + "/.aws/sso/cache/" + Self.sessionCacheFile, encoding: .utf8)
        #expect(saved.contains("sso-access-token") && saved.contains("refresh-2") && saved.contains("client-secret-1"))
        let attributes = try FileManager.default.attributesOfItem(atPath: home + "/.aws/sso/cache/" + Self.sessionCacheFile)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }
}

/// ISO 8601 text for cache files written by the tests.
enum HTTPDateText {
    static func iso(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}
