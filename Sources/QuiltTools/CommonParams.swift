import QuiltContract
import QuiltJSON

/// Parameters shared by several tools, with the Python server's names.
enum Common {
    static let packageName = Param(
        "package_name", .string(pattern: nil, minLength: nil), "user/package",
        required: true)
    static let registry = Param(
        "registry", .string(pattern: nil, minLength: nil),
        "s3://bucket or file:///path; default: configured.")
    static let topHash = Param(
        "top_hash", .string(pattern: "^[0-9a-fA-F]{6,64}$", minLength: nil),
        "Top hash or unique prefix; default latest.")
    static let tag = Param(
        "tag", .string(pattern: nil, minLength: nil), "Tag: 'latest' or a timestamp.")
    static let limit = Param(
        "limit", .integer(min: 1, max: PageRequest.maxLimit), "Items per page.", default: .number(JSONNumber(1000)))
    static let cursor = Param(
        "cursor", .string(pattern: nil, minLength: nil), "From next_cursor.")

    /// The registry named by the call, or the default one.
    static func registry(_ args: Arguments, _ ctx: ToolContext, field: String = "registry") throws(QuiltOpsError) -> RegistryURL {
        guard let text = args.string(field) else {
            guard let d = ctx.defaultRegistry else {
                throw .invalidInput(field: field, reason: "no registry given and none is configured; pass registry=s3://bucket or a file:// path.")
            }
            return d
        }
        return try RegistryURL.userText(text, field: field)
    }

    static func package(_ args: Arguments, _ field: String = "package_name") throws(QuiltOpsError) -> PackageName {
        guard let s = args.string(field) else { throw .invalidInput(field: field, reason: "is required.") }
        do {
            return try PackageName(s)
        } catch .invalidInput(_, let reason) {
            throw .invalidInput(field: field, reason: reason)  // named as the caller spelt it (package1_name, …)
        }
    }

    static func revision(_ args: Arguments, hash: String = "top_hash", tag: String = "tag") throws(QuiltOpsError) -> RevisionRef {
        do {
            return try RevisionRef.parse(topHash: args.string(hash), tag: args.string(tag))
        } catch .invalidInput(let f, let reason) {
            throw .invalidInput(field: f == "top_hash" ? hash : tag, reason: reason)
        }
    }

    /// `key`'s path inside `registry` (a file registry's physical keys are absolute paths; an S3 key is already
    /// relative to its bucket).
    static func keyInRegistry(_ key: PhysicalKey, _ registry: RegistryURL) -> String {
        let root = registry.location.hasSuffix("/") ? registry.location : registry.location + "/"
        return key.path.hasPrefix(root) ? String(key.path.dropFirst(root.count)) : key.path
    }

    static func page(_ args: Arguments) throws(QuiltOpsError) -> PageRequest {
        try PageRequest(limit: args.int("limit") ?? 1000, cursor: args.string("cursor"))
    }
}
