import Foundation
import QuiltHTTP
import QuiltTestSupport
import Testing

/// Every committed HTTP fixture is free of credentials: no access key ids, JWTs, account ids, authorization or
/// session-token headers, cookies, unscrubbed presigned signatures or secret values in credential responses.
@Suite("Fixtures: no secrets committed")
struct FixtureHygieneTests {
    /// AWS's documented example keys (in the SigV4 vectors) are not secrets.
    static let documentedExamples = ["AKIAIOSFODNN7EXAMPLE", "AKIDEXAMPLE"]

    static var fixtureFiles: [String] {
        let root = Executables.repositoryRoot + "/Fixtures"
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".json") }.map { root + "/" + $0 }.sorted()
    }

    @Test("No committed fixture holds a secret")
    func noSecrets() throws {
        let files = Self.fixtureFiles
        #expect(files.contains { $0.hasSuffix("/s3/packages.create.then-browse.json") }, "the S3 fixtures are committed")
        for path in files {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let http = text.contains("\"quilt-fixture/1\"")
            for m in SecretPatterns.find(in: text) {
                let bytes = Array(text.utf8)
                let found = String(decoding: bytes[m.range], as: UTF8.self)
                let context = String(decoding: bytes[max(0, m.range.lowerBound - 2)..<min(bytes.count, m.range.upperBound + 8)], as: UTF8.self)
                guard !Self.documentedExamples.contains(where: { context.contains($0) }) else { continue }
                Issue.record("\(path): \(m.kind) \(found.prefix(8))… is committed")
            }
            guard http else { continue }
            let lower = text.lowercased()
            for header in ["\"authorization\"", "\"x-amz-security-token\"", "\"set-cookie\"", "\"cookie\"", "bearer "] {
                #expect(!lower.contains(header), "\(path) contains \(header)")
            }
            let fixture = try FixtureStore.read(path)
            for x in fixture.exchanges {
                for q in x.request.query where FixtureScrubber.scrubbedQuery.contains(q.name) {
                    #expect(q.value == FixtureScrubber.placeholder, "\(path) #\(x.seq): \(q.name) is not scrubbed")
                }
            }
            for key in ["SecretAccessKey", "SessionToken", "refresh_token", "access_token", "secret_key"] {
                for line in text.split(separator: "\n") where line.contains(key) {
                    #expect(line.contains(FixtureScrubber.placeholder) || line.contains("SCRUBBED"), "\(path): \(key) value is not scrubbed: \(line.prefix(120))")
                }
            }
        }
    }
}
