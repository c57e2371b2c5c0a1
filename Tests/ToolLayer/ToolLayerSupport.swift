import Foundation
import QuiltContract
import QuiltJSON
import QuiltRegistry
import QuiltStorage
import QuiltTestSupport
import QuiltTools
import Testing

/// A backend configuration the tool-layer scenarios run against.
struct ToolBackend: Sendable, CustomTestStringConvertible {
    enum Kind: String, Sendable { case memory, file, memoryReadOnly = "memory-readonly" }
    let kind: Kind
    var testDescription: String { kind.rawValue }
    var writes: Bool { kind != .memoryReadOnly }

    static let all = [ToolBackend(kind: .memory), ToolBackend(kind: .file), ToolBackend(kind: .memoryReadOnly)]
    static let writing = all.filter(\.writes)

    /// A fresh session: the tools over this backend, and a fully capable seeder sharing its storage.
    func session() throws -> ToolSession {
        let clock = TickingClock()
        switch kind {
        case .memory, .memoryReadOnly:
            let resolver = LocalStorageResolver(memory: MemoryStoragePool(), files: .allowed)
            let registry = try RegistryURL.memory("tools-\(UUID().uuidString.prefix(8))")
            var capabilities = RegistryEngine.localCapabilities
            if kind == .memoryReadOnly { capabilities.subtract(RegistryEngine.writeCapabilities) }
            let ops = RegistryEngine(
                backendID: BackendID(rawValue: kind.rawValue), resolver: resolver, capabilities: capabilities,
                knownRegistries: [registry], clock: { clock.tick() })
            let seeder = RegistryEngine(backendID: "memory", resolver: resolver, knownRegistries: [registry], clock: { clock.tick() })
            // Behind the gate, as BackendFactory serves every backend.
            return ToolSession(ops: CapabilityGate(ops), seeder: seeder, registry: registry, scratch: nil)
        case .file:
            let scratch = NSTemporaryDirectory() + "quilt-tools-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: scratch + "/registry", withIntermediateDirectories: true)
            let registry = try RegistryURL.file(scratch + "/registry")
            let engine = RegistryEngine(
                backendID: "file", resolver: LocalStorageResolver(files: .allowed), knownRegistries: [registry], clock: { clock.tick() })
            return ToolSession(ops: engine, seeder: engine, registry: registry, scratch: scratch)
        }
    }
}

/// Something that makes tool calls from JSON text.
protocol ToolCaller: Sendable {
    func call(_ tool: String, _ arguments: String) async throws(ToolError) -> JSONValue
}

extension ToolCaller {
    /// The typed error of a failing call (nil when it succeeds).
    func failure(_ tool: String, _ arguments: String) async -> QuiltOpsError? {
        do {
            _ = try await call(tool, arguments)
            return nil
        } catch {
            return error.error
        }
    }
}

/// Tool calls against one backend, exactly as the MCP server and the CLI make them (`ToolCatalog.call`).
struct ToolSession: ToolCaller {
    let ops: any QuiltOps
    let seeder: any QuiltOps
    let registry: RegistryURL
    let scratch: String?

    /// Calls `tool` with `arguments` (JSON text, so numbers are exactly as written) through the tools.
    func call(_ tool: String, _ arguments: String) async throws(ToolError) -> JSONValue {
        try await ToolCatalog.call(tool, arguments: Self.object(arguments), context: ToolContext(ops: ops, defaultRegistry: registry))
    }

    /// The same call through the fully capable seeder (read-only backends are seeded this way).
    func seed(_ tool: String, _ arguments: String) async throws(ToolError) -> JSONValue {
        try await ToolCatalog.call(tool, arguments: Self.object(arguments), context: ToolContext(ops: seeder, defaultRegistry: registry))
    }

    func teardown() {
        if let scratch { try? FileManager.default.removeItem(atPath: scratch) }
    }

    static func object(_ text: String) -> JSONObject {
        guard case .object(let o)? = try? JSONParser.parse(text) else { return [:] }
        return o
    }
}

/// Runs `body` with a fresh session of `backend`, torn down afterwards.
func withSession(_ backend: ToolBackend, _ body: (ToolSession) async throws -> Void) async throws {
    let session = try backend.session()
    defer { session.teardown() }
    try await body(session)
}
