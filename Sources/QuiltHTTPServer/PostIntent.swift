import Foundation
import QuiltJSON
import QuiltServer

/// What a POST body asks for, as far as cancellation is concerned: a request (by key), a cancellation of one, or
/// something else.
enum PostIntent: Equatable {
    case request(key: String)
    case cancel(key: String)
    case other

    init(body: Data?) {
        guard let body, case .object(let message)? = try? JSONParser.parse(body), let method = message["method"]?.stringValue else {
            self = .other
            return
        }
        if method == "notifications/cancelled", let id = message["params"]?["requestId"] {
            self = .cancel(key: CallRegistry.key(id))
        } else if let id = message["id"] {
            self = .request(key: CallRegistry.key(id))
        } else {
            self = .other
        }
    }
}
