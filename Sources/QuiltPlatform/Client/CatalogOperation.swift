import Foundation

/// Every GraphQL operation quilt-mcp sends to a catalog. Each lives in its own file,
/// `Sources/QuiltPlatform/Operations/<Name>.graphql`, named after the operation and loaded from the module's resource
/// bundle, so it can be reviewed and validated (`Tests/Platform`) against the project's SDL on its own.
public enum CatalogOperation: String, CaseIterable, Sendable {
    case schemaProbe = "SchemaProbe"
    case me = "Me"
    case bucketConfigs = "BucketConfigs"
    case packageList = "PackageList"
    case packageRevisions = "PackageRevisions"
    case revisionHash = "RevisionHash"
    case revisionInfo = "RevisionInfo"
    case revisionContents = "RevisionContents"
    case revisionDir = "RevisionDir"
    case searchPackages = "SearchPackages"
    case searchPackagesLegacy = "SearchPackagesLegacy"
    case searchMorePackages = "SearchMorePackages"
    case searchObjects = "SearchObjects"
    case packageConstruct = "PackageConstruct"
    case packagePromote = "PackagePromote"
    case packageRevisionDelete = "PackageRevisionDelete"

    /// The operation name, as written in its document and sent as `operationName`.
    public var name: String { rawValue }

    /// Mutations change state and are never retried; queries are idempotent and are.
    public var isMutation: Bool {
        switch self {
        case .packageConstruct, .packagePromote, .packageRevisionDelete: return true
        default: return false
        }
    }

    /// The operation's GraphQL document, or nil when the resource bundle does not hold it.
    public var document: String? { Self.documents[rawValue] }

    /// Every document, read once from the resource bundle on first use.
    static let documents: [String: String] = {
        var out: [String: String] = [:]
        for op in CatalogOperation.allCases {
            guard let url = Bundle.module.url(forResource: op.rawValue, withExtension: "graphql", subdirectory: "Operations"),
                let text = try? String(contentsOf: url, encoding: .utf8)
            else { continue }
            out[op.rawValue] = text
        }
        return out
    }()
}
