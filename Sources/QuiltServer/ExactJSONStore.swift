package import QuiltJSON
import Synchronization

/// Exact JSON parked under a ticket while the SDK carries a stand-in, so tool arguments and results cross the
/// SDK without its `Value` losing anything (`1.0` read as `1`, big integers rounded, member order sorted).
///
/// ``ExactJSONTransport`` parks each `tools/call`'s arguments as it reads the request, names the ticket in the
/// request's `_meta` (``argumentsKey``) and hands the SDK an empty `arguments` object; the handler takes the
/// parked ones back. For results the handler parks the structured
/// result and returns ``resultMarker(_:)`` as `structuredContent`; the transport puts the exact value back in
/// place of the marker when it writes the response. Every entry is removed when its request is answered.
package final class ExactJSONStore: Sendable {
    /// The `_meta` member of a `tools/call` request that carries its arguments' ticket.
    package static let argumentsKey = "quilt-mcp/exact-arguments"
    /// The prefix of a `structuredContent` stand-in string.
    package static let resultPrefix = "quilt-mcp:exact-result:"

    private struct State {
        var next: Int = 1
        var arguments: [Int: JSONObject] = [:]
        /// Ticket of the arguments parked for a request, by the request id's compact JSON.
        var argumentsByRequest: [String: Int] = [:]
        var results: [String: JSONValue] = [:]
    }

    private let state = Mutex(State())

    /// An empty store.
    package init() {}

    /// Parks `arguments` of the request whose id is `requestKey` (its compact JSON) and returns the ticket.
    package func parkArguments(_ arguments: JSONObject, requestKey: String) -> Int {
        state.withLock { s in
            let ticket = s.next
            s.next += 1
            s.arguments[ticket] = arguments
            s.argumentsByRequest[requestKey] = ticket
            return ticket
        }
    }

    /// Removes and returns the arguments parked under `ticket`; nil when there are none.
    package func takeArguments(ticket: Int) -> JSONObject? {
        state.withLock { $0.arguments.removeValue(forKey: ticket) }
    }

    /// The request id (compact JSON) whose arguments were parked under `ticket`, while that request is in flight.
    package func requestKey(ticket: Int) -> String? {
        state.withLock { $0.argumentsByRequest.first { $0.value == ticket }?.key }
    }

    /// Parks a structured result and returns the marker string to send in its place.
    package func parkResult(_ result: JSONValue) -> String {
        state.withLock { s in
            let marker = Self.resultPrefix + String(s.next)
            s.next += 1
            s.results[marker] = result
            return marker
        }
    }

    /// Removes and returns the result parked under `marker`; nil when `marker` is not one.
    package func takeResult(marker: String) -> JSONValue? {
        state.withLock { $0.results.removeValue(forKey: marker) }
    }

    /// Forgets whatever is still parked for the request `requestKey` (it was answered or cancelled).
    package func finish(requestKey: String) {
        state.withLock { s in
            if let ticket = s.argumentsByRequest.removeValue(forKey: requestKey) {
                s.arguments.removeValue(forKey: ticket)
            }
        }
    }

    /// How many entries are parked (for tests and diagnostics).
    package var parkedCount: Int { state.withLock { $0.arguments.count + $0.results.count } }
}
