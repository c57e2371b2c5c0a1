import QuiltJSON

/// How a catalog's GraphQL schema offers package search (it changed shape in 2026-08).
public enum PackageSearchForm: String, Sendable, Hashable {
    /// HEAD (2026-08): `firstPage(size:, ordering: PackageOrdering)` returning `PackagesFirstPageResult`.
    case ordering
    /// 2025-08 … 2026-06: `firstPage(size:, order: SearchResultOrder)` returning the page.
    case order
    /// No usable GraphQL package search: use `/api/search`.
    case rest
}

/// What a catalog's schema supports, learned once per registry by the `SchemaProbe` introspection query.
public struct SchemaFeatures: Sendable, Hashable {
    public var packageSearch: PackageSearchForm
    /// `searchObjects` with `ObjectsSearchResultSet` exists (2025-08 on); else objects are searched over REST.
    public var objectSearch: Bool

    public init(packageSearch: PackageSearchForm, objectSearch: Bool) {
        self.packageSearch = packageSearch
        self.objectSearch = objectSearch
    }

    /// Features for a catalog whose schema cannot be introspected: REST search only.
    public static let restOnly = SchemaFeatures(packageSearch: .rest, objectSearch: false)

    /// Reads the `SchemaProbe` answer (`data`).
    public static func from(probe data: JSONValue) -> SchemaFeatures {
        let fields = data["packageResults"]?["fields"]?.arrayValue ?? []
        let firstPageArgs = fields.first { $0["name"]?.stringValue == "firstPage" }?["args"]?.arrayValue?
            .compactMap { $0["name"]?.stringValue } ?? []
        let form: PackageSearchForm
        if data["ordering"]?["name"]?.stringValue == "PackageOrdering", firstPageArgs.contains("ordering") {
            form = .ordering
        } else if firstPageArgs.contains("order") {
            form = .order
        } else {
            form = .rest
        }
        let objects = data["objectResults"]?["name"]?.stringValue == "ObjectsSearchResultSet"
        return SchemaFeatures(packageSearch: form, objectSearch: objects)
    }
}
