import QuiltHTTP
import Testing

/// Endpoint URLs the libFuzzer `keys` target found parsed to the wrong host (Fuzz/Regressions/keys/httpurl-*): a
/// '/' or '@' followed by a combining mark is one Character, so Character-wise searches missed the delimiter.
@Suite("HTTPURL: delimiters followed by combining marks")
struct HTTPURLRegressionTests {
    @Test("The host is what RFC 3986 reads: the authority ends at the first '/' scalar")
    func host() throws {
        let url = try #require(HTTPURL("http://good.example/\u{301}@evil.example/"))
        #expect(url.host == "good.example")
        #expect(url.path == "/\u{301}@evil.example/")
        #expect(HTTPURL("http:///\u{33F}") == nil)
        #expect(HTTPURL("http://h.example/p?a=\u{301}&b=2")?.queryItems.map(\.name) == ["a", "b"])
    }
}
