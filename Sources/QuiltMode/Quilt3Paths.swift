import QuiltOps

/// Where quilt3 keeps its data on this machine (platformdirs `user_data_dir("Quilt")` on Linux).
enum Quilt3Paths {
    /// `$XDG_DATA_HOME/Quilt` when XDG_DATA_HOME is an absolute path, else `$HOME/.local/share/Quilt` when HOME is
    /// an absolute path, else nil. Trailing slashes of either variable are ignored.
    static func dataDirectory(environment: [String: String]) -> String? {
        if let xdg = absolute(environment.setValue("XDG_DATA_HOME")) { return xdg + "/Quilt" }
        if let home = absolute(environment.setValue("HOME")) { return home + "/.local/share/Quilt" }
        return nil
    }

    /// quilt3's local registry: `file://<data directory>/packages`.
    static func localRegistry(dataDirectory: String) -> RegistryURL? {
        try? RegistryURL.file(dataDirectory + "/packages")
    }

    private static func absolute(_ path: String?) -> String? {
        guard var path = path?.trimmingWhitespace(), path.hasPrefix("/") else { return nil }
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path == "/" ? "" : path
    }
}
