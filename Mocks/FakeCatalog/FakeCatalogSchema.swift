import Foundation
package import GraphQL
import QuiltJSON

/// The fake catalog's schema: the project's own SDL (`Mocks/FakeCatalog/Schema`), in the variants deployed catalogs
/// have had. Each variant stands for one published schema and is compared with it by `check_against_reference.py`.
package enum FakeCatalogSchema {
    /// Which catalog's schema the fake serves (the raw value is the fake-catalog's `--schema` spelling).
    package enum Variant: String, Sendable, CaseIterable {
        /// HEAD (0ce2dfb39, 2026-08): `PackagesSearchResultSet.firstPage(ordering: PackageOrdering)` returns a union.
        case head = "2026-08"
        /// 2026-06-10 (bb1b520c0): `firstPage(order: SearchResultOrder)` returns the page.
        case jun2026 = "2026-06"
        /// 2025-08-22 (367e8ec5c): as 2026-06 in every part quilt-mcp uses.
        case aug2025 = "2025-08"
        /// 2025-07-18 (09d5fd68e): the search unions have no OperationError member.
        case jul2025 = "2025-07"
        /// The enterprise variant quilt-mcp-server was built against: as 2025-07 in every part quilt-mcp uses.
        case enterprise = "enterprise"
        /// 2024-11-19 (8dd6815e8): search without `total`, `latestOnly` or `matchLocations` (quilt-mcp uses REST
        /// search there) and `packagePromote` without `destPrefix`.
        case nov2024 = "2024-11"
        /// No GraphQL search at all (clients must use `/api/search`).
        case noSearch = "none"

        /// The SDL files (`Schema/<name>.graphql`) that make this variant, in order, as `Schema/variants.json` lists
        /// them (empty when the list is missing, and the schema then fails to build, loudly).
        package var files: [String] {
            let list = FakeCatalogSchema.manifest["variants"]?[rawValue]?["files"]?.arrayValue ?? []
            return list.compactMap(\.stringValue)
        }

        /// The published schema this variant stands for (a file name in the reference set), from `variants.json`.
        package var reference: String? { FakeCatalogSchema.manifest["variants"]?[rawValue]?["reference"]?.stringValue }

        /// Whether a deployed catalog serves this schema (`none` is a made-up subset, for a catalog without search).
        package var isCatalog: Bool { FakeCatalogSchema.manifest["variants"]?[rawValue]?["catalog"]?.boolValue ?? true }

        /// Whether `PackagesSearchResultSet.firstPage` takes `ordering:` and returns a union (HEAD).
        package var firstPageIsUnion: Bool { self == .head }
    }

    /// The SDL text of `variant`: its files, joined.
    package static func sdl(_ variant: Variant) -> String {
        variant.files.map(file).joined(separator: "\n")
    }

    /// The schema of `variant`, built with GraphQLSwift's `buildSchema` from the SDL (cached).
    package static func schema(_ variant: Variant) throws -> GraphQLSchema {
        try cache.schema(variant) { try buildSchema(source: sdl(variant)) }
    }

    /// `Schema/variants.json`, read once.
    static let manifest: JSONValue = {
        guard let url = Bundle.module.url(forResource: "variants", withExtension: "json", subdirectory: "Schema"),
            let data = try? Data(contentsOf: url), let json = try? JSONParser.parse(Array(data))
        else { return .null }
        return json
    }()

    static func file(_ name: String) -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: "graphql", subdirectory: "Schema"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return "" }
        return text
    }

    static let cache = SchemaCache()
}

/// Built schemas by variant (building one takes a few milliseconds; every fake shares them).
final class SchemaCache: @unchecked Sendable {
    private let lock = NSLock()
    private var built: [FakeCatalogSchema.Variant: GraphQLSchema] = [:]
    func schema(_ v: FakeCatalogSchema.Variant, _ make: () throws -> GraphQLSchema) throws -> GraphQLSchema {
        lock.lock()
        defer { lock.unlock() }
        if let s = built[v] { return s }
        let s = try make()
        built[v] = s
        return s
    }
}
