import FoundationEssentials

/// Every GraphQL operation quilt-mcp sends to a catalog. Each lives in its own file,
/// `Sources/QuiltPlatform/Operations/<Name>.graphql`, named after the operation and embedded in the binary at build
/// time, so it can be reviewed and validated (`Tests/Platform`) against the project's SDL on its own.
package enum CatalogOperation: String, CaseIterable, Sendable {
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
    case searchMoreObjects = "SearchMoreObjects"
    case searchObjects = "SearchObjects"
    case packageConstruct = "PackageConstruct"
    case packagePromote = "PackagePromote"
    case packageRevisionDelete = "PackageRevisionDelete"
    case tabulatorTables = "TabulatorTables"
    case tabulatorSetTable = "TabulatorSetTable"
    case tabulatorRenameTable = "TabulatorRenameTable"
    case tabulatorOpenQuery = "TabulatorOpenQuery"
    case tabulatorSetOpenQuery = "TabulatorSetOpenQuery"
    case adminUsers = "AdminUsers"
    case adminUser = "AdminUser"
    case adminRoles = "AdminRoles"
    case adminSSOConfig = "AdminSSOConfig"
    case adminSetSSOConfig = "AdminSetSSOConfig"
    case adminUserCreate = "AdminUserCreate"
    case adminUserDelete = "AdminUserDelete"
    case adminUserResetPassword = "AdminUserResetPassword"
    case adminUserSetEmail = "AdminUserSetEmail"
    case adminUserSetAdmin = "AdminUserSetAdmin"
    case adminUserSetActive = "AdminUserSetActive"
    case adminUserSetRole = "AdminUserSetRole"
    case adminUserAddRoles = "AdminUserAddRoles"
    case adminUserRemoveRoles = "AdminUserRemoveRoles"
    case adminRoleCreateManaged = "AdminRoleCreateManaged"
    case adminRoleCreateUnmanaged = "AdminRoleCreateUnmanaged"
    case adminRoleUpdateManaged = "AdminRoleUpdateManaged"
    case adminRoleUpdateUnmanaged = "AdminRoleUpdateUnmanaged"
    case adminRoleDelete = "AdminRoleDelete"
    case adminRoleSetDefault = "AdminRoleSetDefault"
    case adminPolicies = "AdminPolicies"
    case adminPolicyCreateManaged = "AdminPolicyCreateManaged"
    case adminPolicyCreateUnmanaged = "AdminPolicyCreateUnmanaged"
    case adminPolicyUpdateManaged = "AdminPolicyUpdateManaged"
    case adminPolicyUpdateUnmanaged = "AdminPolicyUpdateUnmanaged"
    case adminPolicyDelete = "AdminPolicyDelete"
    case adminBucket = "AdminBucket"
    case adminBucketAdd = "AdminBucketAdd"
    case adminBucketUpdate = "AdminBucketUpdate"
    case adminBucketRemove = "AdminBucketRemove"
    case adminAPIKeys = "AdminAPIKeys"
    case adminAPIKeyCreate = "AdminAPIKeyCreate"
    case adminAPIKeyRevoke = "AdminAPIKeyRevoke"
    case adminEventRules = "AdminEventRules"
    case adminEventRuleToggle = "AdminEventRuleToggle"

    /// The operation name, as written in its document and sent as `operationName`.
    package var name: String { rawValue }

    /// Mutations change state and are never retried; queries are idempotent and are.
    package var isMutation: Bool {
        switch self {
        case .packageConstruct, .packagePromote, .packageRevisionDelete, .tabulatorSetTable, .tabulatorRenameTable,
             .tabulatorSetOpenQuery, .adminSetSSOConfig, .adminUserCreate, .adminUserDelete, .adminUserResetPassword,
             .adminUserSetEmail, .adminUserSetAdmin, .adminUserSetActive, .adminUserSetRole, .adminUserAddRoles, .adminUserRemoveRoles,
             .adminRoleCreateManaged, .adminRoleCreateUnmanaged, .adminRoleUpdateManaged, .adminRoleUpdateUnmanaged,
             .adminRoleDelete, .adminRoleSetDefault, .adminPolicyCreateManaged, .adminPolicyCreateUnmanaged,
             .adminPolicyUpdateManaged, .adminPolicyUpdateUnmanaged, .adminPolicyDelete, .adminBucketAdd,
             .adminBucketUpdate, .adminBucketRemove, .adminAPIKeyCreate, .adminAPIKeyRevoke, .adminEventRuleToggle:
            return true
        default: return false
        }
    }

    /// Whether the answer is a result union (`__typename`, `InvalidInput`, `OperationError`); the open-query switch's
    /// is a plain object.
    package var returnsUnion: Bool { (isMutation && self != .tabulatorSetOpenQuery) || isSearch }

    /// Catalog administration (users, roles, policies, buckets, SSO, API keys, the packager): sent only where the
    /// schema has `admin.user` (API keys and the packager also need their own parts, ``SchemaFeatures``).
    package var isAdmin: Bool { rawValue.hasPrefix("Admin") }

    /// Whether the result union has an `OperationError` member to map; the role and bucket unions name every
    /// refusal by a type of its own instead, and API keys answer `InvalidInput` only.
    package var unionHasOperationError: Bool {
        switch self {
        case .adminRoleCreateManaged, .adminRoleCreateUnmanaged, .adminRoleUpdateManaged, .adminRoleUpdateUnmanaged, .adminRoleDelete,
             .adminRoleSetDefault, .adminBucketAdd, .adminBucketUpdate, .adminBucketRemove, .adminAPIKeyCreate, .adminAPIKeyRevoke:
            return false
        default: return returnsUnion
        }
    }

    /// Search operations: their result unions gained an `OperationError` member in 2025-08.
    package var isSearch: Bool { rawValue.hasPrefix("Search") }

    /// The document as sent to a catalog with `features`, without what that catalog's schema lacks (which would
    /// fail validation there): a search document loses its `... on OperationError` selections where the search
    /// unions have no such member (2025-07, the enterprise variant); `PackagePromote` loses `destPrefix` where
    /// `packagePromote` has none (2024-11); the Tabulator table mutations move under `admin { … }` where the schema
    /// has them only there (before 2026-06); the bucket documents lose `prefixes` and `... on InsufficientPermissions
    /// { message }` where the schema has neither (before 2026-06). Every other document is sent as written.
    package func document(for features: SchemaFeatures) -> String? {
        guard let text = document else { return nil }
        if self == .tabulatorSetTable || self == .tabulatorRenameTable, features.tabulatorTables == .admin {
            return Self.underAdmin(text)
        }
        if isSearch, !features.searchOperationError { return Self.removingInlineFragments(on: "OperationError", from: text) }
        if self == .adminBucket || self == .adminBucketAdd || self == .adminBucketUpdate {
            var shaped = features.bucketPrefixes ? text : text.replacing("\n  prefixes\n", with: "\n")
            if self != .adminBucket, !features.bucketRefusalMessage {
                shaped = Self.removingInlineFragments(on: "InsufficientPermissions", from: shaped)
            }
            return shaped
        }
        if self == .packagePromote, !features.promoteDestPrefix {
            return text.replacing(", $destPrefix: String", with: "").replacing(", destPrefix: $destPrefix", with: "")
        }
        return text
    }

    /// The operation's selection wrapped in `admin { … }` (each line inside indented two more spaces).
    package static func underAdmin(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let open = lines.firstIndex(where: { $0.hasPrefix("mutation ") || $0.hasPrefix("query ") }),
            let close = lines.lastIndex(of: "}"), close > open
        else { return text }
        let inner = lines[(open + 1)..<close].map { $0.isEmpty ? $0 : "  " + $0 }
        lines.replaceSubrange((open + 1)..<close, with: ["  admin {"] + inner + ["  }"])
        return lines.joined(separator: "\n")
    }

    /// `text` without any `... on <type> { … }` selection (with the whitespace before it). Documents here have no
    /// strings or comments inside selection sets, so braces balance plainly.
    package static func removingInlineFragments(on type: String, from text: String) -> String {
        let marker = "... on \(type) {"
        var out = Substring(text)
        var result = ""
        while let start = out.firstRange(of: marker) {
            var head = out[..<start.lowerBound]
            while let last = head.last, last == " " || last == "\n" { head = head.dropLast() }
            result += head
            var depth = 1
            var i = start.upperBound
            while i < out.endIndex, depth > 0 {
                if out[i] == "{" { depth += 1 } else if out[i] == "}" { depth -= 1 }
                i = out.index(after: i)
            }
            out = out[i...]
        }
        return result + out
    }

    /// The operation's GraphQL document (never nil: every document is embedded in the binary at build time).
    package var document: String? { Self.documents[rawValue] }

    /// Every document, decoded once on first use, with the shared fragments it spreads appended.
    static let documents: [String: String] = Dictionary(
        uniqueKeysWithValues: CatalogOperation.allCases.map {
            ($0.rawValue, withFragments(String(decoding: $0.embeddedBytes, as: UTF8.self)))
        })

    /// The shared fragments (`Operations/AdminFragments.graphql`) by name, each with its text.
    static let fragments: [(name: String, text: String)] = {
        let text = String(decoding: PackageResources.AdminFragments_graphql, as: UTF8.self)
        return text.split(separator: "\nfragment ").dropFirst().map { part in
            let name = part.prefix { $0 != " " }
            let body = part.hasSuffix("\n") ? part : part + "\n"
            return (String(name), "fragment " + body)
        }
    }()

    /// `text` followed by every shared fragment it spreads (`...Name` on a line of its own), and those they spread, in the fragments'
    /// order; a document that spreads none is returned as is.
    static func withFragments(_ text: String) -> String {
        var used: Set<String> = []
        var pending = [text]
        while let next = pending.popLast() {
            for fragment in fragments where !used.contains(fragment.name) && next.contains("...\(fragment.name)\n") {
                used.insert(fragment.name)
                pending.append(fragment.text)
            }
        }
        let appended = fragments.filter { used.contains($0.name) }.map(\.text)
        return appended.isEmpty ? text : ([text] + appended).joined(separator: "\n")
    }

    /// The file `Operations/<Name>.graphql`, embedded by SwiftPM (`.embedInCode`), so a release binary copied
    /// anywhere carries its operations (no resource bundle beside it).
    private var embeddedBytes: [UInt8] {
        switch self {
        case .schemaProbe: PackageResources.SchemaProbe_graphql
        case .me: PackageResources.Me_graphql
        case .bucketConfigs: PackageResources.BucketConfigs_graphql
        case .packageList: PackageResources.PackageList_graphql
        case .packageRevisions: PackageResources.PackageRevisions_graphql
        case .revisionHash: PackageResources.RevisionHash_graphql
        case .revisionInfo: PackageResources.RevisionInfo_graphql
        case .revisionContents: PackageResources.RevisionContents_graphql
        case .revisionDir: PackageResources.RevisionDir_graphql
        case .searchPackages: PackageResources.SearchPackages_graphql
        case .searchPackagesLegacy: PackageResources.SearchPackagesLegacy_graphql
        case .searchMorePackages: PackageResources.SearchMorePackages_graphql
        case .searchMoreObjects: PackageResources.SearchMoreObjects_graphql
        case .searchObjects: PackageResources.SearchObjects_graphql
        case .packageConstruct: PackageResources.PackageConstruct_graphql
        case .packagePromote: PackageResources.PackagePromote_graphql
        case .packageRevisionDelete: PackageResources.PackageRevisionDelete_graphql
        case .tabulatorTables: PackageResources.TabulatorTables_graphql
        case .tabulatorSetTable: PackageResources.TabulatorSetTable_graphql
        case .tabulatorRenameTable: PackageResources.TabulatorRenameTable_graphql
        case .tabulatorOpenQuery: PackageResources.TabulatorOpenQuery_graphql
        case .tabulatorSetOpenQuery: PackageResources.TabulatorSetOpenQuery_graphql
        case .adminUsers: PackageResources.AdminUsers_graphql
        case .adminUser: PackageResources.AdminUser_graphql
        case .adminRoles: PackageResources.AdminRoles_graphql
        case .adminSSOConfig: PackageResources.AdminSSOConfig_graphql
        case .adminSetSSOConfig: PackageResources.AdminSetSSOConfig_graphql
        case .adminUserCreate: PackageResources.AdminUserCreate_graphql
        case .adminUserDelete: PackageResources.AdminUserDelete_graphql
        case .adminUserResetPassword: PackageResources.AdminUserResetPassword_graphql
        case .adminUserSetEmail: PackageResources.AdminUserSetEmail_graphql
        case .adminUserSetAdmin: PackageResources.AdminUserSetAdmin_graphql
        case .adminUserSetActive: PackageResources.AdminUserSetActive_graphql
        case .adminUserSetRole: PackageResources.AdminUserSetRole_graphql
        case .adminUserAddRoles: PackageResources.AdminUserAddRoles_graphql
        case .adminUserRemoveRoles: PackageResources.AdminUserRemoveRoles_graphql
        case .adminRoleCreateManaged: PackageResources.AdminRoleCreateManaged_graphql
        case .adminRoleCreateUnmanaged: PackageResources.AdminRoleCreateUnmanaged_graphql
        case .adminRoleUpdateManaged: PackageResources.AdminRoleUpdateManaged_graphql
        case .adminRoleUpdateUnmanaged: PackageResources.AdminRoleUpdateUnmanaged_graphql
        case .adminRoleDelete: PackageResources.AdminRoleDelete_graphql
        case .adminRoleSetDefault: PackageResources.AdminRoleSetDefault_graphql
        case .adminPolicies: PackageResources.AdminPolicies_graphql
        case .adminPolicyCreateManaged: PackageResources.AdminPolicyCreateManaged_graphql
        case .adminPolicyCreateUnmanaged: PackageResources.AdminPolicyCreateUnmanaged_graphql
        case .adminPolicyUpdateManaged: PackageResources.AdminPolicyUpdateManaged_graphql
        case .adminPolicyUpdateUnmanaged: PackageResources.AdminPolicyUpdateUnmanaged_graphql
        case .adminPolicyDelete: PackageResources.AdminPolicyDelete_graphql
        case .adminBucket: PackageResources.AdminBucket_graphql
        case .adminBucketAdd: PackageResources.AdminBucketAdd_graphql
        case .adminBucketUpdate: PackageResources.AdminBucketUpdate_graphql
        case .adminBucketRemove: PackageResources.AdminBucketRemove_graphql
        case .adminAPIKeys: PackageResources.AdminAPIKeys_graphql
        case .adminAPIKeyCreate: PackageResources.AdminAPIKeyCreate_graphql
        case .adminAPIKeyRevoke: PackageResources.AdminAPIKeyRevoke_graphql
        case .adminEventRules: PackageResources.AdminEventRules_graphql
        case .adminEventRuleToggle: PackageResources.AdminEventRuleToggle_graphql
        }
    }
}
