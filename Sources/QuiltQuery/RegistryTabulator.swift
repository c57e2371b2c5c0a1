package import QuiltContract
import QuiltJSON

/// Tabulator without a catalog: the definitions are kept in the registry itself and the tables are made and queried
/// in this process, with SQLite, from the registry's packages (local, S3 or memory; any backend that reads packages).
///
/// A registry's definitions are one JSON document at ``documentKey`` (`{"tables": [{"name", "config"}]}`, sorted by
/// name; each config the catalog's YAML), read and written through the package backend's object calls, so one write
/// replaces the whole set: a rename or delete is never half done. Two writers at once: the last one wins (the
/// document is small and changes rarely; `docs/design/query.md`).
///
/// A query makes each table it names (see ``queryTables(_:)``) from the latest revision of every package whose name
/// matches the definition, checking every file against its hash and counting it against the byte budget.
package struct RegistryTabulator: TabulatorOps {
    package let tabulatorID = "registry"
    package let tabulatorCapabilities: Set<TabulatorCapability> = [.tables, .query]
    /// The package backend the definitions and files are read through.
    let ops: any QuiltOps
    /// The most bytes of files one query may read, and the setting that chose it.
    package var byteLimit: (bytes: Int64, setting: String)
    /// How long one statement may run.
    package var timeLimit: Duration

    /// Where a registry keeps its Tabulator definitions, relative to its root.
    package static let documentKey = ".quilt/tabulator/tables.json"
    /// The most bytes the definitions document may have.
    static let documentLimit = 4 << 20

    package init(ops: any QuiltOps, byteLimit: (bytes: Int64, setting: String), timeLimit: Duration = .seconds(30)) {
        self.ops = ops
        self.byteLimit = byteLimit
        self.timeLimit = timeLimit
    }

    // MARK: - Tables

    package func tabulatorTables(registry: RegistryURL) async throws(QuiltOpsError) -> [TabulatorTable] {
        try await stored(registry)
    }

    package func setTabulatorTable(registry: RegistryURL, name: String, config: String?) async throws(QuiltOpsError) -> [TabulatorTable] {
        try Self.checkName(name, field: "table_name")
        var tables = try await stored(registry)
        if let config {
            _ = try TabulatorDefinition(yaml: config)
            tables.removeAll { $0.name == name }
            tables.append(TabulatorTable(name: name, config: config))
        } else {
            // Deleting is idempotent (as on the catalog): a table that is not there is already deleted.
            guard tables.contains(where: { $0.name == name }) else { return tables }
            tables.removeAll { $0.name == name }
        }
        return try await store(tables, registry)
    }

    package func renameTabulatorTable(registry: RegistryURL, name: String, newName: String) async throws(QuiltOpsError) -> [TabulatorTable] {
        try Self.checkName(newName, field: "new_table_name")
        var tables = try await stored(registry)
        guard let index = tables.firstIndex(where: { $0.name == name }) else { throw Self.noTable(name, registry, tables) }
        guard name == newName || !tables.contains(where: { $0.name == newName }) else {
            throw .invalidInput(field: "new_table_name", reason: "'\(newName)' is taken in \(registry.url); delete it first or pick another name.")
        }
        tables[index].name = newName
        return try await store(tables, registry)
    }

    package func tabulatorDataCatalog() async throws(QuiltOpsError) -> String {
        throw .unsupported(operation: "finding a Tabulator data catalog", backend: "registry (no catalog: its tables are queried in this process)")
    }

    package func tabulatorOpenQuery() async throws(QuiltOpsError) -> Bool {
        throw .unsupported(operation: "admin_tabulator_open_query_get", backend: "registry (open query is a catalog setting)")
    }

    package func setTabulatorOpenQuery(_ enabled: Bool) async throws(QuiltOpsError) -> Bool {
        throw .unsupported(operation: "admin_tabulator_open_query_set", backend: "registry (open query is a catalog setting)")
    }

    // MARK: - Helpers

    /// The definitions stored in `registry`, sorted by name; none when it keeps no document yet.
    /// - Throws: `.remote` for a document this server cannot read (it is never overwritten then).
    func stored(_ registry: RegistryURL) async throws(QuiltOpsError) -> [TabulatorTable] {
        let key = registry.physicalKey(Self.documentKey)
        let bytes: [UInt8]
        do {
            bytes = try await ops.readObject(key, range: nil, maxBytes: Self.documentLimit + 1).bytes
        } catch .notFound(.object) {
            return []
        }
        guard bytes.count <= Self.documentLimit else {
            throw .remote("\(key.url) is larger than \(Self.documentLimit) bytes; it is not a Tabulator document this server wrote.", retryable: false)
        }
        let document: JSONValue
        do { document = try JSONParser.parse(bytes) } catch {
            throw .remote("\(key.url) is not JSON (\(error)); fix or remove it to keep Tabulator tables here.", retryable: false)
        }
        guard case .array(let items)? = document["tables"] else {
            throw .remote("\(key.url) has no \"tables\" list; fix or remove it to keep Tabulator tables here.", retryable: false)
        }
        var tables: [TabulatorTable] = []
        for item in items {
            guard let name = item["name"]?.stringValue, let config = item["config"]?.stringValue else {
                throw .remote("\(key.url) has a table without a name or config; fix or remove it.", retryable: false)
            }
            tables.append(TabulatorTable(name: name, config: config))
        }
        return tables.sorted { $0.name < $1.name }
    }

    /// Writes `tables` as the registry's document, in one put; returns them sorted.
    func store(_ tables: [TabulatorTable], _ registry: RegistryURL) async throws(QuiltOpsError) -> [TabulatorTable] {
        let sorted = tables.sorted { $0.name < $1.name }
        let document: JSONValue = [
            "tables": .array(sorted.map { ["name": .string($0.name), "config": .string($0.config)] }),
        ]
        let bytes = Array((JSONWriter.pretty(document) + "\n").utf8)
        _ = try await ops.putObject(ObjectPut(key: registry.physicalKey(Self.documentKey), bytes: bytes, contentType: "application/json"))
        return sorted
    }

    /// Athena's table names, as the catalog checks them: `^[a-z_][a-z0-9_]*$`.
    static func checkName(_ name: String, field: String) throws(QuiltOpsError) {
        guard TabulatorDefinition.isColumnName(name) else {
            throw .invalidInput(field: field, reason: "'\(name)' must match ^[a-z_][a-z0-9_]*$ (lowercase letters, digits, underscores).")
        }
    }

    static func noTable(_ name: String, _ registry: RegistryURL, _ tables: [TabulatorTable]) -> QuiltOpsError {
        let list = tables.isEmpty ? "it has none yet (tabulator_table_create makes one)" : "its tables are " + tables.map(\.name).joined(separator: ", ")
        return .invalidInput(field: "table_name", reason: "no Tabulator table '\(name)' in \(registry.url); \(list).")
    }
}
