package import QuiltContract
package import QuiltJSON

/// MCP tool annotations (hints for clients).
package struct ToolAnnotations: Sendable, Hashable {
    package var readOnly: Bool
    package var destructive: Bool
    package var idempotent: Bool
    /// True when the tool reaches outside this server (S3, a catalog).
    package var openWorld: Bool
    package init(readOnly: Bool, destructive: Bool = false, idempotent: Bool = false, openWorld: Bool = true) {
        self.readOnly = readOnly
        self.destructive = destructive
        self.idempotent = idempotent
        self.openWorld = openWorld
    }
    /// The MCP `annotations` object, holding only the hints that differ from the protocol's defaults
    /// (`readOnlyHint` false, `destructiveHint` true, `idempotentHint` false, `openWorldHint` true); the destructive
    /// and idempotent hints mean nothing for a tool that only reads, so they are left out there.
    package var json: JSONValue {
        var o = JSONObject()
        if readOnly {
            o["readOnlyHint"] = true
        } else {
            if !destructive { o["destructiveHint"] = false }
            if idempotent { o["idempotentHint"] = true }
        }
        if !openWorld { o["openWorldHint"] = false }
        return .object(o)
    }
}

/// What a client sees of a tool: name, description, input schema and annotations.
///
/// No `outputSchema`: a schema precise enough to validate every result would cost more of each client's context than
/// the rest of the tool, and a loose one validates nothing. Results carry `structuredContent`, and each description
/// names the fields a model needs (docs/design/tool-surface.md).
package struct ToolDefinition: Sendable {
    package var name: String
    package var title: String
    package var description: String
    package var parameters: [Param]
    package var annotations: ToolAnnotations
    /// The JSON Schema of the arguments, generated from `parameters` (the same list that decodes them).
    package var inputSchema: JSONValue { Param.schema(parameters) }
    /// The MCP `Tool` object.
    package var json: JSONValue {
        var o: JSONObject = [
            "name": .string(name), "title": .string(title), "description": .string(description), "inputSchema": inputSchema,
        ]
        if annotations.json != [:] { o["annotations"] = annotations.json }
        return .object(o)
    }
}

/// A tool failure: bad arguments, or a typed failure from the backend.
package struct ToolError: Error, Sendable, Equatable {
    package var error: QuiltOpsError
    package init(_ error: QuiltOpsError) { self.error = error }

    /// What to do next, naming the tools (and the CLI command) that help; the contract's own hint otherwise.
    package var hint: String {
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
    package var json: JSONValue {
        var o: JSONObject = [
            "kind": .string(error.kind), "message": .string(error.message), "hint": .string(hint),
        ]
        if case .invalidInput(let field, _) = error { o["field"] = .string(field) }
        return .object(["error": .object(o)])
    }
}

/// Everything a tool call may use. Built by the caller (CLI or MCP server) from the resolved mode.
package struct ToolContext: Sendable {
    package var ops: any QuiltOps
    /// The registry used when a call names none.
    package var defaultRegistry: RegistryURL?
    /// Receives progress of long operations (MCP progress notifications).
    package var progress: ProgressHandler?
    /// The configured catalog (web) URL, used by `catalog_url`/`catalog_uri` when the call names none.
    package var catalogURL: String?
    /// The setting that made the deployment read-only (nil when it may write): tools that write are then neither
    /// listed nor run.
    package var readOnly: String?
    /// The toolsets the caller may use and the setting that chose them (its flag and variable, for refusals); nil:
    /// every tool (the command line).
    package var toolsets: (names: Set<String>, setting: String)?
    /// Where ``query``, ``tabulator``, ``access`` and ``admin`` come from when they are not set here: made on first
    /// use, so a call that needs none of them (most do) makes none.
    package var services: (any ToolServices)?
    /// The SQL engine the mode chose (``QueryOps``); nil: query tools answer `unsupported`.
    package var query: (any QueryOps)? {
        get { setQuery ?? services?.query }
        set { setQuery = newValue }
    }
    /// Tabulator (the catalog's tables); nil: tabulator tools answer `unsupported`.
    package var tabulator: (any TabulatorOps)? {
        get { setTabulator ?? services?.tabulator }
        set { setTabulator = newValue }
    }
    /// Access checks (`discover_permissions`, `check_bucket_access`); nil: those tools answer `unsupported`.
    package var access: (any AccessOps)? {
        get { setAccess ?? services?.access }
        set { setAccess = newValue }
    }
    /// Catalog administration (`admin_user_*`, `admin_roles_list`, `admin_sso_config_*`); nil: those tools answer
    /// `unsupported`.
    package var admin: (any AdminOps)? {
        get { setAdmin ?? services?.admin }
        set { setAdmin = newValue }
    }
    private var setQuery: (any QueryOps)?
    private var setTabulator: (any TabulatorOps)?
    private var setAccess: (any AccessOps)?
    private var setAdmin: (any AdminOps)?
    /// Whether answers reach a person directly (the command line), so a secret made for them (a new API key's) may
    /// be shown; false for MCP, where an answer enters the model's context and the client's logs.
    package var showsSecrets = false
    /// The server's resources (`get_resource`); nil: that tool answers `unsupported`.
    package var resources: ResourceAccess?
    package init(
        ops: any QuiltOps, defaultRegistry: RegistryURL?, progress: ProgressHandler? = nil, catalogURL: String? = nil,
        readOnly: String? = nil
    ) {
        self.ops = ops
        self.defaultRegistry = defaultRegistry
        self.progress = progress
        self.catalogURL = catalogURL
        self.readOnly = readOnly
    }
}

/// The engines beside a call's backend that only some tools use, each made when first asked for.
package protocol ToolServices: Sendable {
    /// The SQL engines; nil when there is no backend.
    var query: (any QueryOps)? { get }
    /// Tabulator.
    var tabulator: (any TabulatorOps)? { get }
    /// Access checks; nil when there is no backend.
    var access: (any AccessOps)? { get }
    /// Catalog administration.
    var admin: (any AdminOps)? { get }
}

/// What a call would destroy, put as a question for the user; nil when this call destroys nothing.
package typealias ConsentQuestion = @Sendable (Arguments, ToolContext) async throws(QuiltOpsError) -> String?

/// One tool: its definition and its implementation.
package struct Tool: Sendable {
    package var definition: ToolDefinition
    package var run: @Sendable (Arguments, ToolContext) async throws(QuiltOpsError) -> JSONValue
    /// For a tool that can destroy something: the question to put to the user before a call runs. Such a tool also
    /// takes ``Consent/confirm``, with which a caller says the user already agreed.
    package var consent: ConsentQuestion?
    /// The Python quilt-mcp server's parameter names this tool takes by another name, or refuses with a hint.
    package var pythonNames: [String: PythonName]
    package init(
        _ definition: ToolDefinition, consent: ConsentQuestion? = nil, pythonNames: [String: PythonName] = [:],
        run: @escaping @Sendable (Arguments, ToolContext) async throws(QuiltOpsError) -> JSONValue
    ) {
        self.definition = definition
        self.consent = consent
        self.pythonNames = pythonNames
        self.run = run
        if consent != nil { self.definition.parameters.append(Consent.confirm) }
    }

    /// The call's arguments, validated: the Python server's names taken (``PythonName``), then checked against the
    /// parameters. - Throws: `invalidInput` naming the argument.
    package func arguments(_ raw: JSONObject) throws(QuiltOpsError) -> Arguments {
        try Arguments(try PythonName.translate(raw, for: self), params: definition.parameters)
    }
}

/// Consent before a call that destroys something (a package or revision deleted, entries removed, objects
/// overwritten): the server asks the user (elicitation, or `InputRequiredResult` in 2026-07-28) or, for a client
/// that can ask no one, refuses until the caller passes `confirm: true`.
package enum Consent {
    /// The argument with which a caller says the user has agreed to what the call destroys.
    package static let confirm = Param("confirm", .boolean, "The user agreed to it.")

    /// "3 entries (a, b, c)", naming at most five.
    static func list(_ items: [String], noun: String, plural: String) -> String {
        let shown = items.prefix(5).joined(separator: ", ") + (items.count > 5 ? ", …" : "")
        return "\(items.count) \(items.count == 1 ? noun : plural) (\(shown))"
    }
}
