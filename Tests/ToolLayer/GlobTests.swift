import Foundation
import QuiltJSON
import QuiltTestSupport
import QuiltTools
import Testing

/// `Glob` against Python's `fnmatch.fnmatchcase` (Fixtures/python-server/glob-vectors.json, written by
/// glob_vectors.py): the include and exclude patterns of package_create_from_s3 mean what they meant there.
@Suite("Glob patterns as Python's fnmatch reads them")
struct GlobTests {
    @Test("Every vector: the same verdict as fnmatch.fnmatchcase")
    func vectors() throws {
        let text = try String(contentsOfFile: Executables.repositoryRoot + "/Fixtures/python-server/glob-vectors.json", encoding: .utf8)
        let vectors = try #require(try JSONParser.parse(text)["vectors"]?.arrayValue)
        #expect(vectors.count > 500)
        for v in vectors {
            let pattern = try #require(v["pattern"]?.stringValue), key = try #require(v["key"]?.stringValue)
            #expect(Glob(pattern).matches(key) == (v["match"] == true), "pattern \(pattern) key \(key)")
        }
    }
}
