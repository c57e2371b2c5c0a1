import Hummingbird
import Logging
import QuiltContract
import QuiltMode

/// Requires `Authorization: Bearer` on every request it guards (the `/mcp` routes when auth=jwt): a missing,
/// malformed or unverifiable token is answered 401 with a `WWW-Authenticate: Bearer` challenge
/// (`error`, `error_description`) and a JSON-RPC error body; otherwise the credentials go into the context.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = MCPRequestContext

    let authenticator: Authenticator

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        do {
            context.credentials = try await authenticator.authenticate(authorization: request.headers[.authorization])
        } catch {
            context.logger.info("refused a request", metadata: ["reason": "\(error.description)"])
            ServerMetrics.rejected(.unauthenticated)
            let resource = ProtectedResourceEndpoint.resource(request, mode: authenticator.mode)
            return HTTPBridge.refusal(
                error, resourceMetadata: ProtectedResourceEndpoint.metadataURL(for: resource),
                scopes: authenticator.mode.protectedResource.scopes)
        }
        return try await next(request, context)
    }
}
