import FoundationEssentials
import QuiltContract
import QuiltJSON

/// Tools that name things for people: catalog web URLs and `quilt+s3://` package URIs.
enum CatalogTools {
    // MARK: - Catalog URL

    static let catalogHost = Param(
        "catalog_host", .string(pattern: nil, minLength: nil),
        "Catalog host[:port] or URL; default: the configured catalog.",
        default: "")
    static let bucketRegistry = Param(
        "registry", .string(pattern: nil, minLength: nil),
        "s3://bucket or bucket name; default: the configured bucket.")

    static let catalogURL = Tool(
        ToolDefinition(
            name: "catalog_url", title: "Catalog web URL",
            description: "Catalog web page of a package revision (and path in it), or of a bucket folder. Pins tags and hash prefixes to the full top hash.",
            parameters: [
                bucketRegistry,
                Param("package_name", .string(pattern: nil, minLength: nil), "user/package; omit for a bucket folder."),
                Param("path", .string(pattern: nil, minLength: nil), "File or directory (ending '/') inside.", default: ""),
                Common.topHash, Common.tag, catalogHost,
            ],
            annotations: PackageReadTools.readOnly)
    ) { (args, ctx) throws(QuiltOpsError) in
        let (registry, bucket) = try bucket(args, ctx)
        let base = try await catalogBase(args, ctx)
        let path = args.string("path") ?? ""
        let encodedPath = PercentEncoding.quote(path, safe: "/!*'()")
        var o: JSONObject = ["bucket": .string(bucket), "catalog_host": .string(base.host), "path": .string(path)]
        if args.string("package_name") != nil {
            let name = try Common.package(args)
            let segment = try await pinned(name, registry, try Common.revision(args), ctx)?.rawValue ?? "latest"
            o["package_name"] = .string(name.rawValue)
            o["revision"] = .string(segment)
            o["url"] = .string("\(base.origin)/b/\(bucket)/packages/\(name.rawValue)/tree/\(segment)/\(encodedPath)")
        } else {
            if args.string("top_hash") != nil || args.string("tag") != nil {
                throw .invalidInput(field: args.string("top_hash") != nil ? "top_hash" : "tag", reason: "names a package revision; also pass package_name.")
            }
            o["url"] = .string("\(base.origin)/b/\(bucket)/tree/\(encodedPath)")
        }
        return .object(o)
    }

    // MARK: - Package URI

    static let catalogURI = Tool(
        ToolDefinition(
            name: "catalog_uri", title: "Quilt+ package URI",
            description: "quilt+s3://bucket#package=user/pkg[@hash|:tag][&path=…] URI of a revision, as quilt3 reads it; pins hash prefixes.",
            parameters: [
                bucketRegistry, Common.packageName,
                Param("path", .string(pattern: nil, minLength: nil), "File or directory inside.", default: ""),
                Common.topHash, Common.tag, catalogHost,
            ],
            annotations: PackageReadTools.readOnly)
    ) { (args, ctx) throws(QuiltOpsError) in
        let (registry, bucket) = try bucket(args, ctx)
        let name = try Common.package(args)
        let ref = try Common.revision(args)
        var spec = name.rawValue
        var o: JSONObject = ["bucket": .string(bucket), "package_name": .string(name.rawValue)]
        switch ref {
        case .latest:
            if args.string("tag") != nil {
                spec += ":latest"
                o["tag"] = "latest"
            }
        case .tag(let t):
            spec += ":" + t
            o["tag"] = .string(t)
        case .hash(let h):
            spec += "@" + h.rawValue
            o["top_hash"] = .string(h.rawValue)
        case .hashPrefix:
            let full = try await ctx.ops.resolve(package: name, registry: registry, revision: ref).hash
            spec += "@" + full.rawValue
            o["top_hash"] = .string(full.rawValue)
        }
        var uri = "quilt+s3://\(bucket)#package=\(spec)"
        if let path = args.string("path") {
            uri += "&path=" + PercentEncoding.quote(path, safe: "!*'()")
            o["path"] = .string(path)
        }
        if let base = try await optionalCatalogBase(args, ctx) {
            uri += "&catalog=" + PercentEncoding.quote(base.host, safe: "!*'()")
            o["catalog_host"] = .string(base.host)
        }
        o["uri"] = .string(uri)
        return .object(o)
    }

    // MARK: - Helpers

    /// The registry and its bucket; only S3 registries have catalog pages and package URIs.
    static func bucket(_ args: Arguments, _ ctx: ToolContext) throws(QuiltOpsError) -> (RegistryURL, String) {
        let registry = try Common.registry(args, ctx)
        guard registry.kind == .s3 else {
            throw .invalidInput(
                field: "registry",
                reason: "\(registry.url) is not a bucket; catalog URLs and quilt+s3 URIs exist only for S3 registries. Pass registry=s3://bucket.")
        }
        return (registry, registry.location)
    }

    /// A revision pinned for a link: `latest` stays `latest`; tags and hash prefixes become the full hash.
    static func pinned(_ name: PackageName, _ registry: RegistryURL, _ ref: RevisionRef, _ ctx: ToolContext) async throws(QuiltOpsError)
        -> TopHash?
    {
        switch ref {
        case .latest: return nil
        case .hash(let h): return h
        case .tag, .hashPrefix: return try await ctx.ops.resolve(package: name, registry: registry, revision: ref).hash
        }
    }

    /// The catalog's origin (`scheme://host[:port]`) and host, from `catalog_host`, the configured catalog, or the
    /// backend's login (a quilt3 session's navigator URL).
    /// - Throws: `invalidInput(catalog_host)` when none of them names a catalog, or the text is not a host or URL.
    static func catalogBase(_ args: Arguments, _ ctx: ToolContext) async throws(QuiltOpsError) -> (origin: String, host: String) {
        guard let base = try await optionalCatalogBase(args, ctx) else {
            throw .invalidInput(
                field: "catalog_host",
                reason: "no catalog is configured; pass catalog_host (e.g. catalog.example.com) or set QUILT_MCP_CATALOG_URL.")
        }
        return base
    }

    /// As `catalogBase`, nil when no catalog is known.
    static func optionalCatalogBase(_ args: Arguments, _ ctx: ToolContext) async throws(QuiltOpsError) -> (origin: String, host: String)? {
        var text = args.string("catalog_host") ?? ctx.catalogURL
        if text == nil { text = (try? await ctx.ops.authStatus())?.catalogURL }
        guard let text, !text.isEmpty else { return nil }
        return try catalogOrigin(text)
    }

    /// Parses `host`, `host:port` or `http(s)://host[:port][/]` (https when no scheme is given).
    static func catalogOrigin(_ text: String) throws(QuiltOpsError) -> (origin: String, host: String) {
        let withScheme = text.contains("://") ? text : "https://" + text
        guard let c = URLComponents(string: withScheme), let scheme = c.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let host = c.host, !host.isEmpty, c.path.isEmpty || c.path == "/", c.query == nil, c.fragment == nil, c.user == nil
        else {
            throw .invalidInput(
                field: "catalog_host", reason: "'\(text)' is not a catalog host; give catalog.example.com, host:port or https://catalog.example.com.")
        }
        let hostPort = c.port.map { "\(host):\($0)" } ?? host
        return ("\(scheme)://\(hostPort)", hostPort)
    }
}
