package import Hummingbird
package import QuiltContract

/// The Hummingbird request context of quilt-mcp's routes: the core storage plus the caller's credentials, set by
/// ``BearerAuthMiddleware`` (nil when auth is not jwt).
package struct MCPRequestContext: RequestContext {
    /// Hummingbird's storage.
    package var coreContext: CoreRequestContextStorage
    /// The caller, from `Authorization: Bearer` (verified when the mode configures a key).
    package var credentials: RequestCredentials?

    /// A context with no credentials yet.
    package init(source: Source) {
        coreContext = .init(source: source)
    }

    /// Hummingbird's own ceiling on a collected body; the routes collect with the mode's `max_request_bytes`.
    package var maxUploadSize: Int { HTTPBridge.maximumBodyBytes }
}
