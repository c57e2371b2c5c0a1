import Foundation
import QuiltContract
import QuiltHTTP
@testable import QuiltS3
import QuiltTestSupport
import SWXMLHash
import Testing

/// The S3 client's own XML reader, checked against SWXMLHash over Foundation's XMLParser (libxml2): every XML body
/// recorded from S3, STS and moto in Fixtures/, and hand-written documents with what those services' text can hold.
@Suite("S3 XML reader agrees with libxml2")
struct XMLReaderTests {
    /// Every response body in Fixtures/ that is an XML document.
    static let recordedBodies: [(name: String, bytes: [UInt8])] = {
        let root = Executables.repositoryRoot + "/Fixtures"
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var out: [(String, [UInt8])] = []
        for case let relative as String in walker where relative.hasSuffix(".json") {
            guard let data = FileManager.default.contents(atPath: root + "/" + relative),
                  let fixture = try? FixtureCodec.decode(Array(data), path: relative) else { continue }
            for exchange in fixture.exchanges {
                let body = exchange.response.body
                let start = body.firstIndex { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 } ?? body.endIndex
                if start < body.endIndex, body[start] == UInt8(ascii: "<") {
                    out.append(("\(relative) #\(exchange.seq)", body))
                }
            }
        }
        return out
    }()

    /// Element names and text, depth first, as one string per element: what the two parsers must agree on.
    static func outline(_ node: XMLNode, path: String = "") -> [String] {
        node.children.flatMap { child -> [String] in
            let here = path + "/" + child.name
            let line = child.children.isEmpty ? "\(here)=\(child.text ?? "nil")" : here
            return [line] + outline(child, path: here)
        }
    }

    static func outline(_ indexer: XMLIndexer, path: String = "") -> [String] {
        indexer.children.flatMap { child -> [String] in
            guard let element = child.element else { return [] }
            let here = path + "/" + element.name
            let line = child.children.isEmpty ? "\(here)=\(element.text)" : here
            return [line] + outline(child, path: here)
        }
    }

    static func libxml2(_ bytes: [UInt8]) -> [String] {
        outline(XMLHash.config { $0.detectParsingErrors = false }.parse(Data(bytes)))
    }

    @Test("Every recorded XML answer reads the same as libxml2 reads it")
    func recorded() throws {
        let bodies = Self.recordedBodies
        #expect(bodies.count >= 20, "found only \(bodies.count) XML bodies under Fixtures/")
        for (name, bytes) in bodies {
            let ours = try XMLReader.parse(bytes)
            #expect(Self.outline(ours) == Self.libxml2(bytes), "\(name)")
        }
    }

    @Test("Text S3 keys and messages can hold reads as libxml2 reads it", arguments: [
        "<K> a  b </K>",
        "<K>\t tab and\nnewline </K>",
        "<K>line\r\nends\rnormalised</K>",
        "<K>&lt;&gt;&amp;&quot;&apos; and &#65;&#x42;&#xe9;&#x1F600; and &#13;&#10;</K>",
        "<K><![CDATA[<raw> & ]] text\n]]></K>",
        "<K>a<![CDATA[b]]>c</K>",
        "<K>before<!-- a comment -->after</K>",
        "<K>ünïcødé ✓ 日本語 😀</K>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<R xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><A>1</A><B/><A>2</A></R>",
        "\u{FEFF}<?xml version='1.0'?><R a='x>y' b = \"&amp;\"><C d=\"1\"/></R>\n",
        "<R>\n  <Contents>\n    <Key>k</Key>\n    <Size>3</Size>\n  </Contents>\n</R>",
        "<R><E></E><F>x</F ></R>",
        "<!-- leading --><R/><!-- trailing -->",
    ])
    func handWritten(document: String) throws {
        let bytes = Array(document.utf8)
        #expect(Self.outline(try XMLReader.parse(bytes)) == Self.libxml2(bytes))
    }

    @Test("Lookups chain through missing elements to nil; empty elements have empty text")
    func lookups() throws {
        let xml = try XMLReader.parse(Array("<R><A>1</A><B/><A>2</A></R>".utf8))
        #expect(xml["R"].all("A").map(\.text) == ["1", "2"])
        #expect(xml["R"]["B"].text == "")
        #expect(xml["R"]["Missing"]["Deeper"].text == nil)
        #expect(xml["R"]["Missing"].element == nil)
        #expect(xml.children.first?.name == "R")
    }

    @Test("Line ends in CDATA are normalised as XML 1.0 section 2.11 requires (libxml2 keeps CR LF there; S3 sends no CDATA)")
    func cdataLineEnds() throws {
        let xml = try XMLReader.parse(Array("<K><![CDATA[a\r\nb\rc]]></K>".utf8))
        #expect(xml["K"].text == "a\nb\nc")
    }

    @Test("What S3 never sends is refused with the reason", arguments: [
        ("<!DOCTYPE r [<!ENTITY e \"x\">]><r>&e;</r>", "document type"),
        ("<r>&e;</r>", "entity &e;"),
        ("<?pi data?><r/>", "processing instruction"),
        ("<r><?pi?></r>", "processing instruction"),
        (" <?xml version=\"1.0\"?><r/>", "processing instruction"),
        ("<r><a></r>", "does not match"),
        ("<r>", "not closed"),
        ("<r/>x", "outside the root"),
        ("<r/><s/>", "after the root"),
        ("<r>\u{1}</r>", "control character"),
        ("<r>&#0;</r>", "no character"),
        ("<r>&#+65;</r>", "no character"),
        ("<r>&#x-41;</r>", "no character"),
        ("<r>& x</r>", "reference"),
        ("<r a=1/>", "not quoted"),
        ("<1r/>", "digit"),
        ("", "no root"),
    ])
    func refusals(document: String, reason: String) {
        #expect {
            try XMLReader.parse(Array(document.utf8))
        } throws: { error in
            "\(error)".contains(reason)
        }
    }

    @Test("Nesting deeper than the limit is refused; at the limit it reads")
    func depth() throws {
        func nested(_ n: Int) -> [UInt8] { Array((String(repeating: "<a>", count: n) + String(repeating: "</a>", count: n)).utf8) }
        _ = try XMLReader.parse(nested(XMLReader.maximumDepth))
        #expect(throws: XMLReader.Failure.self) { try XMLReader.parse(nested(XMLReader.maximumDepth + 1)) }
        // A hostile body a million elements deep costs a refusal, not the stack.
        #expect(throws: XMLReader.Failure.self) { try XMLReader.parse(nested(1_000_000)) }
    }
}
