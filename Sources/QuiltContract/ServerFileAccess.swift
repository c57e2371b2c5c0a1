/// Whether callers may reach the filesystem of the machine the server runs on: local paths given as package
/// files, `file://` URLs in any parameter, and `file://` physical keys inside manifests.
///
/// Decided once, by the deployment mode (`Mode.serverFiles`): only a local, single-tenant, persistent deployment
/// that does not take bearer tokens over HTTP lets callers touch the server's files — there the caller is the
/// person who owns the machine. Everywhere else a caller is someone else, and `/etc/passwd`, `/proc/self/environ`
/// (which holds the server's secrets) or `~/.ssh` must be out of reach.
///
/// Enforced in one place: `LocalStorageResolver`, through which every backend reaches `file://` storage and every
/// local source file (a local path is read as the `file://` object it names).
package struct ServerFileAccess: Sendable, Hashable, CustomStringConvertible {
    /// Nil when allowed; otherwise the settings that forbid it, as the operator set them
    /// (e.g. `locale=remote (from preset remote, QUILT_MCP_MODE=remote)`).
    package let forbiddenBy: String?

    /// Callers may read and write the server's files.
    package static let allowed = ServerFileAccess(forbiddenBy: nil)

    /// Callers may not reach the server's files, because of `settings` (the settings as the operator set them).
    package static func forbidden(by settings: String) -> ServerFileAccess { ServerFileAccess(forbiddenBy: settings) }

    private init(forbiddenBy: String?) { self.forbiddenBy = forbiddenBy }

    /// True when callers may reach the server's files.
    package var isAllowed: Bool { forbiddenBy == nil }

    /// Returns when callers may reach the server's files.
    /// - Parameter what: the file or URL asked for, as the caller gave it (e.g. `/etc/passwd`, `file:///data`).
    /// - Throws: `.forbidden` naming what was asked for and the settings that forbid it.
    package func check(_ what: String) throws(QuiltOpsError) {
        guard let forbiddenBy else { return }
        throw .forbidden(
            "this server's own files are out of callers' reach (\(what)): \(forbiddenBy); "
                + "give package files as inline content or s3:// objects, and use s3:// or memory:// registries.")
    }

    /// `allowed`, or `forbidden by <settings>`.
    package var description: String { forbiddenBy.map { "forbidden by \($0)" } ?? "allowed" }
}
