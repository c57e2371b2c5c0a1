import Foundation
import QuiltContract
import QuiltJSON
import QuiltTestSupport
import Testing

extension ConformanceSession {
    /// Creates (or, with `force`, replaces) a package from inline files through the seeder.
    @discardableResult
    func seed(
        _ name: String, files: [(String, String)], userMeta: JSONValue? = nil, message: String? = "seed",
        entryMeta: [String: JSONValue] = [:], force: Bool = true
    ) async throws -> RevisionInfo {
        let entries = try files.map { (key, text) in
            NewEntry(logicalKey: try LogicalKey(key), source: .bytes(Array(text.utf8)), userMeta: entryMeta[key])
        }
        return try await seeder.createRevision(
            CreateRevisionRequest(
                package: try PackageName(name), registry: registry, entries: entries, userMeta: userMeta,
                message: message, force: force))
    }

    /// Writes a local file in the scratch directory and returns its path.
    func localFile(_ relative: String, _ text: String) throws -> String {
        let path = scratch + "/src/" + relative
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Every entry of a revision, paging through `browse` with `pageSize`.
    func browseAll(
        _ name: String, revision: RevisionRef = .latest, path: String = "", recursive: Bool = true, pageSize: Int = 1000
    ) async throws -> [BrowseEntry] {
        var out: [BrowseEntry] = []
        var cursor: String? = nil
        repeat {
            let page = try await ops.browse(
                BrowseRequest(
                    package: try PackageName(name), registry: registry, revision: revision, path: path,
                    recursive: recursive, page: try PageRequest(limit: pageSize, cursor: cursor)))
            out += page.entries
            cursor = page.nextCursor
        } while cursor != nil
        return out
    }
}

/// Asserts that `body` throws a `QuiltOpsError` of the given kind and returns it.
@discardableResult
func expectError(
    _ kind: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async -> QuiltOpsError? {
    do {
        try await body()
        Issue.record("expected a \(kind) error, but the call succeeded", sourceLocation: sourceLocation)
        return nil
    } catch let error as QuiltOpsError {
        #expect(error.kind == kind, "got \(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected QuiltOpsError.\(kind), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
