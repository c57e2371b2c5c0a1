package import QuiltJSON

/// How a catalog's GraphQL schema offers package search (it changed shape in 2026-08).
package enum PackageSearchForm: String, Sendable, Hashable {
    /// HEAD (2026-08): `firstPage(size:, ordering: PackageOrdering)` returning `PackagesFirstPageResult`.
    case ordering
    /// 2025-07 … 2026-06: `firstPage(size:, order: SearchResultOrder)` returning the page.
    case order
    /// No usable GraphQL package search (none, or 2024-11's without `total` and `latestOnly`): use `/api/search`.
    case rest
}

/// Where a catalog's schema has Tabulator's table mutations.
package enum TabulatorForm: String, Sendable, Hashable {
    /// `bucketSetTabulatorTable` and `bucketRenameTabulatorTable` on `Mutation` (2026-06 on).
    case topLevel
    /// Only under `admin` (2024-11 … 2025-08).
    case admin
    /// Not at all.
    case none
}

/// What a catalog's schema supports, learned once per registry by the `SchemaProbe` introspection query. Each
/// operation the backend sends is chosen or shaped by these (``CatalogOperation/document(for:)``), so that it
/// validates on the catalog it goes to.
package struct SchemaFeatures: Sendable, Hashable {
    package var packageSearch: PackageSearchForm
    /// `searchObjects` with `ObjectsSearchResultSet.total` exists (2025-07 on); else objects are searched over REST.
    package var objectSearch: Bool
    /// The search result unions have an `OperationError` member (2025-08 on); before, search documents must not
    /// spread it.
    package var searchOperationError: Bool
    /// `packagePromote` takes `destPrefix` (2025-07 on).
    package var promoteDestPrefix: Bool
    /// Where Tabulator's table mutations are: top-level (2026-06 on), under `admin` (before), or nowhere.
    package var tabulatorTables: TabulatorForm
    /// `admin.setTabulatorOpenQuery` exists (2025-07 on).
    package var tabulatorOpenQuery: Bool
    /// `admin.user` (users, roles, SSO) exists: every published catalog schema has it.
    package var userAdmin: Bool
    /// `admin.apiKeys` and `apiKeyCreate` exist (2026-06 on).
    package var adminAPIKeys: Bool
    /// `admin.packager` (event rules) exists (2025-07 on).
    package var adminPackager: Bool
    /// `InsufficientPermissions` has a `message` (2026-06 on); before, bucket documents must not select it.
    package var bucketRefusalMessage: Bool
    /// Buckets have `prefixes` (2026-06 on); before, bucket documents must not select or send them.
    package var bucketPrefixes: Bool

    package init(
        packageSearch: PackageSearchForm, objectSearch: Bool, searchOperationError: Bool = true, promoteDestPrefix: Bool = true,
        tabulatorTables: TabulatorForm = .topLevel, tabulatorOpenQuery: Bool = true, userAdmin: Bool = true,
        adminAPIKeys: Bool = true, adminPackager: Bool = true, bucketRefusalMessage: Bool = true,
        bucketPrefixes: Bool = true
    ) {
        self.packageSearch = packageSearch
        self.objectSearch = objectSearch
        self.searchOperationError = searchOperationError
        self.promoteDestPrefix = promoteDestPrefix
        self.tabulatorTables = tabulatorTables
        self.tabulatorOpenQuery = tabulatorOpenQuery
        self.userAdmin = userAdmin
        self.adminAPIKeys = adminAPIKeys
        self.adminPackager = adminPackager
        self.bucketRefusalMessage = bucketRefusalMessage
        self.bucketPrefixes = bucketPrefixes
    }

    /// Features for a catalog whose schema cannot be introspected: REST search; everything else as current catalogs
    /// have it (a field such a catalog lacks is reported by the catalog when it is sent).
    package static let restOnly = SchemaFeatures(packageSearch: .rest, objectSearch: false)

    /// Reads the `SchemaProbe` answer (`data`).
    package static func from(probe data: JSONValue) -> SchemaFeatures {
        let queryArgs = arguments(data["query"], field: "searchPackages")
        let packageFields = names(data["packageResults"]?["fields"])
        let firstPageArgs = arguments(data["packageResults"], field: "firstPage")
        let searchable = queryArgs.contains("latestOnly") && packageFields.contains("total")
        let form: PackageSearchForm
        if !searchable {
            form = .rest
        } else if data["ordering"]?["name"]?.stringValue == "PackageOrdering", firstPageArgs.contains("ordering") {
            form = .ordering
        } else if firstPageArgs.contains("order") {
            form = .order
        } else {
            form = .rest
        }
        return SchemaFeatures(
            packageSearch: form,
            objectSearch: names(data["objectResults"]?["fields"]).contains("total"),
            searchOperationError: names(data["packageResult"]?["possibleTypes"]).contains("OperationError"),
            promoteDestPrefix: arguments(data["mutation"], field: "packagePromote").contains("destPrefix"),
            tabulatorTables: names(data["mutation"]?["fields"]).contains("bucketSetTabulatorTable")
                ? .topLevel : names(data["adminMutation"]?["fields"]).contains("bucketSetTabulatorTable") ? .admin : .none,
            tabulatorOpenQuery: names(data["adminMutation"]?["fields"]).contains("setTabulatorOpenQuery"),
            userAdmin: names(data["adminMutation"]?["fields"]).contains("user"),
            adminAPIKeys: names(data["adminMutation"]?["fields"]).contains("apiKeys"),
            adminPackager: names(data["adminMutation"]?["fields"]).contains("packager"),
            bucketRefusalMessage: names(data["insufficientPermissions"]?["fields"]).contains("message"),
            bucketPrefixes: names(data["bucketConfig"]?["fields"]).contains("prefixes"))
    }

    /// The `name`s in an introspection list.
    static func names(_ list: JSONValue?) -> Set<String> {
        Set((list?.arrayValue ?? []).compactMap { $0["name"]?.stringValue })
    }

    /// The argument names of `field` in an introspected type.
    static func arguments(_ type: JSONValue?, field: String) -> Set<String> {
        let match = type?["fields"]?.arrayValue?.first { $0["name"]?.stringValue == field }
        return names(match?["args"])
    }
}

extension SchemaFeatures {
    /// The operation a package search sends to this catalog; nil when it searches through `/api/search`.
    package var packageSearchOperation: CatalogOperation? {
        switch packageSearch {
        case .ordering: .searchPackages
        case .order: .searchPackagesLegacy
        case .rest: nil
        }
    }

    /// The operation an object search sends to this catalog; nil when it searches through `/api/search`.
    package var objectSearchOperation: CatalogOperation? { objectSearch ? .searchObjects : nil }

    /// Every operation the backend may send to a catalog with these features (each shaped by
    /// ``CatalogOperation/document(for:)``); the tests validate each against the schema of every catalog.
    package var operations: [CatalogOperation] {
        CatalogOperation.allCases.filter { op in
            switch op {
            case .searchPackages, .searchPackagesLegacy: op == packageSearchOperation
            case .searchMorePackages: packageSearchOperation != nil
            case .searchObjects, .searchMoreObjects: objectSearchOperation != nil
            case .tabulatorSetTable, .tabulatorRenameTable: tabulatorTables != .none
            case .tabulatorOpenQuery, .tabulatorSetOpenQuery: tabulatorOpenQuery
            case .adminAPIKeys, .adminAPIKeyCreate, .adminAPIKeyRevoke: userAdmin && adminAPIKeys
            case .adminEventRules, .adminEventRuleToggle: userAdmin && adminPackager
            case _ where op.isAdmin: userAdmin
            default: true
            }
        }
    }
}
