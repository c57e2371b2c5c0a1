import Foundation
import Testing

@testable import QuiltHTTPServer

/// The per-request token work done byte by byte: the `Authorization` header's bearer token and base64url decoding,
/// checked against Foundation's decoder (a peer we did not write) and RFC 6750's grammar.
@Suite("Bearer header and base64url, byte by byte")
struct BearerParsingTests {
    /// Foundation's reading of base64url: the alphabet swapped back, padding added.
    static func foundationDecode(_ text: String) -> [UInt8]? {
        guard !text.contains("="), text.utf8.count % 4 != 1 else { return nil }
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        s += String(repeating: "=", count: (4 - s.utf8.count % 4) % 4)
        return Data(base64Encoded: s).map { Array($0) }
    }

    @Test("Decodes what Foundation decodes, for every length 0–64 and random bytes")
    func matchesFoundation() throws {
        var generator = SystemRandomNumberGenerator()
        for length in 0...64 {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let text = Base64URL.encode(bytes)
                #expect(Base64URL.decode(text) == bytes, "\(text)")
                #expect(Base64URL.decode(text) == Self.foundationDecode(text), "\(text)")
            }
        }
    }

    @Test("Refuses padding, the standard alphabet's + and /, other characters and impossible lengths",
          arguments: ["eyJ=", "ab+c", "ab/c", "a b", "abcde", "é", "ab\u{0}c"])
    func refuses(_ text: String) {
        #expect(Base64URL.decode(text) == nil)
    }

    @Test("Bearer tokens: scheme case-insensitive, SP/HTAB around, RFC 6750 characters only",
          arguments: [
            ("Bearer abc.def-ghi_jkl~+/=", "abc.def-ghi_jkl~+/="), ("bearer x", "x"), ("BEARER  x ", "x"),
            ("\tBearer\tx\t", "x"), (" Bearer   a.b.c", "a.b.c"),
          ])
    func accepts(header: String, token: String) throws {
        #expect(try Authenticator.bearerToken(header) == token)
    }

    @Test("Other schemes and malformed tokens are refused with the RFC 6750 code",
          arguments: [
            ("Basic abc", AuthFailure.Code.invalidRequest), ("Bearer", .invalidRequest), ("Bearer   ", .invalidRequest),
            ("", .invalidRequest), ("Bearerx abc", .invalidRequest), ("Bearer a b", .invalidToken),
            ("Bearer a,b", .invalidToken), ("Bearer tökén", .invalidToken), ("Bearer a\u{00A0}", .invalidToken),
          ])
    func refusesHeader(header: String, code: AuthFailure.Code) {
        #expect(throws: AuthFailure.self) { try Authenticator.bearerToken(header) }
        do {
            _ = try Authenticator.bearerToken(header)
        } catch {
            #expect(error.code == code, "\(error)")
        }
    }
}
