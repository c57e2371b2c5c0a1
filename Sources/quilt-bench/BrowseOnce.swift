import Foundation
import QuiltContract
import QuiltJSON
import QuiltRegistry
import QuiltStorage

/// The measured child: `quilt-bench browse-once <registryDir> <package> <path>`.
///
/// Opens the registry, resolves `latest`, streams the manifest once keeping the one-level listing of `path`, and
/// verifies the top hash (`RegistryEngine.browse` throws if it does not match). Prints one JSON line:
/// `{"entries": …, "files": …, "directories": …, "top_hash": …, "browse_ms": …}`.
enum BrowseOnce {
    static func run(_ arguments: [String]) async -> Int32 {
        guard arguments.count == 3 else {
            log("usage: quilt-bench browse-once <registryDir> <package> <path>")
            return 2
        }
        let started = Spawner.now()
        do {
            let result = try await browse(directory: arguments[0], package: arguments[1], path: arguments[2])
            let elapsed = Double(Spawner.now() - started) / 1e6
            let files = result.entries.filter { $0.kind == .file }.count
            let line: JSONValue = .object([
                "entries": .number(JSONNumber(result.entries.count)),
                "files": .number(JSONNumber(files)),
                "directories": .number(JSONNumber(result.entries.count - files)),
                "more": .bool(result.nextCursor != nil),
                "top_hash": .string(result.revision.hash.rawValue),
                "browse_ms": Stats.number(elapsed),
                "vm_hwm_kib": SelfMemory.peakKiB().map { .number(JSONNumber($0)) } ?? .null,
            ])
            emit(JSONWriter.compact(line))
            return 0
        } catch {
            log("browse-once failed: \(error)")
            return 1
        }
    }

    static func browse(directory: String, package: String, path: String) async throws(QuiltOpsError) -> BrowseResult {
        let registry = try RegistryURL.file(directory)
        let engine = RegistryEngine(backendID: "file", resolver: LocalStorageResolver(files: .allowed), knownRegistries: [registry])
        let request = BrowseRequest(
            package: try PackageName(package), registry: registry, revision: .latest, path: path, recursive: false,
            page: .first)
        return try await engine.browse(request)
    }
}

/// This process's own peak RSS.
enum SelfMemory {
    /// `VmHWM` from `/proc/self/status` (Linux), in KiB.
    static func peakKiB() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        }
        return nil
    }
}
