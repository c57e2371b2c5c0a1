import FoundationEssentials
import QuiltContract
import QuiltJSON
import QuiltMode
import QuiltProtocol
import QuiltTools

/// Files inside package revisions as MCP resources, named by ``QuiltURI``s: `resources/templates/list` says how to
/// write them and `resources/read` reads one.
///
/// A read resolves the revision, finds the entry by its logical key (a one-row browse, so the manifest's top hash is
/// verified on the way) and reads its physical object, at most ``maxBytes`` (1 MiB). A larger entry is an error
/// naming its size and the tools that read part of it — never a silently truncated body. UTF-8 text without NUL
/// bytes is answered as `text`, anything else as base64 `blob`, with a MIME type from the file's extension (then
/// the object's stored content type).
///
/// Freshness: `resources/read` keeps the method's private, zero-ttl hint (``ProtocolMethods/readCache``) for
/// every URI. An entry at a pinned top hash names a fixed physical key (in S3, a fixed object version), but the hint
/// is per method and the same method serves `auth://status` and entries at `latest`, so clients are told to re-read.
enum EntryResources {
    /// The most bytes one `resources/read` of an entry returns: 1 MiB, or `max_object_bytes` when that is lower.
    static let maxBytes = 1 << 20

    /// The bound in effect for `mode`.
    static func bound(_ mode: Mode) -> Int { min(maxBytes, mode.limits.objectBytes) }

    // MARK: - Templates

    /// What `resources/templates/list` lists: the S3 form when the deployment reaches S3 registries (the catalog,
    /// an S3 registry, or none configured), and the configured local or memory registry's own form.
    static func templates(_ mode: Mode) -> [JSONValue] {
        var out: [JSONValue] = []
        if mode.api == .platform || (mode.registry.map { $0.kind == .s3 } ?? true) {
            out.append(template(
                QuiltURI.s3Template, name: "package-entry-s3", title: "File in a package in S3",
                description: "A file of a package revision in an S3 registry (quilt3's quilt+s3 URI). hash: a top hash; "
                    + "also read as name:tag or name alone (latest). At most 1 MiB; text, or base64 for binary files."))
        }
        if mode.api == .registry, let registry = mode.registry, registry.kind != .s3 {
            out.append(template(
                QuiltURI.localTemplate(registry), name: "package-entry", title: "File in a package in \(registry.url)",
                description: "A file of a package revision in this server's registry. hash: a top hash; also read as "
                    + "name:tag or name alone (latest). At most 1 MiB; text, or base64 for binary files."))
        }
        return out
    }

    private static func template(_ uriTemplate: String, name: String, title: String, description: String) -> JSONValue {
        ["uriTemplate": .string(uriTemplate), "name": .string(name), "title": .string(title), "description": .string(description)]
    }

    // MARK: - Reading

    /// `resources/read`: a `quilt+` URI is a package entry; any other URI is one of the `auth://` resources.
    static func read(_ request: RequestContext, context: ServerContext) async throws -> JSONObject {
        guard let uri = request.params["uri"]?.stringValue, QuiltURI.claims(uri) else {
            return try await ProtocolMethods.read(request, context: context)
        }
        let parsed: QuiltURI
        do throws(QuiltURI.Invalid) {
            parsed = try QuiltURI(parsing: uri)
        } catch {
            throw RPCError(code: RPCError.invalidParamsCode, message: "Invalid params: \(error.reason)", data: ["uri": .string(uri)])
        }
        let ops: any QuiltOps
        switch await context.backend() {
        case .success(let backend): ops = backend
        case .failure(let error): throw failure(error, uri: uri, era: request.era)
        }
        let bound = bound(context.mode)
        let outcome: Outcome
        do throws(QuiltOpsError) {
            outcome = try await fetch(parsed, ops: ops, bound: bound)
        } catch {
            throw failure(error, uri: uri, era: request.era)
        }
        switch outcome {
        case .directory:
            throw RPCError(
                code: RPCError.invalidParamsCode,
                message: "Invalid params: '\(parsed.path)' in \(parsed.package) is a directory, not a file; package_browse lists the files in it.",
                data: ["uri": .string(uri)])
        case .tooLarge(let size, let key):
            throw RPCError(
                code: RPCError.invalidParamsCode,
                message: "Invalid params: '\(parsed.path)' is \(size) bytes, more than resources/read returns (\(bound) bytes); "
                    + "read part of it with bucket_object_text or bucket_object_fetch (max_bytes) on \(key.url), or get a link with bucket_object_link.",
                data: ["uri": .string(uri), "size": .number(JSONNumber(size)), "limit": .number(JSONNumber(bound))])
        case .bytes(let bytes, let storedType):
            return ["contents": [contents(uri: uri, path: parsed.path, bytes: bytes, storedType: storedType)]]
        }
    }

    /// What reading an entry found.
    enum Outcome {
        /// The path is a directory of the revision.
        case directory
        /// The entry is larger than the bound.
        case tooLarge(size: Int64, key: PhysicalKey)
        /// The entry's bytes and the object's stored content type.
        case bytes([UInt8], storedType: String?)
    }

    /// Finds the entry at `uri.path` and reads it, at most `bound` bytes.
    static func fetch(_ uri: QuiltURI, ops: any QuiltOps, bound: Int) async throws(QuiltOpsError) -> Outcome {
        let listing = try await ops.browse(
            BrowseRequest(package: uri.package, registry: uri.registry, revision: uri.revision, path: uri.path, page: try PageRequest(limit: 1)))
        guard let entry = listing.entries.first, entry.kind == .file, entry.logicalKey == uri.path, let key = entry.physicalKey else {
            return .directory
        }
        if entry.size > Int64(bound) { return .tooLarge(size: entry.size, key: key) }
        let data = try await ops.readObject(key, range: nil, maxBytes: bound + 1)
        guard data.bytes.count <= bound else { return .tooLarge(size: max(data.info.size, Int64(data.bytes.count)), key: key) }
        return .bytes(data.bytes, storedType: data.info.contentType)
    }

    /// One `contents` item: `text` for UTF-8 without NUL bytes, else base64 `blob`.
    static func contents(uri: String, path: String, bytes: [UInt8], storedType: String?) -> JSONValue {
        let guessed = MediaTypes.forPath(path) ?? storedType.flatMap { MediaTypes.isGeneric($0) ? nil : $0 }
        if !bytes.contains(0), let text = String(validating: bytes, as: UTF8.self) {
            return ["uri": .string(uri), "mimeType": .string(guessed ?? "text/plain"), "text": .string(text)]
        }
        return ["uri": .string(uri), "mimeType": .string(guessed ?? "application/octet-stream"), "blob": .string(Data(bytes).base64EncodedString())]
    }

    /// A backend failure as a protocol error: a missing package, revision or entry is "resource not found" (the
    /// era's code), an ambiguous hash prefix or a bad value is -32602, anything else -32603 with the backend's words.
    static func failure(_ error: QuiltOpsError, uri: String, era: Era) -> RPCError {
        let text = "\(error.message) \(ToolError(error).hint)"
        switch error {
        case .notFound:
            return RPCError(
                code: era.isModern ? RPCError.invalidParamsCode : RPCError.resourceNotFoundCode,
                message: "Resource not found: \(uri): \(text)", data: ["uri": .string(uri)])
        case .invalidInput:
            return RPCError(code: RPCError.invalidParamsCode, message: "Invalid params: \(text)", data: ["uri": .string(uri)])
        default:
            return RPCError(
                code: RPCError.internalErrorCode, message: "Internal error: reading \(uri) failed: \(text)",
                data: ["uri": .string(uri), "kind": .string(error.kind)])
        }
    }
}

/// MIME types of common data files, by extension.
enum MediaTypes {
    private static let byExtension: [String: String] = [
        "txt": "text/plain", "log": "text/plain", "csv": "text/csv", "tsv": "text/tab-separated-values",
        "md": "text/markdown", "html": "text/html", "htm": "text/html", "css": "text/css", "js": "text/javascript",
        "json": "application/json", "jsonl": "application/jsonl", "ndjson": "application/x-ndjson",
        "xml": "application/xml", "yaml": "application/yaml", "yml": "application/yaml", "toml": "application/toml",
        "py": "text/x-python", "r": "text/x-r", "sh": "text/x-shellscript", "ipynb": "application/x-ipynb+json",
        "fasta": "text/plain", "fa": "text/plain", "fastq": "text/plain", "vcf": "text/plain", "bed": "text/plain",
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "svg": "image/svg+xml",
        "webp": "image/webp", "tif": "image/tiff", "tiff": "image/tiff", "pdf": "application/pdf",
        "parquet": "application/vnd.apache.parquet", "gz": "application/gzip", "zip": "application/zip",
        "h5": "application/x-hdf5", "hdf5": "application/x-hdf5", "npy": "application/octet-stream",
    ]

    /// The type of a file named `path`, from its extension; nil when unknown.
    static func forPath(_ path: String) -> String? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        return byExtension[name[name.index(after: dot)...].lowercased()]
    }

    /// True for stored types that say nothing (S3's defaults).
    static func isGeneric(_ type: String) -> Bool {
        ["binary/octet-stream", "application/octet-stream", ""].contains(type.lowercased())
    }
}
