import Foundation
import QuiltContract
import QuiltRegistry
import QuiltStorage

/// The real quilt3 local registry committed under Fixtures/quilt3/registry, and its expectations.
enum FixtureRegistry {
    static func root() throws -> String {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.pathComponents.count > 1 {
            let candidate = dir.appendingPathComponent("Fixtures/quilt3")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("expected.json").path) {
                return candidate.path
            }
            dir.deleteLastPathComponent()
        }
        throw CocoaError(.fileNoSuchFile)
    }

    static func expected() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: try root() + "/expected.json"))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    /// A read-only engine over a copy of the fixture registry (so no test can modify the committed files).
    static func engine(copyTo scratch: String) throws -> (RegistryEngine, RegistryURL) {
        let dest = scratch + "/registry"
        try FileManager.default.copyItem(atPath: try root() + "/registry", toPath: dest)
        let registry = try RegistryURL.file(dest)
        return (RegistryEngine(backendID: "file", resolver: LocalStorageResolver(files: .allowed), knownRegistries: [registry]), registry)
    }

    static func scratch() throws -> String {
        let dir = NSTemporaryDirectory() + "quilt-backend-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}
