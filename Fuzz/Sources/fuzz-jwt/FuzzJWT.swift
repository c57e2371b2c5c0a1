// libFuzzer target `jwt`: the compact JWT reader the HTTP server runs on every bearer token before (or without)
// verifying it — CompactJWT and Base64URL, compiled here from Sources/QuiltHTTPServer (symlinks) — and the
// registered-claim checks (ClaimChecks) that run on the claims it returns.
//
// Two tokens per input: the input itself, and one built from it (the input split at its first two newlines into
// header JSON, payload JSON and signature, the first two base64url-encoded) so the JSON layer gets exercised too.
//
// Properties (each traps on violation):
// - Base64URL.decode(Base64URL.encode(bytes)) == bytes, and encode never pads;
// - a built token is accepted exactly when its header and payload parse as JSON objects, and then yields them;
// - an accepted token's header and claims are the JSON objects its first two segments decode to;
// - ClaimChecks.check (issuer and audience set) only ever throws AuthFailure, whatever the claims hold.
import Foundation
import FuzzSupport
import QuiltJSON

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: start, count: count)

    // The raw token.
    let raw = text(input)
    if let jwt = try? CompactJWT(raw) {
        let parts = raw.split(separator: ".", omittingEmptySubsequences: false)
        check(parts.count == 3, "CompactJWT accepted \(parts.count) segments")
        check(decodedObject(parts[0]) == jwt.header, "CompactJWT header is not the decoded first segment")
        check(decodedObject(parts[1]) == jwt.claims, "CompactJWT claims are not the decoded second segment")
        claimChecks(jwt)
    }

    // A token built from header JSON, payload JSON and a signature.
    let (headerBytes, afterHeader) = split(input, at: 0x0A)
    let (payloadBytes, signatureBytes) = afterHeader.map { split($0, at: 0x0A) } ?? (UnsafeRawBufferPointer(start: nil, count: 0), nil)
    let header = Array(headerBytes)
    let payload = Array(payloadBytes)
    for bytes in [header, payload] {
        let encoded = Base64URL.encode(bytes)
        check(!encoded.contains("=") && !encoded.contains("+") && !encoded.contains("/"), "Base64URL.encode gave '\(encoded)'")
        check(Base64URL.decode(encoded).map(Array.init) == bytes, "Base64URL does not round-trip \(bytes)")
    }
    let signature = signatureBytes.map { Base64URL.encode(Array($0)) } ?? ""
    let token = Base64URL.encode(header) + "." + Base64URL.encode(payload) + "." + signature
    let headerObject = (try? JSONParser.parse(header))?.objectValue
    let claimsObject = (try? JSONParser.parse(payload))?.objectValue
    switch Result(catching: { () throws(AuthFailure) -> CompactJWT in try CompactJWT(token) }) {
    case .success(let jwt):
        check(jwt.header == headerObject && jwt.claims == claimsObject, "CompactJWT read a built token differently")
        _ = (jwt.algorithm, jwt.keyID)
        claimChecks(jwt)
    case .failure(let failure):
        check(headerObject == nil || claimsObject == nil || header.isEmpty || payload.isEmpty,
              "CompactJWT refused a token whose segments are JSON objects: \(failure)")
        check(failure.code == .invalidToken && failure.status == 401, "CompactJWT failed with \(failure.code) \(failure.status)")
    }
    return 0
}

private func decodedObject(_ segment: Substring) -> JSONObject? {
    guard let data = Base64URL.decode(segment) else { return nil }
    return (try? JSONParser.parse(data))?.objectValue
}

private func claimChecks(_ jwt: CompactJWT) {
    let checks = ClaimChecks(issuer: "https://issuer.example", audience: "quilt-mcp", leeway: 60)
    _ = try? checks.check(jwt.claims, now: 1_795_282_874)
    _ = try? ClaimChecks(issuer: nil, audience: nil, leeway: 0).check(jwt.claims, now: 0)
}
