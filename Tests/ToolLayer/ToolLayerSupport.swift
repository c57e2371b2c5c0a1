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

    /// The conformance suite's harness for this configuration (the same engine set-up, behind the same gate).
    var harness: any ConformanceHarness {
        switch kind {
        case .memory: MemoryHarness()
        case .memoryReadOnly: MemoryHarness(variant: .readOnly)
        case .file: FileHarness()
        }
    }

    /// A fresh session: the tools over this backend, and a fully capable seeder sharing its storage.
    func session() async throws -> ToolSession {
        let session = try await harness.makeSession(scenario: "tools")
        return ToolSession(ops: session.ops, seeder: session.seeder, registry: session.registry, teardown: session.teardown)
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
    let teardown: @Sendable () async throws -> Void

    /// Calls `tool` with `arguments` (JSON text, so numbers are exactly as written) through the tools.
    func call(_ tool: String, _ arguments: String) async throws(ToolError) -> JSONValue {
        try await ToolCatalog.call(tool, arguments: Self.object(arguments), context: ToolContext(ops: ops, defaultRegistry: registry))
    }

    /// The same call through the fully capable seeder (read-only backends are seeded this way).
    func seed(_ tool: String, _ arguments: String) async throws(ToolError) -> JSONValue {
        try await ToolCatalog.call(tool, arguments: Self.object(arguments), context: ToolContext(ops: seeder, defaultRegistry: registry))
    }

    static func object(_ text: String) -> JSONObject {
        guard case .object(let o)? = try? JSONParser.parse(text) else { return [:] }
        return o
    }
}

/// Runs `body` with a fresh session of `backend`, torn down afterwards.
func withSession(_ backend: ToolBackend, _ body: (ToolSession) async throws -> Void) async throws {
    let session = try await backend.session()
    do {
        try await body(session)
    } catch {
        try? await session.teardown()
        throw error
    }
    try await session.teardown()
}
