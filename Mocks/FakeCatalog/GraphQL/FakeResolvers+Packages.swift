import Foundation
import QuiltContract
import QuiltJSON
import QuiltManifest
import QuiltRegistry

/// A bucket's package names for `packages(bucket, filter)`.
struct PackageListSource: Sendable {
    let bucket: String
    let names: [PackageName]
}

extension FakeResolvers {
    static let packages: [String: FakeResolver] = [
        "Query.packages": { _, args, req in
            let bucket = try string(args, "bucket")
            guard req.state.hasBucket(bucket) else { return nil }
            var names: [PackageName] = []
            var cursor: String? = nil
            repeat {
                let page = try await req.engine.listPackages(
                    registry: try RegistryURL.s3(bucket), prefix: "", page: try PageRequest(limit: 10_000, cursor: cursor))
                names += page.items.map(\.name)
                cursor = page.nextCursor
            } while cursor != nil
            // The catalog's filter matches part of the name, case-insensitively.
            if let filter = args["filter"]?.stringValue?.lowercased(), !filter.isEmpty {
                names = names.filter { $0.rawValue.lowercased().contains(filter) }
            }
            return PackageListSource(bucket: bucket, names: names)
        },
        "PackageList.total": { source, _, _ in (source as? PackageListSource)?.names.count ?? 0 },
        "PackageList.page": { source, args, req in
            guard let list = source as? PackageListSource else { return [] as [any Sendable] }
            let number = max(1, int(args, "number", 1))
            let perPage = max(1, int(args, "perPage", 30))
            var names = list.names.sorted { $0.rawValue < $1.rawValue }
            if args["order"]?.stringValue == "MODIFIED" {
                var dated: [(PackageName, Date)] = []
                for n in names { dated.append((n, try await newest(req, PackageSource(bucket: list.bucket, name: n))?.modified ?? .distantPast)) }
                names = dated.sorted { $0.1 > $1.1 }.map(\.0)
            }
            let start = (number - 1) * perPage
            guard start < names.count else { return [] as [any Sendable] }
            return names[start..<min(start + perPage, names.count)].map { PackageSource(bucket: list.bucket, name: $0) as any Sendable }
        },
        "Query.package": { _, args, req in
            let bucket = try string(args, "bucket")
            guard req.state.hasBucket(bucket), let name = try? PackageName(try string(args, "name")) else { return nil }
            let source = PackageSource(bucket: bucket, name: name)
            return try await rows(req, source).isEmpty ? nil : source
        },
        "Package.bucket": { s, _, _ in (s as? PackageSource)?.bucket },
        "Package.name": { s, _, _ in (s as? PackageSource)?.name.rawValue },
        "Package.modified": { s, _, req in
            guard let p = s as? PackageSource else { return nil }
            return try await newest(req, p)?.modified.map(CatalogDateText.format)
        },
        "Package.revisions": { s, _, _ in s },
        "PackageRevisionList.total": { s, _, req in
            guard let p = s as? PackageSource else { return 0 }
            return try await rows(req, p).count
        },
        "PackageRevisionList.page": { s, args, req in
            guard let p = s as? PackageSource else { return [] as [any Sendable] }
            let all = try await rows(req, p)
            let number = max(1, int(args, "number", 1))
            let perPage = max(1, int(args, "perPage", 10))
            let start = (number - 1) * perPage
            guard start < all.count else { return [] as [any Sendable] }
            return all[start..<min(start + perPage, all.count)].map { $0 as any Sendable }
        },
        "Package.revision": { s, args, req in
            guard let p = s as? PackageSource else { return nil }
            let ref = args["hashOrTag"]?.stringValue ?? "latest"
            let revision: RevisionRef
            if ref == "latest" {
                revision = .latest
            } else if let h = try? TopHash(ref) {
                revision = .hash(h)
            } else {
                // The catalog is documented to take "latest" or a full hash; the fake answers null for anything else.
                return nil
            }
            let registry = try RegistryURL.s3(p.bucket)
            let resolved = await FakeResolvers.attempt { () async throws(QuiltOpsError) in
                try await req.engine.resolve(package: p.name, registry: registry, revision: revision).hash
            }
            if case .failure(.notFound) = resolved { return nil }
            let hash = try resolved.get()
            let modified = try await rows(req, p).first { $0.hash == hash }?.modified
            return RevisionSource(bucket: p.bucket, name: p.name, hash: hash, modified: modified)
        },
        "PackageRevision.hash": { s, _, _ in (s as? RevisionSource)?.hash.rawValue },
        "PackageRevision.modified": { s, _, req in
            guard let r = s as? RevisionSource else { return nil }
            if let m = r.modified { return CatalogDateText.format(m) }
            return try await req.info(r.bucket, r.name, r.hash).modified.map(CatalogDateText.format)
        },
        "PackageRevision.message": { s, _, req in
            guard let r = s as? RevisionSource else { return nil }
            return try await req.info(r.bucket, r.name, r.hash).header["message"]
        },
        "PackageRevision.metadata": { s, _, req in
            guard let r = s as? RevisionSource else { return nil }
            return JSONValue.object(try await req.info(r.bucket, r.name, r.hash).header)
        },
        "PackageRevision.userMeta": { s, _, req in
            guard let r = s as? RevisionSource else { return nil }
            return try await req.info(r.bucket, r.name, r.hash).header["user_meta"]
        },
        "PackageRevision.workflow": { s, _, req in
            guard let r = s as? RevisionSource, let w = try await req.info(r.bucket, r.name, r.hash).header["workflow"]?.objectValue else { return nil }
            return ["config": w["config"] ?? .string(""), "id": w["id"] ?? .null] as JSONObject
        },
        "PackageRevision.totalEntries": { s, _, req in
            guard let r = s as? RevisionSource else { return nil }
            return try await req.info(r.bucket, r.name, r.hash).entryCount
        },
        "PackageRevision.totalBytes": { s, _, req in
            guard let r = s as? RevisionSource else { return nil }
            return JSONValue.number(JSONNumber(try await req.info(r.bucket, r.name, r.hash).totalBytes))
        },
        "PackageRevision.contentsFlatMap": { s, args, req in
            guard let r = s as? RevisionSource else { return nil }
            let max = int(args, "max", 1000)
            guard try await req.info(r.bucket, r.name, r.hash).entryCount <= max else { return nil }
            var flat = JSONObject()
            for e in try await req.manifest(r.bucket, r.hash).entries {
                flat[e.logicalKey] = [
                    "physicalKey": .string(e.physicalKey.url), "hash": e.hash, "meta": e.meta, "size": .number(JSONNumber(e.size)),
                ]
            }
            return JSONValue.object(flat)
        },
        "PackageRevision.dir": { s, args, req in
            guard let r = s as? RevisionSource else { return nil }
            return try await directory(req, r, path: try string(args, "path"))
        },
        "PackageRevision.file": { s, args, req in
            guard let r = s as? RevisionSource else { return nil }
            let path = try string(args, "path")
            guard let e = try await req.manifest(r.bucket, r.hash).entries.first(where: { $0.logicalKey == path }) else { return nil }
            return fileObject(e.logicalKey, e.size, e.physicalKey.url, e.meta)
        },
        "PackageDir.path": { s, _, _ in (s as? DirSource)?.path },
        "PackageDir.size": { s, _, _ in (s as? DirSource).map { JSONValue.number(JSONNumber($0.size)) } },
        "PackageDir.metadata": { s, _, _ in (s as? DirSource)?.metadata },
        "PackageDir.children": { s, _, req in
            guard let d = s as? DirSource else { return [] as [any Sendable] }
            return try await children(req, d.revision, path: d.path)
        },
    ]

    /// One row per pointer (timestamp), newest first: what `revisions.page` lists.
    static func rows(_ req: FakeRequest, _ p: PackageSource) async throws(QuiltOpsError) -> [RevisionSource] {
        var out: [RevisionSource] = []
        var cursor: String? = nil
        repeat {
            let page: Page<RevisionSummary>
            do {
                page = try await req.engine.listRevisions(
                    package: p.name, registry: try RegistryURL.s3(p.bucket), page: try PageRequest(limit: 10_000, cursor: cursor))
            } catch .notFound {
                return []
            }
            for r in page.items {
                if r.timestamps.isEmpty {
                    out.append(RevisionSource(bucket: p.bucket, name: p.name, hash: r.hash, modified: r.modified))
                }
                for t in r.timestamps {
                    out.append(RevisionSource(bucket: p.bucket, name: p.name, hash: r.hash, modified: Date(timeIntervalSince1970: TimeInterval(Int64(t) ?? 0))))
                }
            }
            cursor = page.nextCursor
        } while cursor != nil
        return out.sorted { ($0.modified ?? .distantPast) > ($1.modified ?? .distantPast) }
    }

    static func newest(_ req: FakeRequest, _ p: PackageSource) async throws(QuiltOpsError) -> RevisionSource? {
        try await rows(req, p).first
    }

    static func fileObject(_ path: String, _ size: Int64, _ physicalKey: String, _ meta: JSONValue?) -> JSONObject {
        ["path": .string(path), "size": .number(JSONNumber(size)), "physicalKey": .string(physicalKey), "metadata": meta ?? .null]
    }

    /// `dir(path)`: the directory's own size and metadata, or nil when nothing is below `path`.
    static func directory(_ req: FakeRequest, _ r: RevisionSource, path: String) async throws -> DirSource? {
        var prefix = path
        while prefix.hasPrefix("/") { prefix.removeFirst() }
        if !prefix.isEmpty && !prefix.hasSuffix("/") { prefix += "/" }
        let manifest = try await req.manifest(r.bucket, r.hash)
        let below = manifest.entries.filter { $0.logicalKey.hasPrefix(prefix) }
        guard !below.isEmpty || prefix.isEmpty else { return nil }
        let meta = manifest.directories.first { $0.logicalKey == prefix }?.meta
        return DirSource(revision: r, path: prefix, size: below.reduce(0) { $0 + $1.size }, metadata: meta)
    }

    /// The files and subdirectories directly in `path`, in tree order.
    static func children(_ req: FakeRequest, _ r: RevisionSource, path: String) async throws -> [any Sendable] {
        let manifest = try await req.manifest(r.bucket, r.hash)
        var out: [(String, any Sendable)] = []
        var dirs: [String: Int64] = [:]
        for e in manifest.entries where e.logicalKey.hasPrefix(path) {
            let rest = e.logicalKey.dropFirst(path.count)
            if let slash = rest.firstIndex(of: "/") {
                let child = path + rest[..<slash] + "/"
                if dirs[child] == nil { out.append((child, child)) }
                dirs[child, default: 0] += e.size
            } else {
                out.append((e.logicalKey, Typed("PackageFile", fileObject(e.logicalKey, e.size, e.physicalKey.url, e.meta))))
            }
        }
        return out.sorted { LogicalKey.treeOrderPrecedes($0.0, $1.0) }.map { key, value in
            if let child = value as? String {
                let meta = manifest.directories.first { $0.logicalKey == child }?.meta
                return Typed("PackageDir", DirSource(revision: r, path: child, size: dirs[child] ?? 0, metadata: meta))
            }
            return value
        }
    }
}

/// The fake's `Datetime` text: Python's `isoformat()` of UTC times.
enum CatalogDateText {
    static func format(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date).replacingOccurrences(of: "Z", with: "+00:00")
    }
}
