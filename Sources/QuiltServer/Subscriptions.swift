import QuiltJSON
import QuiltProtocol

/// `subscriptions/listen` (2026-07-28): a long-lived request whose stream would carry list-changed notifications.
///
/// This server's tool, resource and prompt lists never change while it runs, so it honours the three list-changed
/// types (and will never have one to send) and leaves resource subscriptions out of its acknowledgement: nothing it
/// serves is updated in place. The stream ends with the listen result when the transport closes (end of standard
/// input, or the HTTP server shutting down); a client that goes away cancels it.
enum Subscriptions {
    /// The filter members this server honours.
    static let honoured = ["toolsListChanged", "promptsListChanged", "resourcesListChanged"]

    static func listen(_ request: RequestContext) async throws -> JSONObject {
        guard request.era.isModern else { throw RPCError.methodNotFound(request.request.method, era: request.era) }
        guard let filter = request.params["notifications"]?.objectValue else {
            throw RPCError.invalidParams(
                "subscriptions/listen needs \"notifications\": an object such as {\"toolsListChanged\": true}")
        }
        var acknowledged = JSONObject()
        for key in honoured where filter[key]?.boolValue == true { acknowledged[key] = true }
        let meta: JSONObject = [MetaKey.subscriptionID: request.request.id]
        await request.notify(
            "notifications/subscriptions/acknowledged", ["notifications": .object(acknowledged), "_meta": .object(meta)])
        if let closing = request.closing {
            await closing.wait()
        } else {
            while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
        }
        try Task.checkCancellation()
        return ["_meta": .object(meta)]
    }
}
