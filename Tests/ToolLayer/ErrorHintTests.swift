import QuiltContract
import QuiltTools
import Testing

/// Contract errors speak of operations; the tool layer adds which tool or command helps.
@Suite("Error hints: the contract names no tool, the tool layer does")
struct ErrorHintTests {
    static let errors: [QuiltOpsError] = [
        .notFound(.registry("s3://b")), .notFound(.package(name: "a/b", registry: "s3://b")),
        .notFound(.revision(name: "a/b", reference: "abc123", registry: "s3://b")), .notFound(.entry(path: "x", package: "a/b")),
        .notFound(.object("s3://b/k")), .invalidInput(field: "limit", reason: "r"), .conflict("moved"), .unauthenticated("u"),
        .forbidden("f"), .unsupported(operation: "search", backend: "memory"), .remote("r", retryable: true),
        .remote("r", retryable: false), .cancelled("c"), .tooLarge(what: "w", limit: 1, unit: "bytes", setting: "QUILT_MCP_MAX_OBJECT_BYTES"),
        .readOnly(operation: "createRevision", setting: "--read-only, QUILT_MCP_READ_ONLY"),
    ]

    @Test("No contract hint names a tool or a quilt-mcp command", arguments: errors)
    func contractHints(_ error: QuiltOpsError) {
        let names = ToolCatalog.all.map(\.definition.name) + ["quilt-mcp", "force=true"]
        #expect(!error.hint.isEmpty)
        for name in names { #expect(!error.hint.contains(name), "\(error.kind): '\(error.hint)' names \(name)") }
    }

    @Test("The tool layer names the tool that helps")
    func toolHints() {
        #expect(ToolError(.notFound(.revision(name: "a/b", reference: "x", registry: "s3://b"))).hint.contains("package_versions"))
        #expect(ToolError(.notFound(.entry(path: "x", package: "a/b"))).hint.contains("package_browse"))
        #expect(ToolError(.conflict("moved")).hint.contains("force=true"))
        #expect(ToolError(.unsupported(operation: "search", backend: "memory")).hint.hasSuffix("`quilt-mcp mode` shows the resolved backend."))
        #expect(ToolError(.cancelled("c")).hint == QuiltOpsError.cancelled("c").hint)
    }
}
