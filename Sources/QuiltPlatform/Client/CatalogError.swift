package import QuiltContract

/// One entry of a GraphQL `InvalidInput` result.
package struct CatalogInputError: Sendable, Hashable {
    package var path: String?
    package var message: String
    package var name: String
    package init(path: String?, message: String, name: String) {
        self.path = path
        self.message = message
        self.name = name
    }
}

/// What went wrong talking to a catalog, before it becomes a `QuiltOpsError`: HTTP statuses, GraphQL `errors[]`
/// and the typed union results (`InvalidInput`, `OperationError`) each keep what the catalog said.
package enum CatalogError: Error, Sendable, Equatable {
    /// An HTTP status other than 2xx (401, 403, 5xx…), with the start of the body.
    case http(operation: String, status: Int, detail: String)
    /// The response's `errors[]` (validation or resolver failures), every message kept.
    case graphQL(operation: String, messages: [String])
    /// An `InvalidInput` union member.
    case invalidInput(operation: String, errors: [CatalogInputError])
    /// An `OperationError` union member.
    case operationError(operation: String, name: String, message: String)
    /// A body that is not the JSON the operation expects (cut off, or another shape).
    case malformed(operation: String, detail: String)
    /// The request never got an answer (connection refused, reset, timed out), as the transport reported it.
    case transport(operation: String, QuiltOpsError)

    /// Worth another attempt for an idempotent query: 429, 5xx, transport failures and cut-off bodies.
    package var isTransient: Bool {
        switch self {
        case .http(_, let status, _): return status == 429 || status >= 500
        case .transport(_, let e): if case .remote(_, true) = e { return true } else { return false }
        case .malformed: return true
        default: return false
        }
    }

    /// The error in the contract's vocabulary.
    package var quiltOpsError: QuiltOpsError {
        switch self {
        case .http(let op, let status, let detail):
            let tail = detail.isEmpty ? "" : ": \(detail)"
            switch status {
            case 401: return .unauthenticated("the catalog refused the bearer token for \(op) (HTTP 401\(tail)); log in again or send a valid token.")
            case 403: return .forbidden("the catalog does not allow \(op) for this user (HTTP 403\(tail)).")
            case 429, 500...: return .remote("the catalog answered \(op) with HTTP \(status)\(tail).", retryable: true)
            default: return .remote("the catalog answered \(op) with HTTP \(status)\(tail).", retryable: false)
            }
        case .graphQL(let op, let messages):
            // The catalog's `@admin` fields (and others a role may not use) answer a GraphQL error saying Forbidden.
            if messages.contains(where: { $0.lowercased().contains("forbidden") }) {
                return .forbidden("the catalog does not allow \(op) for this user: \(messages.joined(separator: "; "))")
            }
            return .remote("GraphQL \(op) failed: \(messages.joined(separator: "; "))", retryable: false)
        case .invalidInput(_, let errors):
            let field = errors.first?.path ?? errors.first?.name ?? "input"
            return .invalidInput(field: field, reason: errors.map { $0.message }.joined(separator: "; "))
        case .operationError(let op, let name, let message):
            return .remote("\(op) failed (\(name)): \(message)", retryable: name.lowercased().contains("timeout"))
        case .malformed(let op, let detail):
            return .remote("the catalog's answer to \(op) was not usable: \(detail)", retryable: true)
        case .transport(_, let e):
            return e
        }
    }
}
