package import QuiltContract

/// A `quilt+` URI naming one entry of a package revision, in quilt3's form:
/// `quilt+s3://bucket#package=user/pkg[@hash|:tag]&path=dir/file.csv[&catalog=host]`, and for the registries this
/// server reaches without S3, `quilt+file:///abs/registry#…` and `quilt+memory://name#…`.
///
/// Every fragment value is percent-decoded (clients expanding the URI templates encode `/` in `{name}` and
/// `{path}` as `%2F`). The revision is a full top hash (pinned), a unique prefix of one, a tag, or absent (latest).
package struct QuiltURI: Sendable, Hashable {
    /// Why a URI does not name an entry, in words that say how to fix it.
    package struct Invalid: Error, Sendable, Equatable {
        /// What is wrong and how to write it instead.
        package var reason: String
    }

    /// The scheme prefix every form shares.
    package static let prefix = "quilt+"

    /// The registry the package lives in.
    package var registry: RegistryURL
    /// The package.
    package var package: PackageName
    /// The revision: `.hash` when the URI pins a full top hash.
    package var revision: RevisionRef
    /// The entry's logical key.
    package var path: String
    /// The `catalog` parameter, when given (kept, not needed to read).
    package var catalog: String?

    /// True when `uri` is meant as a `quilt+` URI (whether or not it is a valid one).
    package static func claims(_ uri: String) -> Bool { uri.hasPrefix(prefix) }

    /// True when the revision is a full top hash, so the entry can never change.
    package var isPinned: Bool {
        if case .hash = revision { return true }
        return false
    }

    private static let example = "quilt+s3://bucket#package=user/pkg@<top hash>&path=dir/file.csv"

    /// Parses `uri`.
    /// - Throws: ``Invalid`` naming the part that is wrong.
    package init(parsing uri: String) throws(Invalid) {
        guard uri.hasPrefix(Self.prefix) else {
            throw Invalid(reason: "'\(uri)' is not a quilt+ URI; write it as \(Self.example).")
        }
        let rest = uri.dropFirst(Self.prefix.count)
        guard let hashMark = rest.firstIndex(of: "#") else {
            throw Invalid(reason: "'\(uri)' has no '#package=…&path=…' fragment naming the package and entry; e.g. \(Self.example).")
        }
        do throws(QuiltOpsError) {
            registry = try RegistryURL(String(rest[..<hashMark]), field: "uri")
        } catch {
            throw Invalid(reason: "the registry of '\(uri)' is not one: \(error.message) (after quilt+ comes s3://bucket, file:///absolute/path or memory://name).")
        }
        var fields: [String: String] = [:]
        for item in rest[rest.index(after: hashMark)...].split(separator: "&", omittingEmptySubsequences: true) {
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(pair[0])
            guard ["package", "path", "catalog"].contains(key) else {
                throw Invalid(reason: "'\(uri)' has an unknown parameter '\(key)'; the fragment takes package, path and catalog.")
            }
            guard fields[key] == nil else { throw Invalid(reason: "'\(uri)' gives '\(key)' twice.") }
            guard pair.count == 2, let value = PercentEncoding.unquote(String(pair[1])) else {
                throw Invalid(reason: "'\(key)' in '\(uri)' has no value or does not percent-decode to UTF-8.")
            }
            fields[key] = value
        }
        guard let spec = fields["package"], !spec.isEmpty else {
            throw Invalid(reason: "'\(uri)' names no package; add package=user/pkg to the fragment, e.g. \(Self.example).")
        }
        (package, revision) = try Self.packageSpec(spec)
        guard var path = fields["path"], !path.isEmpty else {
            throw Invalid(reason: "'\(uri)' names a package, not an entry; add &path=<logical key> (package_browse lists them).")
        }
        while path.hasPrefix("/") { path.removeFirst() }
        guard !path.hasSuffix("/") else {
            throw Invalid(reason: "path '\(path)' names a directory; a resource is one file (package_browse lists the files in it).")
        }
        do throws(QuiltOpsError) {
            path = try LogicalKey(path, field: "path").rawValue
        } catch {
            throw Invalid(reason: error.message)
        }
        self.path = path
        catalog = fields["catalog"]
    }

    /// `user/pkg`, `user/pkg@hash` (full or a unique prefix of 6 or more characters) or `user/pkg:tag`.
    private static func packageSpec(_ spec: String) throws(Invalid) -> (PackageName, RevisionRef) {
        let at = spec.firstIndex(of: "@"), colon = spec.firstIndex(of: ":")
        let cut = [at, colon].compactMap { $0 }.min()
        let nameText = cut.map { String(spec[..<$0]) } ?? spec
        let name: PackageName
        do throws(QuiltOpsError) {
            name = try PackageName(nameText)
        } catch {
            throw Invalid(reason: error.message)
        }
        guard let cut else { return (name, .latest) }
        let value = String(spec[spec.index(after: cut)...])
        guard !value.isEmpty, !value.contains("@"), !value.contains(":") else {
            throw Invalid(reason: "package '\(spec)' must be user/pkg, user/pkg@<top hash> or user/pkg:<tag>, with one revision at most.")
        }
        do throws(QuiltOpsError) {
            return (name, cut == at ? try RevisionRef.parse(topHash: value, tag: nil) : try RevisionRef.parse(topHash: nil, tag: value))
        } catch {
            throw Invalid(reason: error.message)
        }
    }

    /// The URI template of entries in S3 registries (any bucket).
    package static let s3Template = prefix + "s3://{bucket}#package={name}@{hash}&path={path}"

    /// The URI template of entries in a local or memory `registry`, written out (there is one per deployment).
    package static func localTemplate(_ registry: RegistryURL) -> String {
        prefix + registry.url + "#package={name}@{hash}&path={path}"
    }
}
