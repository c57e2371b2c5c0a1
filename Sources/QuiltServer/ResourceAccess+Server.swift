import FoundationEssentials
import Logging
package import QuiltContract
import QuiltJSON
package import QuiltMode
package import QuiltTools

extension ResourceAccess {
    /// The resources of `context` as `get_resource` reads them: the same list, bodies and bounds as
    /// `resources/list`, `resources/templates/list` and `resources/read`.
    package static func server(_ context: ServerContext) -> ResourceAccess {
        ResourceAccess(
            list: {
                [
                    "resources": .array(ResourceHandlers.listed(context.mode)),
                    "resource_templates": .array(EntryResources.templates(context.mode)),
                ]
            },
            read: { (uri) throws(QuiltOpsError) in try await read(uri, context) })
    }

    /// The resources the command line's `call` reads, for `mode` and its backend.
    package static func commandLine(mode: Mode, ops: any QuiltOps, credentials: RequestCredentials?) -> ResourceAccess {
        server(ServerContext(mode: mode, backend: .success(ops), credentials: credentials, logger: Logger(label: "quilt-mcp.call")))
    }

    private static func read(_ uri: String, _ context: ServerContext) async throws(QuiltOpsError) -> JSONValue {
        guard QuiltURI.claims(uri) else {
            guard let body = await ResourceHandlers.body(uri, context: context) else {
                let known = ResourceHandlers.listed(context.mode).compactMap { $0["uri"]?.stringValue }
                throw .invalidInput(
                    field: "uri",
                    reason: "no resource '\(uri)'; resources: \(known.joined(separator: ", ")), or a quilt+ URI of a package entry "
                        + "(call get_resource without uri for the templates).")
            }
            return ["uri": .string(uri), "mime_type": "application/json", "data": body]
        }
        let parsed: QuiltURI
        do throws(QuiltURI.Invalid) {
            parsed = try QuiltURI(parsing: uri)
        } catch {
            throw .invalidInput(field: "uri", reason: error.reason)
        }
        let ops: any QuiltOps
        switch await context.backend() {
        case .success(let backend): ops = backend
        case .failure(let error): throw error
        }
        let bound = EntryResources.bound(context.mode)
        switch try await EntryResources.fetch(parsed, ops: ops, bound: bound) {
        case .directory:
            throw .invalidInput(
                field: "uri", reason: "'\(parsed.path)' in \(parsed.package) is a directory, not a file; package_browse lists the files in it.")
        case .tooLarge(let size, let key):
            throw .invalidInput(
                field: "uri",
                reason: "'\(parsed.path)' is \(size) bytes, more than a resource read returns (\(bound) bytes); read part of it with "
                    + "bucket_object_text or bucket_object_fetch (max_bytes) on \(key.url), or get a link with bucket_object_link.")
        case .bytes(let bytes, let storedType):
            let item = EntryResources.contents(uri: uri, path: parsed.path, bytes: bytes, storedType: storedType)
            var out: JSONObject = ["uri": .string(uri), "mime_type": item["mimeType"] ?? .null]
            if let text = item["text"] { out["text"] = text }
            if let blob = item["blob"] { out["blob"] = blob }
            return .object(out)
        }
    }
}
