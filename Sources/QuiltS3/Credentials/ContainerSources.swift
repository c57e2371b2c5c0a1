import FoundationEssentials
import QuiltContract
import QuiltHTTP
import QuiltJSON

// MARK: - ECS / EKS container credentials

/// `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (ECS, at 169.254.170.2) or `AWS_CONTAINER_CREDENTIALS_FULL_URI`
/// (EKS Pod Identity and others) with `AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE]`.
struct ContainerSource: CredentialSource {
    let aws: [String: String]
    let transport: any HTTPTransport
    var name: String { "container credentials (AWS_CONTAINER_CREDENTIALS_*)" }

    func resolve() async throws(QuiltOpsError) -> AWSCredentials? {
        let url: String
        if let relative = aws["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], !relative.isEmpty {
            url = "http://169.254.170.2" + relative
        } else if let full = aws["AWS_CONTAINER_CREDENTIALS_FULL_URI"], !full.isEmpty {
            url = full
        } else {
            return nil
        }
        var headers: [HTTPField] = [HTTPField("accept", "application/json")]
        if let file = aws["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"], !file.isEmpty {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw .unauthenticated("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(file) cannot be read.")
            }
            headers.append(HTTPField("authorization", String(decoding: data, as: UTF8.self).trimmingWhitespace()))
        } else if let token = aws["AWS_CONTAINER_AUTHORIZATION_TOKEN"], !token.isEmpty {
            headers.append(HTTPField("authorization", token))
        }
        let response = try await transport.send(
            QuiltHTTPRequest(method: "GET", url: url, headers: headers, operation: "ContainerCredentials", timeout: .seconds(5)))
        guard response.status == 200 else {
            throw .unauthenticated("the container credentials endpoint answered HTTP \(response.status).")
        }
        return try InstanceMetadataSource.parseCredentials(response.body, source: "container credentials")
    }
}

// MARK: - EC2 instance metadata (IMDSv2)

/// The instance role's credentials through IMDSv2: a session token (`PUT /latest/api/token`), the role name, then
/// its credentials. Not reachable (not on EC2) means "not configured here".
struct InstanceMetadataSource: CredentialSource {
    let aws: [String: String]
    let transport: any HTTPTransport
    var name: String { "EC2 instance metadata (IMDSv2)" }

    func resolve() async throws(QuiltOpsError) -> AWSCredentials? {
        guard aws["AWS_EC2_METADATA_DISABLED"]?.lowercased() != "true" else { return nil }
        var base = aws["AWS_EC2_METADATA_SERVICE_ENDPOINT"] ?? "http://169.254.169.254"
        if base.hasSuffix("/") { base.removeLast() }
        let tokenResponse: QuiltHTTPResponse
        do {
            tokenResponse = try await transport.send(
                QuiltHTTPRequest(
                    method: "PUT", url: base + "/latest/api/token", headers: [HTTPField("x-aws-ec2-metadata-token-ttl-seconds", "21600")],
                    operation: "IMDSToken", timeout: .seconds(1)))
        } catch .remote {
            return nil  // no metadata service: not on EC2
        }
        guard tokenResponse.status == 200 else { return nil }
        let token = String(decoding: tokenResponse.body, as: UTF8.self)
        let auth = [HTTPField("x-aws-ec2-metadata-token", token)]
        let path = base + "/latest/meta-data/iam/security-credentials/"
        let roles = try await transport.send(QuiltHTTPRequest(method: "GET", url: path, headers: auth, operation: "IMDSRole", timeout: .seconds(2)))
        guard roles.status == 200,
            let role = String(decoding: roles.body, as: UTF8.self).split(separator: "\n").first.map(String.init), !role.isEmpty
        else { return nil }
        let creds = try await transport.send(
            QuiltHTTPRequest(method: "GET", url: path + FormEncoding.encode(role), headers: auth, operation: "IMDSCredentials", timeout: .seconds(2)))
        guard creds.status == 200 else {
            throw .unauthenticated("instance metadata answered HTTP \(creds.status) for the credentials of role \(role).")
        }
        return try Self.parseCredentials(creds.body, source: "instance role \(role)")
    }

    /// `{AccessKeyId, SecretAccessKey, Token, Expiration}` (ECS and IMDS share the shape).
    static func parseCredentials(_ body: [UInt8], source: String) throws(QuiltOpsError) -> AWSCredentials {
        guard let json = try? JSONParser.parse(body), let id = json["AccessKeyId"]?.stringValue,
            let secret = json["SecretAccessKey"]?.stringValue
        else {
            throw .unauthenticated("\(source) answered without AccessKeyId/SecretAccessKey.")
        }
        return AWSCredentials(
            accessKeyId: id, secretAccessKey: secret, sessionToken: json["Token"]?.stringValue,
            expiration: HTTPDate.parse(json["Expiration"]?.stringValue), source: source)
    }
}
