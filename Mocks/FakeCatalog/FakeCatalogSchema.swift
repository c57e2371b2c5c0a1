import Foundation
import GraphQL

/// The fake catalog's schema: the project's own SDL (`Mocks/FakeCatalog/Schema`), in the variants deployed catalogs
/// have had.
public enum FakeCatalogSchema {
    /// Which schema the fake serves.
    public enum Variant: String, Sendable, CaseIterable {
        /// HEAD (2026-08): `PackagesSearchResultSet.firstPage(ordering: PackageOrdering)`.
        case current = "2026-08"
        /// 2025-08 … 2026-06: `firstPage(order: SearchResultOrder)`.
        case legacySearch = "2025-08"
        /// No GraphQL search at all (clients must use `/api/search`).
        case noSearch = "none"
    }

    /// The SDL text of `variant`: `schema.graphql` plus the search files it has.
    public static func sdl(_ variant: Variant) -> String {
        var parts = [file("schema")]
        switch variant {
        case .current: parts += [file("search.common"), file("search.2026-08")]
        case .legacySearch: parts += [file("search.common"), file("search.2025-08")]
        case .noSearch: break
        }
        return parts.joined(separator: "\n")
    }

    /// The schema of `variant`, built with GraphQLSwift's `buildSchema` from the SDL (cached).
    public static func schema(_ variant: Variant) throws -> GraphQLSchema {
        try cache.schema(variant) { try buildSchema(source: sdl(variant)) }
    }

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
