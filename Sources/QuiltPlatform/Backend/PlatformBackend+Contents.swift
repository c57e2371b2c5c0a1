import FoundationEssentials
package import QuiltContract
import QuiltHash
import QuiltJSON

extension PlatformBackend {
    // MARK: - Revision contents

    /// A revision's whole contents from `contentsFlatMap(max:)`, cached by top hash per caller; nil when the
    /// revision has more than `max` entries (the catalog answers null).
    /// - Throws: as `resolve`.
    func contents(_ package: PackageName, _ registry: RegistryURL, _ ref: RevisionRef, max: Int? = nil)
        async throws(QuiltOpsError) -> (hash: TopHash, contents: RevisionContents?)
    {
        let bucket = try bucket(registry)
        let cache = configuration.contents
        let caller = await callerKey()
        let packageKey = "\(caller) \(registry.url) \(package.rawValue)"
        func key(_ h: TopHash) -> String { "\(caller) \(registry.url) \(h.rawValue)" }
        var known: TopHash? = nil
        switch ref {
        case .hash(let h):
            known = h
        case .latest:
            // Only when this caller read the package before: one small request says whether latest moved.
            if await cache.latestHint(packageKey) != nil { known = try await directHash(package, registry, .latest) }
        default:
            known = try await resolveHash(package, registry, ref)
        }
        if let known, let hit = await cache.get(key(known)) { return (known, hit) }
        if try await catalogConfig()?.isLocal == true {
            // quilt3-local resolves no contentsFlatMap (and leaves the revision's metadata null, which fails the
            // query); directories are read one at a time with dir(path), which it does resolve.
            if let known { return (known, nil) }
            return (try await resolveHash(package, registry, ref), nil)
        }
        let data = try await graphQL(
            .revisionContents,
            ["bucket": .string(bucket), "name": .string(package.rawValue), "hashOrTag": .string(known?.rawValue ?? ref.description),
             "max": .number(JSONNumber(max ?? configuration.contentsLimit))])
        guard let pkg = data["package"], !pkg.isNull else { throw .notFound(.package(name: package.rawValue, registry: registry.url)) }
        guard let rev = pkg["revision"], !rev.isNull, let hash = rev["hash"]?.stringValue.flatMap({ try? TopHash($0) }) else {
            throw .notFound(.revision(name: package.rawValue, reference: ref.description, registry: registry.url))
        }
        if ref == .latest { await cache.setLatestHint(packageKey, hash) }
        guard let flat = rev["contentsFlatMap"], !flat.isNull else { return (hash, nil) }
        let parsed = try Self.parseContents(flat, hash: hash, header: Self.header(rev))
        await cache.put(key(hash), parsed)
        return (hash, parsed)
    }

    /// `PackageContentsFlatMap`: `{ "<logical key>": {physicalKey, hash: {type, value}, meta, size} }`, any order.
    static func parseContents(_ flat: JSONValue, hash: TopHash, header: JSONObject) throws(QuiltOpsError) -> RevisionContents {
        guard let object = flat.objectValue else {
            throw .remote("contentsFlatMap of \(hash.prefix()) is not an object.", retryable: false)
        }
        var entries: [ContentEntry] = []
        entries.reserveCapacity(object.count)
        for (key, value) in object {
            guard let pk = value["physicalKey"]?.stringValue, let physical = try? PhysicalKey(pk) else {
                throw .remote("contentsFlatMap entry '\(key)' of \(hash.prefix()) has no usable physicalKey.", retryable: false)
            }
            var objectHash: ObjectHash? = nil
            if let t = value["hash"]?["type"]?.stringValue, let v = value["hash"]?["value"]?.stringValue { objectHash = ObjectHash(type: t, value: v) }
            let meta = value["meta"].nonNull ?? .object([:])
            let size = value["size"]?.numberValue?.int64Value ?? Int64(value["size"]?.doubleValue ?? 0)
            entries.append(ContentEntry(logicalKey: key, physicalKey: physical, size: size, hash: objectHash, meta: meta))
        }
        entries.sort { LogicalKey.treeOrderPrecedes($0.logicalKey, $1.logicalKey) }
        return RevisionContents(hash: hash, header: header, entries: entries)
    }

    // MARK: - Diffing

    package func diff(
        from: (package: PackageName, revision: RevisionRef), to: (package: PackageName, revision: RevisionRef),
        registry: RegistryURL
    ) async throws(QuiltOpsError) -> PackageDiff {
        let limit = max(configuration.contentsLimit, 100_000)
        let (a, left) = try await contents(from.package, registry, from.revision, max: limit)
        let (b, right) = try await contents(to.package, registry, to.revision, max: limit)
        guard let left, let right else {
            throw .unsupported(operation: "diff of revisions with more than \(limit) entries (the catalog lists no hashes for them)", backend: backendID.rawValue)
        }
        var leftByKey: [String: ContentEntry] = [:]
        for e in left.entries { leftByKey[e.logicalKey] = e }
        var added: [PackageDiff.Change] = []
        var modified: [PackageDiff.Change] = []
        var seen = Set<String>()
        for e in right.entries {
            seen.insert(e.logicalKey)
            if let l = leftByKey[e.logicalKey] {
                if l.hash != e.hash {
                    modified.append(.init(logicalKey: e.logicalKey, from: l.hash, to: e.hash, fromSize: l.size, toSize: e.size))
                }
            } else {
                added.append(.init(logicalKey: e.logicalKey, from: nil, to: e.hash, fromSize: nil, toSize: e.size))
            }
        }
        let removed = left.entries.filter { !seen.contains($0.logicalKey) }.map {
            PackageDiff.Change(logicalKey: $0.logicalKey, from: $0.hash, to: nil, fromSize: $0.size, toSize: nil)
        }
        let lm = left.header["user_meta"]
        let rm = right.header["user_meta"]
        let metaChanged = !(lm ?? .null).isEquivalent(to: rm ?? .null) || (lm == nil) != (rm == nil)
        return PackageDiff(
            from: ResolvedRevision(name: from.package, registry: registry, hash: a),
            to: ResolvedRevision(name: to.package, registry: registry, hash: b), added: added, removed: removed,
            modified: modified, metadataChanged: metaChanged)
    }
}
