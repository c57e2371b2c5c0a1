import FoundationEssentials
package import QuiltContract
import QuiltJSON

/// Databases and tables: Glue for `AwsDataCatalog`, Athena's metadata calls for any other data catalog (a
/// Tabulator or federated catalog Glue does not hold).
extension AthenaEngine {
    static let defaultCatalog = "AwsDataCatalog"

    package func listDatabases(catalog: String?) async throws(QuiltOpsError) -> [SQLDatabase] {
        try require(.sqlCatalog, for: "athena_databases_list")
        let catalog = catalog ?? Self.defaultCatalog
        if catalog == Self.defaultCatalog {
            return try await pages(glue, "GetDatabases", [:], list: "DatabaseList", missing: ("data catalog", catalog)).map {
                SQLDatabase(name: $0["Name"]?.stringValue ?? "", catalog: catalog, description: $0["Description"]?.stringValue)
            }
        }
        let databases = try await pages(
            athena, "ListDatabases", ["CatalogName": .string(catalog), "MaxResults": 50], list: "DatabaseList",
            missing: ("data catalog", catalog)
        ).map { SQLDatabase(name: $0["Name"]?.stringValue ?? "", catalog: catalog, description: $0["Description"]?.stringValue) }
        if databases.isEmpty { try await requireDataCatalog(catalog) }
        return databases
    }

    /// Settles whether an empty answer means an empty catalog or none at all (some endpoints answer an unknown
    /// catalog with no databases rather than an error): `ListDataCatalogs`, every page.
    /// - Throws: `.notFound(.analytics(kind: "data catalog"))` naming the catalogs there are.
    func requireDataCatalog(_ catalog: String) async throws(QuiltOpsError) {
        let known = try await pages(athena, "ListDataCatalogs", [:], list: "DataCatalogsSummary", missing: ("data catalog", catalog))
            .compactMap { $0["CatalogName"]?.stringValue }
        guard !known.contains(catalog) else { return }
        let names = ([Self.defaultCatalog] + known.filter { $0 != Self.defaultCatalog }).joined(separator: ", ")
        throw .notFound(.analytics(kind: "data catalog", name: "\(catalog) (the data catalogs are \(names))"))
    }

    package func listTables(database: String, catalog: String?, pattern: String?) async throws(QuiltOpsError) -> [SQLTable] {
        try require(.sqlCatalog, for: "athena_tables_list")
        let catalog = catalog ?? Self.defaultCatalog
        let tables: [SQLTable]
        if catalog == Self.defaultCatalog {
            tables = try await pages(glue, "GetTables", ["DatabaseName": .string(database)], list: "TableList", missing: ("database", database))
                .map { Self.glueTable($0, database: database, catalog: catalog) }
        } else {
            tables = try await pages(
                athena, "ListTableMetadata",
                ["CatalogName": .string(catalog), "DatabaseName": .string(database), "MaxResults": 50], list: "TableMetadataList",
                missing: ("database", database)
            ).map { Self.athenaTable($0, database: database, catalog: catalog) }
        }
        // Filtered here, the same way on every catalog (Glue's and Athena's `Expression` differ).
        guard let pattern, !pattern.isEmpty else { return tables }
        return tables.filter { Self.matches($0.name, pattern) }
    }

    package func tableSchema(database: String, table: String, catalog: String?) async throws(QuiltOpsError) -> SQLTable {
        try require(.sqlCatalog, for: "athena_table_schema")
        let catalog = catalog ?? Self.defaultCatalog
        let missing = ("table", "\(table) in database \(database)")
        if catalog == Self.defaultCatalog {
            let answer = try await glue.call("GetTable", ["DatabaseName": .string(database), "Name": .string(table)], missing: missing)
            guard let object = answer["Table"]?.objectValue else { throw .notFound(.analytics(kind: missing.0, name: missing.1)) }
            return Self.glueTable(object, database: database, catalog: catalog)
        }
        let answer = try await athena.call(
            "GetTableMetadata", ["CatalogName": .string(catalog), "DatabaseName": .string(database), "TableName": .string(table)],
            missing: missing)
        guard let object = answer["TableMetadata"]?.objectValue else { throw .notFound(.analytics(kind: missing.0, name: missing.1)) }
        return Self.athenaTable(object, database: database, catalog: catalog)
    }

    // MARK: - Shapes

    static func glueTable(_ t: JSONObject, database: String, catalog: String) -> SQLTable {
        let storage = t["StorageDescriptor"]?.objectValue
        return SQLTable(
            name: t["Name"]?.stringValue ?? "", database: database, catalog: catalog, type: t["TableType"]?.stringValue,
            columns: columns(storage?["Columns"]), partitionColumns: columns(t["PartitionKeys"]),
            location: storage?["Location"]?.stringValue,
            created: t["CreateTime"]?.doubleValue.map { Date(timeIntervalSince1970: $0) })
    }

    static func athenaTable(_ t: JSONObject, database: String, catalog: String) -> SQLTable {
        SQLTable(
            name: t["Name"]?.stringValue ?? "", database: database, catalog: catalog, type: t["TableType"]?.stringValue,
            columns: columns(t["Columns"]), partitionColumns: columns(t["PartitionKeys"]),
            location: t["Parameters"]?["location"]?.stringValue,
            created: t["CreateTime"]?.doubleValue.map { Date(timeIntervalSince1970: $0) })
    }

    static func columns(_ list: JSONValue?) -> [QueryResult.Column] {
        (list?.arrayValue ?? []).map { QueryResult.Column(name: $0["Name"]?.stringValue ?? "", type: $0["Type"]?.stringValue ?? "") }
    }

    /// `*` matches any run of characters, `?` one; case-insensitive, as Glue names are lowercase.
    static func matches(_ name: String, _ pattern: String) -> Bool {
        let n = Array(name.lowercased()), p = Array(pattern.lowercased())
        var (i, j, star, mark) = (0, 0, -1, 0)
        while i < n.count {
            if j < p.count, p[j] == "?" || p[j] == n[i] {
                i += 1; j += 1
            } else if j < p.count, p[j] == "*" {
                star = j; mark = i; j += 1
            } else if star >= 0 {
                j = star + 1; mark += 1; i = mark
            } else {
                return false
            }
        }
        while j < p.count, p[j] == "*" { j += 1 }
        return j == p.count
    }

    /// Every page of a `NextToken`-paginated list call.
    func pages(
        _ client: AWSJSONClient, _ operation: String, _ body: JSONObject, list: String, missing: (String, String)
    ) async throws(QuiltOpsError) -> [JSONObject] {
        var items: [JSONObject] = []
        var token: String?
        var request = body
        repeat {
            if let token { request["NextToken"] = .string(token) }
            let page = try await client.call(operation, request, missing: missing)
            items += (page[list]?.arrayValue ?? []).compactMap(\.objectValue)
            token = page["NextToken"]?.stringValue
        } while token != nil && items.count < 100_000
        return items
    }
}
