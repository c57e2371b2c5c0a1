import Foundation
import QuiltContract
import QuiltStorage
import Testing

/// The small helpers that replaced Foundation's string and path methods on the server path, checked against
/// Foundation itself.
@Suite("Foundation-free helpers agree with Foundation")
struct FoundationFreeHelpersTests {
    @Test("LocalFiles.parent is deletingLastPathComponent",
          arguments: ["/a/b/c", "/a/b/", "/a", "/", "a/b", "/tmp/reg//x", "rel/dir/", "/a b/é/ç", ""])
    func parent(_ path: String) {
        #expect(LocalFiles.parent(path) == (path as NSString).deletingLastPathComponent, "\(path)")
    }

    /// Foundation on Linux (6.3.1) traps on a single relative component, so this one is written out.
    @Test("LocalFiles.parent of a bare name is empty")
    func bareName() {
        #expect(LocalFiles.parent("a") == "")
        #expect(LocalFiles.parent("name.txt") == "")
    }

    @Test("trimmingWhitespace is trimmingCharacters(in: .whitespacesAndNewlines)",
          arguments: ["  x  ", "\t\nx y\r\n", "", "   ", "\u{00A0}x\u{2003}", "x", "\u{0301}x", " é "])
    func trimming(_ text: String) {
        #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(text.debugDescription)")
        #expect(Substring(text).trimmingWhitespace() == text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
