import Foundation
import QuiltContract
import QuiltJSON
import QuiltQuery
import QuiltRegistry
import QuiltStorage
import Testing

/// The embedded engine over the package real quilt3 built (Fixtures/quilt3-tabular): quilt3's manifest and files,
/// read through the file backend, answer what Python's readers computed.
@Suite("SQL over a package quilt3 built")
struct TabularRegistryTests {
    static var fixture: String {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { dir.deleteLastPathComponent() }
        return dir.path + "/Fixtures/quilt3-tabular"
    }

    /// The registry at the fixed path its physical keys name (the generator built it there). Copied fresh beside it
    /// and renamed into place, so concurrent runs never see half a copy.
    static func install() throws -> String {
        let expected = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: fixture + "/expected.json"))))
        let root = try #require(expected["generated_registry_root"]?.stringValue)
        let staging = root + ".staging-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: fixture + "/registry", toPath: staging)
        try? FileManager.default.removeItem(atPath: root)
        if rename(staging, root) != 0 { try? FileManager.default.removeItem(atPath: staging) }
        return root
    }

    @Test("quilt3's top hash resolves, and every query answers what Python computed")
    func answers() async throws {
        let root = try Self.install()
        let expected = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: Self.fixture + "/expected.json"))))
        let registry = try RegistryURL.file(root)
        let ops = CapabilityGate(RegistryEngine(backendID: "file", resolver: LocalStorageResolver(files: .allowed), knownRegistries: [registry]))
        let engine = EmbeddedQueryEngine(ops: ops, byteLimit: (1 << 20, "QUILT_MCP_MAX_OBJECT_BYTES"))
        let queries = try #require(expected["queries"]?.arrayValue)
        #expect(queries.count >= 10)
        for q in queries {
            let text = try #require(q["query"]?.stringValue)
            let result = try await engine.packageQuery(PackageQueryRequest(
                package: try PackageName("tabular/sales"), registry: registry, query: text))
            #expect(result.revision.hash.rawValue == expected["top_hash"]?.stringValue)
            let rows = (q["rows"]?.arrayValue ?? []).map { $0.arrayValue ?? [] }
            #expect(result.rows.count == rows.count, "\(text)")
            for (got, want) in zip(result.rows, rows) {
                #expect(got.count == want.count, "\(text)")
                for (a, b) in zip(got, want) {
                    if let x = a.numberValue, let y = b.numberValue { #expect(x.doubleValue == y.doubleValue, "\(text)") } else { #expect(a == b, "\(text)") }
                }
            }
        }
    }
}
