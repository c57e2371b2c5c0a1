import FakeCatalog
import GraphQL
import QuiltPlatform
import Testing

/// Every GraphQL operation the Platform backend sends is valid against the project's SDL (the catalog's real type
/// and field names), for each schema variant it is sent to.
@Suite("Platform: GraphQL operations against the SDL")
struct OperationValidationTests {
    /// The search form each variant has; other operations go to every variant.
    static func variants(for op: CatalogOperation) -> [FakeCatalogSchema.Variant] {
        switch op {
        case .searchPackages: return [.current]
        case .searchPackagesLegacy: return [.legacySearch]
        case .searchMorePackages, .searchObjects: return [.current, .legacySearch]
        default: return FakeCatalogSchema.Variant.allCases
        }
    }

    @Test("Each operation file exists, is named after its operation and validates", arguments: CatalogOperation.allCases)
    func validates(_ op: CatalogOperation) throws {
        let text = try #require(op.document, "Operations/\(op.name).graphql is missing from the resource bundle")
        let document = try parse(source: text)
        let operations = document.definitions.compactMap { $0 as? OperationDefinition }
        #expect(operations.count == 1)
        #expect(operations.first?.name?.value == op.name, "the file's operation must be named \(op.name)")
        #expect((operations.first?.operation == .mutation) == op.isMutation)
        for variant in Self.variants(for: op) {
            let errors = validate(schema: try FakeCatalogSchema.schema(variant), ast: document)
            #expect(errors.isEmpty, "\(op.name) against \(variant.rawValue): \(errors.map(\.message))")
        }
    }

    @Test("Each search form is invalid on the schema that lacks it (why the probe exists)")
    func driftIsReal() throws {
        let current = try parse(source: try #require(CatalogOperation.searchPackages.document))
        let legacy = try parse(source: try #require(CatalogOperation.searchPackagesLegacy.document))
        #expect(!validate(schema: try FakeCatalogSchema.schema(.legacySearch), ast: current).isEmpty)
        #expect(!validate(schema: try FakeCatalogSchema.schema(.current), ast: legacy).isEmpty)
        #expect(!validate(schema: try FakeCatalogSchema.schema(.noSearch), ast: current).isEmpty)
    }

    @Test("Union results always select __typename")
    func unionsSelectTypename() throws {
        for op in CatalogOperation.allCases where op.isMutation || op.name.hasPrefix("Search") {
            let text = try #require(op.document)
            #expect(text.contains("__typename"), "\(op.name) selects a union without __typename")
            #expect(text.contains("... on OperationError"), "\(op.name) does not map OperationError")
        }
    }
}
