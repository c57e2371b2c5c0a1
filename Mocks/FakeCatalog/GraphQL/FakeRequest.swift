import Foundation
import QuiltContract
package import QuiltJSON
import QuiltManifest
import QuiltRegistry
import Synchronization

/// The caller, from the verified bearer token's claims.
package struct FakeUser: Sendable, Hashable {
    package var name: String
    package var email: String
    package var isAdmin: Bool
    package init(name: String, email: String, isAdmin: Bool = false) {
        self.name = name
        self.email = email
        self.isAdmin = isAdmin
    }
}

/// One GraphQL request as resolvers see it.
package struct FakeRequest: Sendable {
    package let operationName: String?
    /// The variables exactly as sent (defaults of the operation filled in).
    package let variables: JSONObject
    package let user: FakeUser?
    let state: FakeCatalogState
    let variant: FakeCatalogSchema.Variant
    let memo = FakeMemo()

    var engine: RegistryEngine { state.engine }

    /// Revision info by hash, once per request.
    func info(_ bucket: String, _ name: PackageName, _ hash: TopHash) async throws(QuiltOpsError) -> RevisionInfo {
        let key = "\(bucket) \(name) \(hash)"
        if let hit = memo.infos.withLock({ $0[key] }) { return hit }
        let info = try await engine.revisionInfo(package: name, registry: try RegistryURL.s3(bucket), revision: .hash(hash))
        memo.infos.withLock { $0[key] = info }
        return info
    }

    /// A whole manifest by hash, once per request.
    func manifest(_ bucket: String, _ hash: TopHash) async throws(QuiltOpsError) -> Manifest {
        let key = "\(bucket) \(hash)"
        if let hit = memo.manifests.withLock({ $0[key] }) { return hit }
        let m = try await engine.manifest(registry: try RegistryURL.s3(bucket), hash: hash)
        memo.manifests.withLock { $0[key] = m }
        return m
    }
}

final class FakeMemo: Sendable {
    let infos = Mutex<[String: RevisionInfo]>([:])
    let manifests = Mutex<[String: Manifest]>([:])
}

/// A package the resolvers pass down.
struct PackageSource: Sendable {
    let bucket: String
    let name: PackageName
}

/// A revision (one pointer's view of it: `modified` is that pointer's time).
struct RevisionSource: Sendable {
    let bucket: String
    let name: PackageName
    let hash: TopHash
    let modified: Date?
}

/// A directory of a revision.
struct DirSource: Sendable {
    let revision: RevisionSource
    let path: String
    let size: Int64
    let metadata: JSONValue?
}
