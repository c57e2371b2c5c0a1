import Foundation
import QuiltJSON

/// API keys (catalogs from 2026-06): any signed-in user makes keys for themself and revokes their own
/// (`apiKeyCreate`, `apiKeyRevoke`); admins list, read and revoke anyone's under `admin.apiKeys` (refused to anyone
/// else at the `admin` root). A key's secret is answered once, when it is made; the fake keeps only its digest.
extension FakeResolvers {
    static let adminKeys: [String: FakeResolver] = [
        "AdminQueries.apiKeys": { _, _, req in try admin(req) },
        "AdminMutations.apiKeys": { _, _, req in try admin(req) },
        "APIKeyAdminQueries.list": { _, args, req in
            let keys = req.state.apiKeys.list(
                email: args["email"]?.stringValue, name: args["name"]?.stringValue, fingerprint: args["fingerprint"]?.stringValue,
                status: args["status"]?.stringValue)
            return keys.map { keyValue($0, req) as any Sendable }
        },
        "APIKeyAdminQueries.get": { _, args, req in req.state.apiKeys.get(id: try id(args)).map { keyValue($0, req) } },
        "APIKeyAdminMutations.revoke": { _, args, req in
            let id = try id(args)
            return req.state.apiKeys.revoke(id: id) ? ok : keyNotFound("no API key with id '\(id)'")
        },
        "Mutation.apiKeyCreate": { _, args, req in
            let caller = try signedIn(req)
            let input = try object(args, "input")
            let days = input["expiresInDays"]?.intValue ?? 90
            switch req.state.apiKeys.create(name: try string(input, "name"), days: days, email: caller.email) {
            case .success(let (key, secret)):
                return Typed("APIKeyCreated", ["apiKey": .object(keyValue(key, req)), "secret": .string(secret)] as JSONObject)
            case .failure(let refusal):
                return typed(refusal)
            }
        },
        "Mutation.apiKeyRevoke": { _, args, req in
            let caller = try signedIn(req)
            let id = args["id"]?.stringValue ?? args["id"]?.intValue.map(String.init)
            let secret = args["secret"]?.stringValue
            if req.state.apiKeys.revoke(id: id, secret: secret, owner: caller.email) { return ok }
            guard id != nil || secret != nil else { return keyNotFound("give the id or the secret of the API key to revoke") }
            return keyNotFound(id.map { "you have no API key with id '\($0)'" } ?? "you have no API key with that secret")
        },
    ]

    /// The caller, or the GraphQL error the catalog gives an anonymous one.
    static func signedIn(_ req: FakeRequest) throws -> FakeUser {
        guard let user = req.user else { throw FakeGraphQLError("Forbidden: sign in to manage API keys") }
        return user
    }

    /// The `InvalidInput` for a key that is not there (or not the caller's).
    static func keyNotFound(_ message: String) -> Typed { invalid("id", message, name: "APIKeyNotFound") }

    /// An `APIKey`, its status as of now.
    static func keyValue(_ key: FakeAPIKey, _ req: FakeRequest) -> JSONObject {
        [
            "id": .string(key.id), "name": .string(key.name), "fingerprint": .string(key.fingerprint),
            "createdAt": .string(CatalogDateText.format(key.createdAt)), "expiresAt": .string(CatalogDateText.format(key.expiresAt)),
            "lastUsedAt": key.lastUsedAt.map { .string(CatalogDateText.format($0)) } ?? .null, "userEmail": .string(key.userEmail),
            "status": .string(key.status(at: req.state.apiKeys.now)),
        ]
    }
}
