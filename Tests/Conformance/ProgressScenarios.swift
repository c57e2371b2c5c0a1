import Foundation
import QuiltContract
import QuiltTestSupport
import Synchronization
import Testing

/// Write progress: every backend reports the same shape (``WriteProgress``), so a client's progress bar behaves the
/// same whichever backend answers.
@Suite("Conformance: write progress")
struct ProgressScenarios {
    @Test("A write reports each entry, then a final phase that ends complete; an update without entries still reports it; a refused write does not",
          arguments: Backends.supporting(.packageWrite))
    func writeProgress(_ backend: BackendUnderTest) async throws {
        try await backend.run("progress.create-and-update") { s in
            let reports = Mutex<[WriteProgress]>([])
            let record: ProgressHandler = { report in reports.withLock { $0.append(report) } }
            let name = try PackageName("prog/pkg")
            let entries = try ["a.txt", "b/c.txt", "d.bin"].map { NewEntry(logicalKey: try LogicalKey($0), source: .bytes(Array($0.utf8))) }
            _ = try await s.ops.createRevision(CreateRevisionRequest(package: name, registry: s.registry, entries: entries, progress: record))

            let created = reports.withLock { $0 }
            let perEntry = created.filter { $0.phase == WriteProgress.entriesPhase }
            #expect(perEntry.map(\.completed) == [1, 2, 3])
            #expect(perEntry.allSatisfy { $0.total == 3 })
            let last = try #require(created.last)
            #expect(last.phase != WriteProgress.entriesPhase, "the revision's own write is reported after the entries")
            #expect(last.completed == last.total)
            let final = created.drop { $0.phase == WriteProgress.entriesPhase }
            #expect(final.allSatisfy { $0.phase == last.phase }, "\(created)")
            #expect(final.map(\.completed) == final.map(\.completed).sorted())

            reports.withLock { $0 = [] }
            _ = try await s.ops.updateRevision(UpdateRevisionRequest(package: name, registry: s.registry, remove: ["a.txt"], progress: record))
            let updated = reports.withLock { $0 }
            #expect(updated.allSatisfy { $0.phase == last.phase }, "no entries stored: \(updated)")
            #expect(updated.last.map { $0.completed == $0.total } == true)

            reports.withLock { $0 = [] }
            await expectError("conflict") {
                _ = try await s.ops.createRevision(CreateRevisionRequest(package: name, registry: s.registry, entries: entries, progress: record))
            }
            #expect(reports.withLock { $0 }.contains { $0.phase == last.phase && $0.completed == $0.total } == false)
        }
    }
}
