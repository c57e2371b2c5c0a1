import QuiltJSON
import QuiltContract

/// MCP tool annotations (hints for clients).
public struct ToolAnnotations: Sendable, Hashable {
    public var readOnly: Bool
    public var destructive: Bool
    public var idempotent: Bool
    /// True when the tool reaches outside this server (S3, a catalog).
    public var openWorld: Bool
    public init(readOnly: Bool, destructive: Bool = false, idempotent: Bool = false, openWorld: Bool = true) {
        self.readOnly = readOnly
        self.destructive = destructive
        self.idempotent = idempotent
        self.openWorld = openWorld
    }
    /// The MCP `annotations` object.
    public var json: JSONValue {
        [
            "readOnlyHint": .bool(readOnly), "destructiveHint": .bool(destructive), "idempotentHint": .bool(idempotent),
            "openWorldHint": .bool(openWorld),
        ]
    }
}

/// What a client sees of a tool: name, description, schemas and annotations.
public struct ToolDefinition: Sendable {
    public var name: String
    public var title: String
    public var description: String
    public var parameters: [Param]
    public var outputSchema: JSONValue
    public var annotations: ToolAnnotations
    /// The JSON Schema of the arguments, generated from `parameters` (the same list that decodes them).
    public var inputSchema: JSONValue { Param.schema(parameters) }
    /// The MCP `Tool` object.
    public var json: JSONValue {
        [
            "name": .string(name), "title": .string(title), "description": .string(description),
            "inputSchema": inputSchema, "outputSchema": outputSchema, "annotations": annotations.json,
        ]
    }
}

/// A tool failure: bad arguments, or a typed failure from the backend.
public struct ToolError: Error, Sendable, Equatable {
    public var error: QuiltOpsError
    public init(_ error: QuiltOpsError) { self.error = error }

    /// What to do next, naming the tools (and the CLI command) that help; the contract's own hint otherwise.
    public var hint: String {
        switch error {
        case .notFound(.package), .notFound(.registry):
            return "Check the registry URL and package name; packages_list shows what exists."
        case .notFound(.revision):
            return "package_versions lists the revisions, their hashes and tags."
        case .notFound(.entry):
            return "package_browse lists the entries of a revision."
        case .conflict:
            return "Re-read the package (its latest revision moved) and retry, or pass force=true to overwrite latest."
        case .unauthenticated:
            return error.hint.dropLast() + "; `quilt-mcp mode` shows which auth is in use."
        case .unsupported:
            return error.hint.dropLast() + "; `quilt-mcp mode` shows the resolved backend."
        default:
            return error.hint
        }
    }

    /// `{"kind", "message", "hint", "field"?}` — the structured error every failed call returns.
    public var json: JSONValue {
        var o: JSONObject = [
            "kind": .string(error.kind), "message": .string(error.message), "hint": .string(hint),
        ]
        if case .invalidInput(let field, _) = error { o["field"] = .string(field) }
        return .object(["error": .object(o)])
    }
}

/// Everything a tool call may use. Built by the caller (CLI or MCP server) from the resolved mode.
public struct ToolContext: Sendable {
    public var ops: any QuiltOps
    /// The registry used when a call names none.
    public var defaultRegistry: RegistryURL?
    /// Receives progress of long operations (MCP progress notifications).
    public var progress: ProgressHandler?
    /// The configured catalog (web) URL, used by `catalog_url`/`catalog_uri` when the call names none.
    public var catalogURL: String?
    public init(ops: any QuiltOps, defaultRegistry: RegistryURL?, progress: ProgressHandler? = nil, catalogURL: String? = nil) {
        self.ops = ops
        self.defaultRegistry = defaultRegistry
        self.progress = progress
        self.catalogURL = catalogURL
    }
}

/// One tool: its definition and its implementation.
public struct Tool: Sendable {
    public var definition: ToolDefinition
    public var run: @Sendable (Arguments, ToolContext) async throws(QuiltOpsError) -> JSONValue
    public init(
        _ definition: ToolDefinition, run: @escaping @Sendable (Arguments, ToolContext) async throws(QuiltOpsError) -> JSONValue
    ) {
        self.definition = definition
        self.run = run
    }
}
