#if canImport(Glibc)
    import Glibc
#endif
import Foundation

/// Records every open, read, write, create and delete under a directory tree with Linux inotify: evidence, for
/// any user including root (for whom permission bits prove nothing), that a process never touched the tree.
final class FileWatch {
    private let fd: Int32
    private var directories: [Int32: String] = [:]

    /// Watches `root` and every directory below it (as they are now).
    init(_ root: String) throws {
        fd = inotify_init1(Int32(IN_NONBLOCK))
        guard fd >= 0 else { throw CocoaError(.featureUnsupported) }
        // Any open, read or write shows as OPEN/READ/WRITE; CLOSE_WRITE alone would only report a handle opened
        // before the watch began (the test's own).
        let mask = UInt32(IN_OPEN | IN_ACCESS | IN_MODIFY | IN_CREATE | IN_DELETE | IN_MOVED_TO)
        var paths = [root]
        if let walker = FileManager.default.enumerator(atPath: root) {
            for case let relative as String in walker {
                var isDirectory: ObjCBool = false
                let path = root + "/" + relative
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                    paths.append(path)
                }
            }
        }
        for path in paths {
            let wd = inotify_add_watch(fd, path, mask)
            guard wd >= 0 else { throw CocoaError(.fileReadNoPermission) }
            directories[wd] = path
        }
    }

    deinit { close(fd) }

    /// The events so far, as `OPEN /path/to/file` lines.
    func events() -> [String] {
        var lines: [String] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { break }
            var offset = 0
            while offset + 16 <= n {
                let wd = buffer[offset..<offset + 4].withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }
                let mask = buffer[offset + 4..<offset + 8].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
                let length = Int(buffer[offset + 12..<offset + 16].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) })
                let nameBytes = buffer[(offset + 16)..<min(n, offset + 16 + length)].prefix { $0 != 0 }
                let name = String(decoding: nameBytes, as: UTF8.self)
                let path = (directories[wd] ?? "?") + (name.isEmpty ? "" : "/" + name)
                lines.append("\(Self.describe(mask)) \(path)")
                offset += 16 + length
            }
        }
        return lines
    }

    private static func describe(_ mask: UInt32) -> String {
        let names: [(UInt32, String)] = [
            (UInt32(IN_OPEN), "OPEN"), (UInt32(IN_ACCESS), "READ"), (UInt32(IN_MODIFY), "WRITE"),
            (UInt32(IN_CREATE), "CREATE"), (UInt32(IN_DELETE), "DELETE"), (UInt32(IN_MOVED_TO), "MOVE"),
        ]
        return names.filter { mask & $0.0 != 0 }.map(\.1).joined(separator: "|")
    }
}
