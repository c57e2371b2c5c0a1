package import FoundationEssentials
package import QuiltContract
package import QuiltHTTP

/// The STS calls this server makes: AssumeRoleWithWebIdentity (unsigned) and AssumeRole (signed with the source
/// profile's credentials) for the credential chain, and GetCallerIdentity for access checks.
package struct STSClient: Sendable {
    let transport: any HTTPTransport
    let endpoint: String
    let region: String
    let clock: @Sendable () -> Date

    /// `AWS_ENDPOINT_URL_STS`, else `AWS_ENDPOINT_URL`, else the regional endpoint (global without a region).
    package init(aws: [String: String], region: String?, transport: any HTTPTransport, clock: @escaping @Sendable () -> Date) {
        self.transport = transport
        self.clock = clock
        self.region = region ?? "us-east-1"
        if let e = aws["AWS_ENDPOINT_URL_STS"] ?? aws["AWS_ENDPOINT_URL"], HTTPURL(e) != nil {
            endpoint = e
        } else if let region {
            endpoint = "https://sts.\(region).amazonaws.com"
        } else {
            endpoint = "https://sts.amazonaws.com"
        }
    }

    func assumeRoleWithWebIdentity(roleArn: String, sessionName: String, token: String) async throws(QuiltOpsError) -> AWSCredentials {
        let body = FormEncoding.query([
            ("Action", "AssumeRoleWithWebIdentity"), ("RoleArn", roleArn), ("RoleSessionName", sessionName),
            ("Version", "2011-06-15"), ("WebIdentityToken", token),
        ])
        let request = QuiltHTTPRequest(
            method: "POST", url: endpoint, headers: [HTTPField("content-type", "application/x-www-form-urlencoded; charset=utf-8")],
            body: Array(body.utf8), operation: "AssumeRoleWithWebIdentity", timeout: .seconds(30))
        return try parse(try await transport.send(request), "AssumeRoleWithWebIdentity", source: "web identity (\(roleArn))")
    }

    func assumeRole(roleArn: String, sessionName: String, externalId: String?, using source: AWSCredentials) async throws(QuiltOpsError)
        -> AWSCredentials
    {
        var items = [("Action", "AssumeRole"), ("RoleArn", roleArn), ("RoleSessionName", sessionName), ("Version", "2011-06-15")]
        if let externalId { items.append(("ExternalId", externalId)) }
        var request = QuiltHTTPRequest(
            method: "POST", url: endpoint, headers: [HTTPField("content-type", "application/x-www-form-urlencoded; charset=utf-8")],
            body: Array(FormEncoding.query(items).utf8), operation: "AssumeRole", timeout: .seconds(30))
        SigV4Signer(region: region, service: "sts").sign(&request, credentials: source, date: clock())
        return try parse(try await transport.send(request), "AssumeRole", source: "assumed role \(roleArn)")
    }

    /// GetCallerIdentity: the account, ARN and user id the credentials act as. Needs no permission.
    /// - Throws: `.unauthenticated` when STS refuses the credentials; `.remote` for its failures.
    package func callerIdentity(using credentials: AWSCredentials) async throws(QuiltOpsError) -> (account: String?, arn: String?, userId: String?) {
        var request = QuiltHTTPRequest(
            method: "POST", url: endpoint, headers: [HTTPField("content-type", "application/x-www-form-urlencoded; charset=utf-8")],
            body: Array(FormEncoding.query([("Action", "GetCallerIdentity"), ("Version", "2011-06-15")]).utf8),
            operation: "GetCallerIdentity", timeout: .seconds(30))
        SigV4Signer(region: region, service: "sts").sign(&request, credentials: credentials, date: clock())
        let response = try await transport.send(request)
        let xml = try S3XML.parse(response.body)
        guard response.status == 200 else { throw Self.failure(response, xml, "GetCallerIdentity") }
        let r = xml["GetCallerIdentityResponse"]["GetCallerIdentityResult"]
        return (r["Account"].text, r["Arn"].text, r["UserId"].text)
    }

    static func failure(_ response: QuiltHTTPResponse, _ xml: XMLNode, _ action: String) -> QuiltOpsError {
        let code = xml["ErrorResponse"]["Error"]["Code"].text ?? "HTTP \(response.status)"
        let message = xml["ErrorResponse"]["Error"]["Message"].text ?? ""
        if response.status >= 500 || code == "Throttling" { return .remote("STS \(action): \(code) \(message)", retryable: true) }
        return .unauthenticated("STS \(action) refused: \(code) \(message)")
    }

    func parse(_ response: QuiltHTTPResponse, _ action: String, source: String) throws(QuiltOpsError) -> AWSCredentials {
        let xml = try S3XML.parse(response.body)
        guard response.status == 200 else {
            let code = xml["ErrorResponse"]["Error"]["Code"].text ?? "HTTP \(response.status)"
            let message = xml["ErrorResponse"]["Error"]["Message"].text ?? ""
            if response.status >= 500 || code == "Throttling" { throw .remote("STS \(action): \(code) \(message)", retryable: true) }
            throw .unauthenticated("STS \(action) refused: \(code) \(message)")
        }
        let c = xml["\(action)Response"]["\(action)Result"]["Credentials"]
        guard let id = c["AccessKeyId"].text, let secret = c["SecretAccessKey"].text else {
            throw .unauthenticated("STS \(action) answered without credentials.")
        }
        return AWSCredentials(
            accessKeyId: id, secretAccessKey: secret, sessionToken: c["SessionToken"].text,
            expiration: HTTPDate.parse(c["Expiration"].text), source: source)
    }
}
