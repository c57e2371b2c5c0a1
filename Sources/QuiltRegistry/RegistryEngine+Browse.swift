import FoundationEssentials
package import QuiltContract
import QuiltJSON
import QuiltManifest
import QuiltStorage

extension RegistryEngine {
    // MARK: - Browsing

    /// Streams the manifest once, keeping only the rows of the requested page (plus one aggregate per
    /// subdirectory for one-level listings), and verifies the top hash on the way.
    package func browse(_ request: BrowseRequest) async throws(QuiltOpsError) -> BrowseResult {
        let storage = try resolver.storage(for: request.registry)
        let hash = try await resolveHash(storage, request.package, request.revision)
        let (dirPrefix, exact) = try request.directoryAndFile()
        let after = try request.page.cursor.map { (c) throws(QuiltOpsError) in try Cursor.decode(c) }

        var page = TopK(limit: request.page.limit)
        var subdirs: [String: (size: Int64, count: Int, meta: JSONValue?)] = [:]
        var dirMetas: [String: JSONValue] = [:]
        var exactFile: ManifestEntry? = nil
        var matched = false
        var hasher: TopHasher? = nil
        let pkg = request.package.rawValue

        let url = storage.physicalKey(RegistryLayout.manifestKey(hash)).url
        let prefixBytes = Array(dirPrefix.utf8)
        let exactBytes = exact.map { Array($0.utf8) }
        // Consecutive entries share their subdirectory (tree order), so aggregate a run before touching the dict.
        var run: (child: [UInt8], size: Int64, count: Int)? = nil
        func flushRun() {
            guard let r = run else { return }
            let child = String(decoding: r.child, as: UTF8.self)
            var agg = subdirs[child] ?? (0, 0, nil)
            agg.size += r.size
            agg.count += r.count
            subdirs[child] = agg
            run = nil
        }
        func parse(_ line: UnsafeRawBufferPointer, _ n: Int) throws(QuiltOpsError) -> ManifestRecord {
            do throws(ManifestError) {
                return try ManifestParser.parse(line, lineNumber: n)
            } catch {
                throw .remote("manifest \(url) is corrupt: \(error.description)", retryable: false)
            }
        }
        try await scanManifestLines(storage, hash) { (line, n) throws(QuiltOpsError) -> Bool in
            if n == 1 {
                guard case .header(let h) = try parse(line, 1) else { return true }
                hasher = TopHasher(header: h)
                return true
            }
            // The fast path hashes the line from its bytes; only lines that are listed get fully parsed.
            var entry: ManifestEntry? = nil
            let keyBytes: UnsafeRawBufferPointer
            let size: Int64
            var keyString: String? = nil
            if let fast = hasher?.addLine(line) {
                keyBytes = UnsafeRawBufferPointer(rebasing: line[fast.key])
                size = fast.size
            } else {
                switch try parse(line, n) {
                case .header: return true
                case .directory(let d):
                    dirMetas[d.logicalKey] = d.meta
                    return true
                case .entry(let e):
                    hasher?.add(e)
                    entry = e
                    keyString = e.logicalKey
                    size = e.size
                    keyBytes = UnsafeRawBufferPointer(start: nil, count: 0)
                }
            }
            func key() -> String { keyString ?? String(decoding: keyBytes, as: UTF8.self) }
            func full() throws(QuiltOpsError) -> ManifestEntry? {
                if let entry { return entry }
                if case .entry(let e) = try parse(line, n) { return e }
                return nil
            }
            let matchesExact: Bool
            let hasPrefix: Bool
            let rest: Int
            if let keyString {
                matchesExact = exact.map { $0 == keyString } ?? false
                hasPrefix = keyString.utf8.starts(with: prefixBytes)
                rest = prefixBytes.count
            } else {
                matchesExact = exactBytes.map { keyBytes.elementsEqual($0) } ?? false
                hasPrefix = keyBytes.starts(with: prefixBytes)
                rest = prefixBytes.count
            }
            if matchesExact { exactFile = try full() }
            guard hasPrefix else { return true }
            matched = true
            let bytes: [UInt8] = keyString.map { Array($0.utf8) } ?? []
            let slash: Int? = keyString == nil
                ? keyBytes[rest...].firstIndex(of: UInt8(ascii: "/"))
                : bytes[rest...].firstIndex(of: UInt8(ascii: "/"))
            if !request.recursive, let slash {
                let same: Bool
                if let r = run {
                    same = keyString == nil
                        ? r.child.count == slash + 1 && keyBytes[..<(slash + 1)].elementsEqual(r.child)
                        : r.child.count == slash + 1 && bytes[..<(slash + 1)].elementsEqual(r.child)
                } else {
                    same = false
                }
                if same, let r = run {
                    run = (r.child, r.size + size, r.count + 1)
                } else {
                    flushRun()
                    run = (keyString == nil ? Array(keyBytes[..<(slash + 1)]) : Array(bytes[..<(slash + 1)]), size, 1)
                }
            } else {
                let k = key()
                if after.map({ LogicalKey.treeOrderPrecedes($0, k) }) ?? true, let e = try full() {
                    page.offer(k, .file(e))
                }
            }
            return true
        }
        flushRun()

        try await verify(&hasher, storage, hash)

        let resolved = ResolvedRevision(name: request.package, registry: request.registry, hash: hash)
        if let file = exactFile, !matched {
            return BrowseResult(revision: resolved, path: file.logicalKey, entries: [Self.row(file)], nextCursor: nil)
        }
        if !matched && exactFile == nil && !dirPrefix.isEmpty {
            throw .notFound(.entry(path: request.path, package: pkg))
        }
        for (child, agg) in subdirs where after.map({ LogicalKey.treeOrderPrecedes($0, child) }) ?? true {
            page.offer(child, .directory(child, agg.size, agg.count))
        }
        let (items, more) = page.result()
        let rows = items.map { item -> BrowseEntry in
            switch item {
            case .file(let e): return Self.row(e)
            case .directory(let path, let size, let count):
                return BrowseEntry(
                    kind: .directory, logicalKey: path, physicalKey: nil, size: size, hash: nil, meta: dirMetas[path],
                    fileCount: count)
            }
        }
        let next = more ? rows.last.map { Cursor.encode(after: $0.logicalKey) } : nil
        return BrowseResult(revision: resolved, path: dirPrefix, entries: rows, nextCursor: next)
    }

    static func row(_ e: ManifestEntry) -> BrowseEntry {
        BrowseEntry(
            kind: .file, logicalKey: e.logicalKey, physicalKey: e.physicalKey, size: e.size, hash: e.objectHash,
            meta: e.meta, fileCount: nil)
    }

}

/// One listed item before it becomes a `BrowseEntry`.
enum BrowseItem {
    case file(ManifestEntry)
    case directory(String, Int64, Int)
}

/// Keeps the `limit` smallest items in tree order (plus one, to know whether more remain), in bounded memory.
struct TopK {
    let limit: Int
    private var items: [(key: String, item: BrowseItem)] = []

    init(limit: Int) { self.limit = limit }

    mutating func offer(_ key: String, _ item: BrowseItem) {
        items.append((key, item))
        if items.count >= 4 * (limit + 1) + 64 { compact() }
    }

    private mutating func compact() {
        items.sort { LogicalKey.treeOrderPrecedes($0.key, $1.key) }
        items.removeSubrange((limit + 1)...)
    }

    /// The page and whether more items exist beyond it.
    mutating func result() -> ([BrowseItem], Bool) {
        items.sort { LogicalKey.treeOrderPrecedes($0.key, $1.key) }
        let more = items.count > limit
        return (items.prefix(limit).map(\.item), more)
    }
}
