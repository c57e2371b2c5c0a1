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

    @Test("A URL naming its scheme's default port is the URL without it, so its text parses back to it",
          arguments: [("https://user:443/prefix/?a=1", "https://user/prefix/?a=1"),
                      ("http://h.example:80/", "http://h.example/"),
                      ("http://h.example:443/", "http://h.example:443/"),
                      ("https://h.example:80/x", "https://h.example:80/x")])
    func defaultPort(written: String, text: String) throws {
        let url = try #require(HTTPURL(written))
        #expect(url.text == text)
        #expect(HTTPURL(url.text) == url)
        #expect(url.effectivePort == (written.contains(":80/") ? 80 : 443))
    }

    @Test("A ':' in the host is only an IPv6 literal's; an empty port is the default one")
    func colons() throws {
        #expect(HTTPURL("https://sue::443/prefix/") == nil)
        #expect(HTTPURL("http://a:b:8080/") == nil)
        #expect(try #require(HTTPURL("http://[::1]:9000/x")).hostHeader == "[::1]:9000")
        #expect(try #require(HTTPURL("http://[::1]/x")).port == nil)
        let empty = try #require(HTTPURL("http://h.example:/x"))
        #expect(empty.text == "http://h.example/x" && empty.port == nil)
    }
}
