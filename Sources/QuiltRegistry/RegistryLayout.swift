package import FoundationEssentials
package import QuiltContract

/// The quilt3 "V1" registry layout: where manifests, pointers and pushed data live under a registry root.
package enum RegistryLayout {
    /// `.quilt/packages/` — manifests, named by top hash, shared by every package in the registry.
    package static let manifestsPrefix = ".quilt/packages/"
    /// `.quilt/named_packages/` — one folder of pointer files per package.
    package static let pointersPrefix = ".quilt/named_packages/"
    /// The pointer that names the current revision.
    package static let latest = "latest"

    /// `.quilt/packages/<hash>`.
    package static func manifestKey(_ hash: TopHash) -> String { manifestsPrefix + hash.rawValue }
    /// `.quilt/named_packages/<user>/<pkg>/`.
    package static func pointerPrefix(_ name: PackageName) -> String { pointersPrefix + name.rawValue + "/" }
    /// `.quilt/named_packages/<user>/<pkg>/<pointer>`.
    package static func pointerKey(_ name: PackageName, _ pointer: String) -> String { pointerPrefix(name) + pointer }
    /// `<user>/<pkg>/<logical key>` — where pushed data goes by default.
    package static func dataKey(_ name: PackageName, _ key: LogicalKey) -> String { name.rawValue + "/" + key.rawValue }

    /// The date a Unix-timestamp pointer name stands for, or nil for other names.
    package static func date(ofPointer name: String) -> Date? {
        guard !name.isEmpty, name.utf8.count <= 12, name.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let seconds = Int64(name)
        else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// The pointer name quilt3 writes for a push at `date`: whole Unix seconds.
    package static func pointerName(for date: Date) -> String { String(Int64(date.timeIntervalSince1970.rounded(.down))) }

    /// Orders pointer names newest first: timestamps numerically, others after them by name.
    package static func newestFirst(_ a: String, _ b: String) -> Bool {
        switch (date(ofPointer: a), date(ofPointer: b)) {
        case (let x?, let y?): return x > y
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return a < b
        }
    }
}
