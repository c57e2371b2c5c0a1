/// One element of the XML that S3 and STS answer with: its name, the character data directly inside it, and its child
/// elements in order. Attributes are read past and dropped: no answer this module reads carries data in them.
///
/// Looking up a child that is not there gives ``missing``, so paths chain (`xml["Error"]["Code"].text`) and end in
/// `nil` rather than trapping.
struct XMLNode: Sendable {
    /// The element's name as written (`ListBucketResult`; a prefix, if any, is kept: `s3:Key`).
    var name: String
    /// Every child element, in document order.
    var children: [XMLNode]
    private var characters: String
    private var exists: Bool

    init(name: String, text: String, children: [XMLNode]) {
        self.name = name
        self.characters = text
        self.children = children
        self.exists = true
    }

    /// The node a lookup gives when no element matched: no name, no text, no children.
    static let missing: XMLNode = {
        var node = XMLNode(name: "", text: "", children: [])
        node.exists = false
        return node
    }()

    /// The character data directly inside the element, exactly as sent (entities and CDATA resolved, line ends
    /// normalised as XML requires); `""` for an empty element and `nil` for a missing one.
    var text: String? { exists ? characters : nil }

    /// This node, or `nil` when it is ``missing``.
    var element: XMLNode? { exists ? self : nil }

    /// The first child element named `name`, or ``missing``.
    subscript(name: String) -> XMLNode {
        children.first { $0.name == name } ?? .missing
    }

    /// Every child element named `name`, in document order.
    func all(_ name: String) -> [XMLNode] {
        children.filter { $0.name == name }
    }
}

/// A small, strict reader for the XML S3-compatible services send: elements, character data, the five predefined
/// entities and character references, CDATA sections, comments and one leading XML declaration.
///
/// It refuses what those services never send and what makes general-purpose XML parsers dangerous or fragile:
/// document type declarations (and with them every custom entity), processing instructions, and nesting deeper
/// than ``maximumDepth``. It is a byte loop over the body with no dependency, which is why the S3 client no longer
/// loads Foundation's XMLParser and libxml2 (see docs/design/shipped-binary.md).
enum XMLReader {
    /// Elements nested deeper than this are refused; S3's deepest answer nests four.
    static let maximumDepth = 64

    /// Why a document was refused, and the byte offset where the reader stopped.
    struct Failure: Error, Equatable, CustomStringConvertible {
        var reason: String
        var offset: Int
        var description: String { "\(reason) (at byte \(offset))" }
    }

    /// The document in `bytes`, as a node with no name whose single child is the root element.
    /// - Throws: ``Failure`` when the bytes are not well-formed XML of the kind described above.
    static func parse(_ bytes: [UInt8]) throws(Failure) -> XMLNode {
        var reader = Reader(bytes: bytes)
        return try reader.document()
    }
}

// MARK: - Reading

private struct Open {
    var name: String
    var text: [UInt8] = []
    var children: [XMLNode] = []
}

private struct Reader {
    let bytes: [UInt8]
    var i = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    func fail(_ reason: String) -> XMLReader.Failure { XMLReader.Failure(reason: reason, offset: i) }

    func at(_ literal: String) -> Bool {
        var j = i
        for c in literal.utf8 {
            guard j < bytes.count, bytes[j] == c else { return false }
            j += 1
        }
        return true
    }

    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

    mutating func skipSpace() {
        while i < bytes.count, Self.isSpace(bytes[i]) { i += 1 }
    }

    /// Moves past the next `terminator`; fails with `unterminated` when there is none.
    mutating func skip(past terminator: String, unterminated: String) throws(XMLReader.Failure) -> Range<Int> {
        let start = i
        while i < bytes.count {
            if at(terminator) {
                let end = i
                i += terminator.utf8.count
                return start..<end
            }
            i += 1
        }
        throw fail(unterminated)
    }

    mutating func document() throws(XMLReader.Failure) -> XMLNode {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }  // a byte-order mark
        if at("<?xml"), i + 5 < bytes.count, Self.isSpace(bytes[i + 5]) {
            _ = try skip(past: "?>", unterminated: "the XML declaration is not closed")
        }
        var stack: [Open] = []
        var root: XMLNode?
        while i < bytes.count {
            if bytes[i] != UInt8(ascii: "<") {
                guard var top = stack.popLast() else {
                    guard Self.isSpace(bytes[i]) else { throw fail("character data outside the root element") }
                    i += 1
                    continue
                }
                try characterData(into: &top.text)
                stack.append(top)
            } else if at("<!--") {
                i += 4
                _ = try skip(past: "-->", unterminated: "a comment is not closed")
            } else if at("<![CDATA[") {
                guard !stack.isEmpty else { throw fail("a CDATA section outside the root element") }
                i += 9
                let range = try skip(past: "]]>", unterminated: "a CDATA section is not closed")
                try appendNormalised(bytes[range], to: &stack[stack.count - 1].text)
            } else if at("<!") {
                throw fail("a document type declaration or other <! markup, which S3 never sends")
            } else if at("<?") {
                throw fail("a processing instruction, which S3 never sends")
            } else if at("</") {
                i += 2
                let name = try readName()
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ">") else { throw fail("an end tag is not closed") }
                i += 1
                guard let open = stack.popLast(), open.name == name else {
                    throw fail("the end tag </\(name)> does not match the open element")
                }
                let node = XMLNode(name: name, text: String(decoding: open.text, as: UTF8.self), children: open.children)
                if stack.isEmpty { root = node } else { stack[stack.count - 1].children.append(node) }
            } else {
                guard root == nil else { throw fail("content after the root element") }
                i += 1
                let name = try readName()
                let selfClosing = try readAttributes()
                guard stack.count < XMLReader.maximumDepth else {
                    throw fail("elements nest deeper than \(XMLReader.maximumDepth)")
                }
                if selfClosing {
                    let node = XMLNode(name: name, text: "", children: [])
                    if stack.isEmpty { root = node } else { stack[stack.count - 1].children.append(node) }
                } else {
                    stack.append(Open(name: name))
                }
            }
        }
        guard stack.isEmpty else { throw fail("the element <\(stack[stack.count - 1].name)> is not closed") }
        guard let root else { throw fail("no root element") }
        return XMLNode(name: "", text: "", children: [root])
    }

    // MARK: - Tags

    mutating func readName() throws(XMLReader.Failure) -> String {
        let start = i
        while i < bytes.count {
            let c = bytes[i]
            if Self.isSpace(c) || c == UInt8(ascii: "/") || c == UInt8(ascii: ">") || c == UInt8(ascii: "=")
                || c == UInt8(ascii: "<") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: "&") {
                break
            }
            i += 1
        }
        guard i > start else { throw fail("a tag without a name") }
        let first = bytes[start]
        guard !(first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")), first != UInt8(ascii: "-"), first != UInt8(ascii: ".") else {
            throw fail("a name starts with a digit, '-' or '.'")
        }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    /// Reads past a start tag's attributes; true when the tag closes itself (`/>`).
    mutating func readAttributes() throws(XMLReader.Failure) -> Bool {
        while true {
            let hadSpace = i < bytes.count && Self.isSpace(bytes[i])
            skipSpace()
            guard i < bytes.count else { throw fail("a start tag is not closed") }
            if bytes[i] == UInt8(ascii: ">") { i += 1; return false }
            if at("/>") { i += 2; return true }
            guard hadSpace else { throw fail("attributes must be separated by white space") }
            _ = try readName()
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "=") else { throw fail("an attribute without a value") }
            i += 1
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") else {
                throw fail("an attribute value is not quoted")
            }
            let quote = bytes[i]
            i += 1
            while i < bytes.count, bytes[i] != quote {
                if bytes[i] == UInt8(ascii: "<") { throw fail("'<' inside an attribute value") }
                if bytes[i] == UInt8(ascii: "&") {
                    var discarded: [UInt8] = []
                    try reference(into: &discarded)
                } else {
                    i += 1
                }
            }
            guard i < bytes.count else { throw fail("an attribute value is not closed") }
            i += 1
        }
    }

    // MARK: - Character data

    /// Appends the character data up to the next `<`, resolving references and normalising line ends.
    mutating func characterData(into text: inout [UInt8]) throws(XMLReader.Failure) {
        while i < bytes.count, bytes[i] != UInt8(ascii: "<") {
            let c = bytes[i]
            if c == UInt8(ascii: "&") {
                try reference(into: &text)
            } else if c == 0x0D {
                text.append(0x0A)
                i += 1
                if i < bytes.count, bytes[i] == 0x0A { i += 1 }
            } else {
                guard c >= 0x20 || c == 0x09 || c == 0x0A else { throw fail("a control character (\(c)) in text") }
                text.append(c)
                i += 1
            }
        }
    }

    func appendNormalised(_ raw: ArraySlice<UInt8>, to text: inout [UInt8]) throws(XMLReader.Failure) {
        var previousCR = false
        for c in raw {
            if c == 0x0D {
                text.append(0x0A)
                previousCR = true
                continue
            }
            if c == 0x0A && previousCR { previousCR = false; continue }
            previousCR = false
            guard c >= 0x20 || c == 0x09 || c == 0x0A else { throw fail("a control character (\(c)) in a CDATA section") }
            text.append(c)
        }
    }

    /// Resolves the reference at `&`: one of the five predefined entities or a character reference.
    mutating func reference(into text: inout [UInt8]) throws(XMLReader.Failure) {
        let start = i
        i += 1
        while i < bytes.count, bytes[i] != UInt8(ascii: ";") {
            guard i - start < 12 else { i = start; throw fail("an '&' that starts no reference (write &amp;)") }
            i += 1
        }
        guard i < bytes.count else { i = start; throw fail("a reference is not closed with ';'") }
        let body = bytes[(start + 1)..<i]
        i += 1
        switch String(decoding: body, as: UTF8.self) {
        case "lt": text.append(UInt8(ascii: "<"))
        case "gt": text.append(UInt8(ascii: ">"))
        case "amp": text.append(UInt8(ascii: "&"))
        case "quot": text.append(UInt8(ascii: "\""))
        case "apos": text.append(UInt8(ascii: "'"))
        case let name where name.hasPrefix("#"):
            let hex = name.hasPrefix("#x")
            let digits = name.dropFirst(hex ? 2 : 1)
            guard !digits.isEmpty, digits.allSatisfy({ hex ? $0.isHexDigit : ($0.isASCII && $0.isNumber) }),
                  let value = UInt32(digits, radix: hex ? 16 : 10), let scalar = Unicode.Scalar(value),
                  value == 0x09 || value == 0x0A || value == 0x0D || (value >= 0x20 && value != 0xFFFE && value != 0xFFFF)
            else {
                i = start
                throw fail("the character reference &\(name); names no character XML allows")
            }
            text.append(contentsOf: String(Character(scalar)).utf8)
        case let name:
            i = start
            throw fail("the entity &\(name); is not one of XML's five (custom entities are refused)")
        }
    }
}
