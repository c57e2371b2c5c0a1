/// The thing an operation could not find.
public enum NotFoundSubject: Sendable, Hashable, CustomStringConvertible {
    case registry(String)
    case package(name: String, registry: String)
    case revision(name: String, reference: String, registry: String)
    case entry(path: String, package: String)
    case object(String)
    case bucket(String)
    case file(String)
    /// An analytics resource: `kind` is `workgroup`, `database`, `table`, `data catalog` or `query execution`.
    case analytics(kind: String, name: String)
    /// Something a catalog admin manages: `kind` is `user` or `role`.
    case admin(kind: String, name: String)

    public var description: String {
        switch self {
        case .registry(let r): return "registry \(r)"
        case .package(let n, let r): return "package \(n) in \(r)"
        case .revision(let n, let ref, let r): return "revision \(ref) of package \(n) in \(r)"
        case .entry(let p, let pkg): return "entry \(p) in package \(pkg)"
        case .object(let k): return "object \(k)"
        case .bucket(let b): return "bucket \(b)"
        case .file(let f): return "local file \(f)"
        case .analytics(let kind, let name): return "\(kind) \(name)"
        case .admin(let kind, let name): return "catalog \(kind) \(name)"
        }
    }
}

/// Every failure a `QuiltOps` backend reports. Each case carries what a user needs to act on it.
///
/// Backends map their native failures (S3 error codes, GraphQL unions, file-system errors) onto these cases,
/// so tools and tests handle one error vocabulary whatever backend answered.
public enum QuiltOpsError: Error, Sendable, Equatable {
    /// The named thing does not exist (or is not visible to the caller).
    case notFound(NotFoundSubject)
    /// An argument was malformed; `field` names the argument as the caller spelt it.
    case invalidInput(field: String, reason: String)
    /// The operation collides with the current state (e.g. `latest` moved since the revision was read).
    case conflict(String)
    /// No usable credentials were presented, or they expired.
    case unauthenticated(String)
    /// Credentials were accepted but do not permit the operation.
    case forbidden(String)
    /// The backend does not offer the operation (it lacks the capability).
    case unsupported(operation: String, backend: String)
    /// The deployment is read-only (`setting` made it so) and `operation` would write: refused before anything
    /// changed. Its kind is `unsupported`, as for a backend without the capability.
    case readOnly(operation: String, setting: String)
    /// The remote side or the storage failed; `retryable` says whether trying again may help.
    case remote(String, retryable: Bool)
    /// The caller cancelled the operation before it finished; nothing visible changed.
    case cancelled(String)
    /// The request would exceed a bound the deployment sets (an object read whole, a tenant's memory, a body):
    /// `what` was refused because it exceeds `limit` `unit`, set by `setting`. Nothing was allocated or changed.
    case tooLarge(what: String, limit: Int64, unit: String, setting: String)

    /// A stable machine-readable kind: `not_found`, `invalid_input`, `conflict`, `unauthenticated`,
    /// `forbidden`, `unsupported`, `transient`, `remote`, `cancelled` or `too_large`.
    public var kind: String {
        switch self {
        case .notFound: return "not_found"
        case .invalidInput: return "invalid_input"
        case .conflict: return "conflict"
        case .unauthenticated: return "unauthenticated"
        case .forbidden: return "forbidden"
        case .unsupported, .readOnly: return "unsupported"
        case .remote(_, let retryable): return retryable ? "transient" : "remote"
        case .cancelled: return "cancelled"
        case .tooLarge: return "too_large"
        }
    }

    /// One sentence saying what went wrong.
    public var message: String {
        switch self {
        case .notFound(let s): return "Not found: \(s)."
        case .invalidInput(let field, let reason): return "Invalid \(field): \(reason)"
        case .conflict(let m): return "Conflict: \(m)"
        case .unauthenticated(let m): return "Not authenticated: \(m)"
        case .forbidden(let m): return "Forbidden: \(m)"
        case .unsupported(let op, let backend): return "The \(backend) backend does not support \(op)."
        case .readOnly(let op, let setting): return "\(op) would write, and this server is read-only (\(setting)); nothing was changed."
        case .remote(let m, let retryable): return retryable ? "Temporary failure: \(m)" : "Remote failure: \(m)"
        case .cancelled(let m): return "Cancelled: \(m)"
        case .tooLarge(let what, let limit, let unit, let setting):
            return "Too large: \(what) exceeds the limit of \(limit) \(unit) (\(setting))."
        }
    }

    /// What to do next, in the contract's terms (no tool or command names: the tool layer says those).
    public var hint: String {
        switch self {
        case .notFound(.package), .notFound(.registry):
            return "Check the registry URL and the package name."
        case .notFound(.revision):
            return "List the package's revisions for their hashes and tags."
        case .notFound(.entry):
            return "List the revision's entries for their logical keys."
        case .notFound:
            return "Check the name or URL and try again."
        case .invalidInput:
            return "Correct the argument named above and call again."
        case .conflict:
            return "Re-read the package (its latest revision moved) and retry, or force the write to overwrite latest."
        case .unauthenticated:
            return "Log in (quilt3 login), provide AWS credentials, or send a valid bearer token."
        case .forbidden:
            return "Ask an administrator for access, or use a registry you can write to."
        case .unsupported:
            return "Use a backend with this capability."
        case .readOnly(_, let setting):
            return "Reads work as usual; writing needs a deployment without \(setting)."
        case .remote(_, let retryable):
            return retryable ? "Retry in a moment." : "Check the service and the request; retrying will not help."
        case .cancelled:
            return "Nothing was changed; run it again when ready."
        case .tooLarge(_, _, _, let setting):
            return "Ask for less (a byte range, a smaller page, fewer or smaller files); the limit is set by \(setting)."
                + (setting.hasPrefix("QUILT_MCP_") || setting.contains("(QUILT_MCP_") ? " The operator can raise it." : "")
        }
    }
}

extension QuiltOpsError: CustomStringConvertible {
    public var description: String { "\(message) \(hint)" }
}
