import QuiltContract

/// Where quilt3 keeps its data on this machine: platformdirs' `user_data_dir("Quilt", "QuiltData")`, as quilt3
/// 8.0.0 computes it with platformdirs 4.
package enum Quilt3Paths {
    /// The operating systems whose conventions differ.
    package enum Platform: Sendable {
        case linux, macOS, windows

        /// The platform this binary was built for (other Unix systems follow Linux's XDG layout).
        package static var current: Platform {
            #if os(macOS)
            return .macOS
            #elseif os(Windows)
            return .windows
            #else
            return .linux
            #endif
        }
    }

    /// quilt3's data directory, or nil when the environment does not say where home is. Trailing separators are
    /// ignored.
    /// - Linux and other Unix: `$XDG_DATA_HOME/Quilt` when XDG_DATA_HOME is absolute, else `$HOME/.local/share/Quilt`.
    /// - macOS: `$XDG_DATA_HOME/Quilt` when XDG_DATA_HOME is absolute (platformdirs 4 honours it there too), else
    ///   `$HOME/Library/Application Support/Quilt`.
    /// - Windows: `%LOCALAPPDATA%\QuiltData\Quilt` (the author's folder first, as platformdirs does there).
    package static func dataDirectory(environment: [String: String], platform: Platform = .current) -> String? {
        switch platform {
        case .linux, .macOS:
            if let xdg = absolute(environment.setValue("XDG_DATA_HOME")) { return xdg + "/Quilt" }
            guard let home = absolute(environment.setValue("HOME")) else { return nil }
            return home + (platform == .macOS ? "/Library/Application Support/Quilt" : "/.local/share/Quilt")
        case .windows:
            guard var local = environment.setValue("LOCALAPPDATA")?.trimmingWhitespace(), !local.isEmpty else { return nil }
            while local.hasSuffix("\\") || local.hasSuffix("/") { local.removeLast() }
            return local + "\\QuiltData\\Quilt"
        }
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
