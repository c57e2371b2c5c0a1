import Logging
import QuiltContract
import QuiltJSON
import QuiltMode
import QuiltProtocol

/// `completion/complete` for the entry templates' variables and the prompts' arguments.
///
/// Values come from the backend: buckets (`listBuckets`), package names by prefix (`listPackages`), top hashes by
/// prefix (`listRevisions` of the package already chosen in `context.arguments`) and paths one directory level
/// under what was typed (`browse`). At most 100 values; `hasMore` says when more exist, `total` is given when all
/// are known. A backend failure answers no values (logged at debug): a completion is a hint, never a protocol
/// error. A malformed request or an unknown template or prompt is -32602.
enum Completions {
    /// The most values one answer holds (the protocol's limit).
    static let limit = 100

    /// What an argument completes to.
    enum Field: Sendable {
        /// An S3 bucket the caller can see.
        case bucket
        /// A package name in the registry.
        case name
        /// A top hash of the chosen package.
        case hash
        /// A logical key (or directory) of the chosen revision.
        case path
    }

    /// What a completion asks for: the field, what is typed, and what the other arguments already say.
    struct Query: Sendable {
        /// The field to complete.
        var field: Field
        /// What the user typed so far.
        var typed: String
        /// The registry the package lives in; nil when the request does not say and none is configured.
        var registry: RegistryURL?
        /// The package already chosen, as typed.
        var package: String?
        /// The revision already chosen (a top hash or prefix), as typed.
        var hash: String?
    }

    /// Answers `completion/complete`.
    static func complete(_ request: RequestContext, context: ServerContext) async throws -> JSONObject {
        guard let ref = request.params["ref"]?.objectValue, let type = ref["type"]?.stringValue else {
            throw RPCError.invalidParams(
                "completion/complete needs \"ref\": {\"type\": \"ref/resource\", \"uri\": <template>} or {\"type\": \"ref/prompt\", \"name\": <prompt>}")
        }
        guard let argument = request.params["argument"]?.objectValue, let name = argument["name"]?.stringValue else {
            throw RPCError.invalidParams("completion/complete needs \"argument\": {\"name\": <argument>, \"value\": <typed so far>}")
        }
        let typed = argument["value"]?.stringValue ?? ""
        var chosen: [String: String] = [:]
        for (key, value) in request.params["context"]?["arguments"]?.objectValue ?? [:] {
            if let text = value.stringValue { chosen[key] = text }
        }
        let query: Query?
        switch type {
        case "ref/resource":
            query = try resourceQuery(ref["uri"]?.stringValue, argument: name, typed: typed, chosen: chosen, context: context)
        case "ref/prompt":
            query = try promptQuery(ref["name"]?.stringValue, argument: name, typed: typed, chosen: chosen, context: context)
        default:
            throw RPCError.invalidParams("completion/complete \"ref.type\" '\(type)' is neither ref/resource nor ref/prompt")
        }
        var values: [String] = [], hasMore = false
        if let query {
            switch await context.backend() {
            case .success(let ops):
                do throws(QuiltOpsError) {
                    (values, hasMore) = try await candidates(query, ops: ops)
                } catch {
                    context.logger.debug("completion found nothing: the backend failed", metadata: ["argument": "\(name)", "error": "\(error.message)"])
                }
            case .failure(let error):
                context.logger.debug("completion found nothing: no backend", metadata: ["argument": "\(name)", "error": "\(error.message)"])
            }
        }
        hasMore = hasMore || values.count > limit
        var completion: JSONObject = ["values": .array(values.prefix(limit).map(JSONValue.string)), "hasMore": .bool(hasMore)]
        if !hasMore { completion["total"] = .number(JSONNumber(values.count)) }
        return ["completion": .object(completion)]
    }

    /// The query for a variable of an entry template; nil for a variable no template has.
    static func resourceQuery(
        _ uri: String?, argument: String, typed: String, chosen: [String: String], context: ServerContext
    ) throws -> Query? {
        let templates = EntryResources.templates(context.mode).compactMap { $0["uriTemplate"]?.stringValue }
        guard let uri, templates.contains(uri) else {
            throw RPCError.invalidParams(
                "completion/complete: '\(uri ?? "")' is not a resource template of this server; resources/templates/list names them: \(templates.joined(separator: ", "))")
        }
        let registry: RegistryURL?
        if uri == QuiltURI.s3Template {
            registry = chosen["bucket"].flatMap { try? RegistryURL.userText($0, field: "bucket") }
                ?? context.mode.registry.flatMap { $0.kind == .s3 ? $0 : nil }
        } else {
            registry = context.mode.registry
        }
        let field: Field
        switch argument {
        case "bucket" where uri == QuiltURI.s3Template: field = .bucket
        case "name": field = .name
        case "hash": field = .hash
        case "path": field = .path
        default: return nil
        }
        return Query(field: field, typed: typed, registry: registry, package: chosen["name"], hash: chosen["hash"])
    }

    /// The query for an argument of a prompt; nil for an argument that has no completions.
    static func promptQuery(
        _ name: String?, argument: String, typed: String, chosen: [String: String], context: ServerContext
    ) throws -> Query? {
        guard let name, let prompt = Prompts.named(name) else {
            throw RPCError.invalidParams(
                "completion/complete: no prompt named '\(name ?? "")'; prompts: \(Prompts.all.map(\.name).joined(separator: ", "))")
        }
        guard let field = prompt.arguments.first(where: { $0.name == argument })?.completes else { return nil }
        return Query(field: field, typed: typed, registry: context.mode.registry, package: chosen["package_name"], hash: nil)
    }

    /// The values for `query`, and whether the backend has more than it returned.
    static func candidates(_ query: Query, ops: any QuiltOps) async throws(QuiltOpsError) -> ([String], Bool) {
        let typed = query.typed
        switch query.field {
        case .bucket:
            let names = try await ops.listBuckets().filter { $0.registry.kind == .s3 }.map(\.name)
            return (names.filter { $0.hasPrefix(typed) }, false)
        case .name:
            guard let registry = query.registry else { return ([], false) }
            let page = try await ops.listPackages(registry: registry, prefix: typed, page: try PageRequest(limit: limit))
            return (page.items.map(\.name.rawValue), page.nextCursor != nil)
        case .hash:
            guard let registry = query.registry, let package = query.package.flatMap({ try? PackageName($0) }) else { return ([], false) }
            let page = try await ops.listRevisions(package: package, registry: registry, page: try PageRequest(limit: 1000))
            let lower = typed.lowercased()
            return (page.items.map(\.hash.rawValue).filter { $0.hasPrefix(lower) }, page.nextCursor != nil)
        case .path:
            guard let registry = query.registry, let package = query.package.flatMap({ try? PackageName($0) }) else { return ([], false) }
            let revision = try RevisionRef.parse(topHash: query.hash, tag: nil)
            let directory = typed.lastIndex(of: "/").map { String(typed[...$0]) } ?? ""
            let listing = try await ops.browse(
                BrowseRequest(package: package, registry: registry, revision: revision, path: directory, page: try PageRequest(limit: 1000)))
            return (listing.entries.map(\.logicalKey).filter { $0.hasPrefix(typed) }, listing.nextCursor != nil)
        }
    }
}
