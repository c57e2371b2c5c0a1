import FoundationEssentials
package import QuiltContract
package import QuiltHash
package import QuiltJSON
package import QuiltManifest
import QuiltStorage

/// One entry of a revision built from objects already in storage (the catalog's `PackageConstructEntry`).
package struct ConstructEntry: Sendable, Hashable {
    package var logicalKey: LogicalKey
    package var physicalKey: PhysicalKey
    /// Filled from the object when nil.
    package var size: Int64?
    /// Computed from the object (`sha2-256-chunked`) when nil.
    package var hash: ObjectHash?
    /// The full entry metadata (user metadata under `user_meta`).
    package var meta: JSONValue
    package init(logicalKey: LogicalKey, physicalKey: PhysicalKey, size: Int64?, hash: ObjectHash?, meta: JSONValue) {
        self.logicalKey = logicalKey
        self.physicalKey = physicalKey
        self.size = size
        self.hash = hash
        self.meta = meta
    }
}

extension RegistryEngine {
    // MARK: - Constructing from stored objects (for catalog-like front ends)

    /// Pushes a revision whose entries reference objects in place (nothing is copied), with `header` exactly as
    /// given, as the catalog's `packageConstruct` does: no conflict check (quilt3's `force`); missing sizes and
    /// hashes are read from the objects. The revision becomes `latest`.
    /// - Throws: `.invalidInput` for duplicate logical keys; `.notFound(.object)` for a missing object.
    package func construct(package: PackageName, registry: RegistryURL, header: JSONObject, entries: [ConstructEntry])
        async throws(QuiltOpsError) -> RevisionInfo
    {
        let storage = try resolver.storage(for: registry)
        try Self.rejectDuplicates(entries.map(\.logicalKey), field: "entries")
        var out: [ManifestEntry] = []
        out.reserveCapacity(entries.count)
        for e in entries {
            var size = e.size
            var hash = e.hash
            if size == nil || hash == nil {
                let (source, key) = try resolver.locate(e.physicalKey)
                let info = try await source.head(key, versionId: e.physicalKey.versionId)
                size = size ?? info.size
                if hash == nil { hash = try await hashObject(source, key, versionId: e.physicalKey.versionId, size: info.size) }
            }
            out.append(
                ManifestEntry(
                    logicalKey: e.logicalKey.rawValue, physicalKey: e.physicalKey, size: size ?? 0,
                    hash: hash ?? ObjectHash(type: "sha2-256-chunked", value: ""), meta: e.meta))
        }
        return try await push(
            Manifest(header: header, entries: out), package: package, storage: storage, expectedLatest: nil, force: true, progress: nil)
    }

    /// The whole manifest of revision `hash` in `registry`.
    /// - Throws: `.notFound(.revision)` when it does not exist.
    package func manifest(registry: RegistryURL, hash: TopHash) async throws(QuiltOpsError) -> Manifest {
        try await loadManifest(try resolver.storage(for: registry), hash)
    }
}
