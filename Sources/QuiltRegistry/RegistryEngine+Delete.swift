import FoundationEssentials
package import QuiltContract
import QuiltHash
import QuiltJSON
import QuiltManifest
import QuiltStorage

extension RegistryEngine {
    // MARK: - Deleting

    /// quilt3's `delete_package(name, registry, top_hash)`: removes every pointer naming the revision. When `latest`
    /// was one of them and others remain, `latest` first moves to the newest remaining timestamp, so it never names
    /// a deleted revision even if a later step fails.
    package func deleteRevision(package: PackageName, registry: RegistryURL, revision: RevisionRef)
        async throws(QuiltOpsError) -> DeleteResult
    {
        let storage = try resolver.storage(for: registry)
        let hash = try await resolveHash(storage, package, revision)
        let pointers = try await readPointers(storage, package)
        let doomed = pointers.filter { $0.hash == hash }
        guard !doomed.isEmpty else {
            throw .notFound(.revision(name: package.rawValue, reference: revision.description, registry: registry.url))
        }
        let remaining = pointers.filter { $0.hash != hash && $0.name != RegistryLayout.latest }
        let latestDoomed = doomed.contains { $0.name == RegistryLayout.latest }
        var newLatest: TopHash? = pointers.first { $0.name == RegistryLayout.latest }?.hash
        if latestDoomed {
            if let newest = remaining.map(\.name).sorted(by: RegistryLayout.newestFirst).first,
                let target = remaining.first(where: { $0.name == newest })
            {
                _ = try await storage.copy(
                    from: RegistryLayout.pointerKey(package, target.name),
                    to: RegistryLayout.pointerKey(package, RegistryLayout.latest))
                newLatest = target.hash
            } else {
                newLatest = nil
            }
        }
        var removed: [String] = []
        for p in doomed where !(p.name == RegistryLayout.latest && newLatest != nil) {
            try await storage.delete(RegistryLayout.pointerKey(package, p.name))
            removed.append(p.name)
        }
        return DeleteResult(removedPointers: removed.sorted(by: RegistryLayout.newestFirst), latest: newLatest)
    }

    /// quilt3's `delete_package(name, registry)`: removes every pointer; manifests and data stay.
    /// Timestamp pointers go first and `latest` last, so an interrupted delete leaves the package listed.
    package func deletePackage(package: PackageName, registry: RegistryURL) async throws(QuiltOpsError) -> DeleteResult {
        let storage = try resolver.storage(for: registry)
        let listing = try await storage.listAll(prefix: RegistryLayout.pointerPrefix(package))
        guard !listing.objects.isEmpty else { throw .notFound(.package(name: package.rawValue, registry: registry.url)) }
        let names = listing.objects.map { String($0.key.dropFirst(RegistryLayout.pointerPrefix(package).count)) }
        let ordered = names.filter { $0 != RegistryLayout.latest } + names.filter { $0 == RegistryLayout.latest }
        for name in ordered {
            try checkCancellation("deleting \(package)")
            try await storage.delete(RegistryLayout.pointerKey(package, name))
        }
        return DeleteResult(removedPointers: ordered.sorted(by: RegistryLayout.newestFirst), latest: nil)
    }

    // MARK: - Diffing

    package func diff(
        from: (package: PackageName, revision: RevisionRef), to: (package: PackageName, revision: RevisionRef),
        registry: RegistryURL
    ) async throws(QuiltOpsError) -> PackageDiff {
        let storage = try resolver.storage(for: registry)
        let a = try await resolveHash(storage, from.package, from.revision)
        let b = try await resolveHash(storage, to.package, to.revision)
        let left = try await loadManifest(storage, a)
        let right = try await loadManifest(storage, b)
        var leftByKey: [String: (hash: String, entry: Int)] = [:]
        for (i, e) in left.entries.enumerated() {
            leftByKey[e.logicalKey] = (e.objectHash.map { $0.type + ":" + $0.value } ?? "", i)
        }
        var added: [PackageDiff.Change] = []
        var modified: [PackageDiff.Change] = []
        var seen = Set<String>()
        for e in right.entries {
            seen.insert(e.logicalKey)
            let h = e.objectHash.map { $0.type + ":" + $0.value } ?? ""
            if let l = leftByKey[e.logicalKey] {
                if l.hash != h {
                    let old = left.entries[l.entry]
                    modified.append(
                        .init(logicalKey: e.logicalKey, from: old.objectHash, to: e.objectHash, fromSize: old.size, toSize: e.size))
                }
            } else {
                added.append(.init(logicalKey: e.logicalKey, from: nil, to: e.objectHash, fromSize: nil, toSize: e.size))
            }
        }
        let removed = left.entries.filter { !seen.contains($0.logicalKey) }.map {
            PackageDiff.Change(logicalKey: $0.logicalKey, from: $0.objectHash, to: nil, fromSize: $0.size, toSize: nil)
        }
        func order(_ x: [PackageDiff.Change]) -> [PackageDiff.Change] {
            x.sorted { LogicalKey.treeOrderPrecedes($0.logicalKey, $1.logicalKey) }
        }
        let metaChanged = !(left.header["user_meta"] ?? .null).isEquivalent(to: right.header["user_meta"] ?? .null)
            || (left.header["user_meta"] == nil) != (right.header["user_meta"] == nil)
        return PackageDiff(
            from: ResolvedRevision(name: from.package, registry: registry, hash: a),
            to: ResolvedRevision(name: to.package, registry: registry, hash: b), added: order(added),
            removed: order(removed), modified: order(modified), metadataChanged: metaChanged)
    }
}
