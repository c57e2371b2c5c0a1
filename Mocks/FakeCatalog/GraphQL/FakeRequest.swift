import Foundation
import QuiltJSON
import QuiltManifest
import QuiltContract
import QuiltRegistry
import Synchronization

/// The caller, from the verified bearer token's claims.
public struct FakeUser: Sendable, Hashable {
    public var name: String
    public var email: String
    public var isAdmin: Bool
    public init(name: String, email: String, isAdmin: Bool = false) {
        self.name = name
        self.email = email
        self.isAdmin = isAdmin
    }
}

/// One GraphQL request as resolvers see it.
public struct FakeRequest: Sendable {
    public let operationName: String?
    /// The variables exactly as sent (defaults of the operation filled in).
    public let variables: JSONObject
    public let user: FakeUser?
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
