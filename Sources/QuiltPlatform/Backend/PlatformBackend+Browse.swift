import FoundationEssentials
package import QuiltContract
import QuiltJSON

extension PlatformBackend {
    // MARK: - Browsing

    /// Small revisions (at most `contentsLimit` entries) are read whole once with `contentsFlatMap` and cached by
    /// top hash, so every page, directory and recursion is answered here with entry hashes and file counts. Larger
    /// ones are browsed with `dir(path)`: one request per directory, no hashes or file counts.
    package func browse(_ request: BrowseRequest) async throws(QuiltOpsError) -> BrowseResult {
        let (dirPrefix, exact) = try request.directoryAndFile()
        let after = try request.page.cursor.map { (c) throws(QuiltOpsError) in try Cursor.decode(c) }
        let (hash, whole) = try await contents(request.package, request.registry, request.revision)
        let resolved = ResolvedRevision(name: request.package, registry: request.registry, hash: hash)
        var items: [BrowseEntry]
        if let whole {
            if let exact, let file = whole.entries.first(where: { $0.logicalKey == exact }),
                !whole.entries.contains(where: { $0.logicalKey.hasPrefix(dirPrefix) })
            {
                return BrowseResult(revision: resolved, path: file.logicalKey, entries: [Self.row(file)], nextCursor: nil)
            }
            items = Self.listing(whole.entries, dirPrefix: dirPrefix, recursive: request.recursive)
            if items.isEmpty && !dirPrefix.isEmpty { throw .notFound(.entry(path: request.path, package: request.package.rawValue)) }
        } else {
            let walked = try await walk(request, hash: hash, dirPrefix: dirPrefix, exact: exact)
            if let single = walked.file { return BrowseResult(revision: resolved, path: single.logicalKey, entries: [single], nextCursor: nil) }
            items = walked.rows
        }
        if let after { items = items.filter { LogicalKey.treeOrderPrecedes(after, $0.logicalKey) } }
        let more = items.count > request.page.limit
        let page = Array(items.prefix(request.page.limit))
        let next = more ? page.last.map { Cursor.encode(after: $0.logicalKey) } : nil
        return BrowseResult(revision: resolved, path: dirPrefix, entries: page, nextCursor: next)
    }

    /// The rows below `dirPrefix` in tree order: every file (recursive) or files plus aggregated subdirectories.
    static func listing(_ entries: [ContentEntry], dirPrefix: String, recursive: Bool) -> [BrowseEntry] {
        var rows: [BrowseEntry] = []
        var dirIndex: [String: Int] = [:]
        for e in entries where e.logicalKey.hasPrefix(dirPrefix) {
            let rest = e.logicalKey.utf8.dropFirst(dirPrefix.utf8.count)
            if !recursive, let slash = rest.firstIndex(of: UInt8(ascii: "/")) {
                let child = dirPrefix + String(decoding: rest[..<slash], as: UTF8.self) + "/"
                if let i = dirIndex[child] {
                    rows[i].size += e.size
                    rows[i].fileCount = (rows[i].fileCount ?? 0) + 1
                } else {
                    dirIndex[child] = rows.count
                    rows.append(BrowseEntry(kind: .directory, logicalKey: child, physicalKey: nil, size: e.size, hash: nil, meta: nil, fileCount: 1))
                }
            } else {
                rows.append(row(e))
            }
        }
        rows.sort { LogicalKey.treeOrderPrecedes($0.logicalKey, $1.logicalKey) }
        return rows
    }

    static func row(_ e: ContentEntry) -> BrowseEntry {
        BrowseEntry(kind: .file, logicalKey: e.logicalKey, physicalKey: e.physicalKey, size: e.size, hash: e.hash, meta: e.meta, fileCount: nil)
    }


    // MARK: - Browsing large revisions

    /// Lists `dirPrefix` with `dir(path)` (every directory below it when recursive), or finds the file at `exact`.
    func walk(_ request: BrowseRequest, hash: TopHash, dirPrefix: String, exact: String?) async throws(QuiltOpsError)
        -> (rows: [BrowseEntry], file: BrowseEntry?)
    {
        var rows: [BrowseEntry] = []
        var pending = [dirPrefix]
        var first = true
        while let dir = pending.popLast() {
            let (children, file) = try await directory(request, hash: hash, path: dir, exactFile: first ? exact : nil)
            if first, children == nil {
                if let file { return ([], file) }
                throw .notFound(.entry(path: request.path, package: request.package.rawValue))
            }
            first = false
            for child in children ?? [] {
                if child.kind == .directory && request.recursive {
                    pending.append(child.logicalKey)
                } else {
                    rows.append(child)
                }
            }
        }
        rows.sort { LogicalKey.treeOrderPrecedes($0.logicalKey, $1.logicalKey) }
        return (rows, nil)
    }

    /// One `RevisionDir` request: the directory's children (nil when there is no such directory) and the file at
    /// `exactFile`, if asked for and present.
    func directory(_ request: BrowseRequest, hash: TopHash, path: String, exactFile: String?) async throws(QuiltOpsError)
        -> (children: [BrowseEntry]?, file: BrowseEntry?)
    {
        let data = try await graphQL(
            .revisionDir,
            ["bucket": .string(try bucket(request.registry)), "name": .string(request.package.rawValue),
             "hashOrTag": .string(hash.rawValue), "path": .string(exactFile ?? path)])
        let rev = data["package"]?["revision"]
        var file: BrowseEntry? = nil
        if exactFile != nil, let f = rev?["file"], !f.isNull { file = Self.fileRow(f) }
        var children: [BrowseEntry]? = nil
        if let dir = rev?["dir"], !dir.isNull {
            children = (dir["children"]?.arrayValue ?? []).compactMap { child -> BrowseEntry? in
                if child["__typename"]?.stringValue == "PackageDir" {
                    var p = child["path"]?.stringValue ?? ""
                    if !p.hasSuffix("/") { p += "/" }
                    return BrowseEntry(
                        kind: .directory, logicalKey: p, physicalKey: nil, size: Int64(child["size"]?.doubleValue ?? 0), hash: nil,
                        meta: child["metadata"].nonNull, fileCount: nil)
                }
                return Self.fileRow(child)
            }
        } else if exactFile != nil, file == nil {
            // `path` without a trailing slash may still name a directory.
            let again = try await directory(request, hash: hash, path: path, exactFile: nil)
            children = again.children
        }
        return (children, file)
    }

    static func fileRow(_ f: JSONValue) -> BrowseEntry? {
        guard let p = f["path"]?.stringValue, let pk = f["physicalKey"]?.stringValue.flatMap({ try? PhysicalKey($0) }) else { return nil }
        return BrowseEntry(
            kind: .file, logicalKey: p, physicalKey: pk, size: Int64(f["size"]?.doubleValue ?? 0), hash: nil,
            meta: f["metadata"].nonNull ?? .object([:]), fileCount: nil)
    }
}
