package import QuiltJSON

/// What a 2026-07-28 request declares about itself in `params._meta`.
package struct Envelope: Sendable, Equatable {
    /// The protocol version (one this server serves).
    package var version: String
    /// The client's capabilities for this request.
    package var clientCapabilities: JSONObject
    /// The client's identity, when sent.
    package var clientInfo: JSONValue?
    /// The requested log level, when sent.
    package var logLevel: String?
}

extension Request {
    /// The envelope checks of 2026-07-28, in the revision's order: `_meta` with the version and the client's
    /// capabilities (else -32602 naming what is missing), then a served version (-32602 for a non-string,
    /// -32022 with the served list otherwise). Presence is what counts for the capabilities, as in the Python SDK;
    /// a value that is not an object reads as none declared.
    package func envelope() -> Result<Envelope, RPCError> {
        guard let meta else {
            return .failure(.invalidParams(
                "params._meta must be an object carrying \(MetaKey.protocolVersion) and \(MetaKey.clientCapabilities)"))
        }
        let missing = [MetaKey.protocolVersion, MetaKey.clientCapabilities].filter { meta.position(ofKey: $0) == nil }
        guard missing.isEmpty else {
            return .failure(.invalidParams("params._meta is missing the required key(s): \(missing.joined(separator: ", "))"))
        }
        let requested = meta[MetaKey.protocolVersion] ?? .null
        guard let version = requested.stringValue else {
            return .failure(.invalidParams("\(MetaKey.protocolVersion) must be a string, e.g. \"2026-07-28\""))
        }
        guard ProtocolVersion.isModern(version) else { return .failure(.unsupportedVersion(requested: requested)) }
        return .success(Envelope(
            version: version, clientCapabilities: meta[MetaKey.clientCapabilities]?.objectValue ?? [:],
            clientInfo: meta[MetaKey.clientInfo], logLevel: meta[MetaKey.logLevel]?.stringValue))
    }
}
