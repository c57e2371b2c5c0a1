import Foundation
import QuiltContract
import QuiltHTTP
@testable import QuiltS3
import Testing

/// Inputs the libFuzzer `s3xml` target found trapping Foundation's XMLParser (Fuzz/Regressions/s3xml), which the
/// S3 client used before it had its own reader: invalid UTF-8 in an element name, an attribute name and a comment,
/// and a processing instruction without data. They stay typed errors, never a crash.
@Suite("S3 XML: bodies that once trapped XMLParser")
struct XMLRegressionTests {
    static var regressions: [(name: String, bytes: [UInt8])] {
        var root = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root.deleteLastPathComponent()
        }
        let dir = root.appendingPathComponent("Fuzz/Regressions/s3xml").path
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
        return names.compactMap { name in
            FileManager.default.contents(atPath: dir + "/" + name).map { (name, Array($0)) }
        }
    }

    @Test("Every kept regression is refused as a remote error, and an error response with it falls back to its status")
    func regressions() throws {
        let cases = Self.regressions
        #expect(cases.count >= 4, "the regressions directory is missing")
        for (name, bytes) in cases {
            #expect(throws: QuiltOpsError.self, "\(name)") { try S3XML.parse(bytes) }
            let error = S3ErrorResponse(QuiltHTTPResponse(status: 403, body: bytes))
            #expect(error.code == "AccessDenied", "\(name)")
        }
    }

    @Test("Processing instructions are refused wherever they are; the XML declaration is not one", arguments: [
        ("<?x?><Error/>", true), ("<Error><?x?></Error>", true), ("<?xml version=\"1.0\"?><Error/>", false),
        ("\u{FEFF}<?xml version=\"1.0\"?><Error/>", false), ("<?xmlx?><Error/>", true), (" <?xml version=\"1.0\"?><E/>", true),
        ("<Error><Key>a&lt;?b</Key></Error>", false),
    ])
    func processingInstructions(text: String, refused: Bool) {
        #expect(((try? S3XML.parse(Array(text.utf8))) == nil) == refused, "\(text)")
    }

    @Test("Valid UTF-8 XML still parses, whitespace in keys kept")
    func validStillParses() throws {
        let body = Array("<ListBucketResult><Contents><Key> a  b </Key></Contents></ListBucketResult>".utf8)
        #expect(try S3XML.parse(body)["ListBucketResult"]["Contents"]["Key"].element?.text == " a  b ")
    }
}
