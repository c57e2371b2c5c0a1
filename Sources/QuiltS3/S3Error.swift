import FoundationEssentials
import QuiltContract
import QuiltHTTP

/// An S3 error response, parsed.
struct S3ErrorResponse: Sendable {
    var status: Int
    var code: String
    var message: String
    /// `x-amz-bucket-region` (redirects and region mismatches).
    var bucketRegion: String?

    init(_ response: QuiltHTTPResponse) {
        status = response.status
        bucketRegion = response.header("x-amz-bucket-region")
        // A body that is not S3's XML (an HTML error page from a proxy, say): the status alone names the error.
        let xml = (try? S3XML.parse(response.body)) ?? .missing
        let error = xml["Error"]
        code = error["Code"].element?.text ?? ""
        message = error["Message"].element?.text ?? ""
        if bucketRegion == nil, let r = error["Region"].element?.text, !r.isEmpty { bucketRegion = r }
        if code.isEmpty {
            switch status {
            case 301, 307: code = "PermanentRedirect"
            case 304: code = "NotModified"
            case 400: code = "BadRequest"
            case 403: code = "AccessDenied"
            case 404: code = "NotFound"
            case 412: code = "PreconditionFailed"
            case 416: code = "InvalidRange"
            case 500: code = "InternalError"
            case 503: code = "SlowDown"
            default: code = "HTTP\(status)"
            }
        }
    }

    /// SlowDown, throttling, timeouts and server errors: worth another attempt.
    var isRetryable: Bool {
        if [500, 502, 503, 504].contains(status) { return true }
        return ["SlowDown", "InternalError", "RequestTimeout", "ServiceUnavailable", "Throttling", "ThrottlingException",
                "RequestLimitExceeded", "TooManyRequestsException", "OperationAborted"].contains(code)
    }

    /// The credentials are missing, invalid or expired.
    var isAuthentication: Bool {
        ["InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "TokenRefreshRequired",
         "AuthorizationHeaderMalformed", "MissingSecurityHeader", "InvalidSecurity"].contains(code) && bucketRegion == nil
    }

    /// The typed error for this response to an operation on `subject` (`s3://bucket/key`).
    func error(operation: String, subject: String, bucket: String?) -> QuiltOpsError {
        let detail = "\(operation) \(subject): \(code)\(message.isEmpty ? "" : " — \(message)")"
        switch code {
        case "NoSuchKey", "NoSuchVersion", "NoSuchUpload", "NotFound":
            if code == "NotFound" && subject.hasPrefix("s3://") && !subject.dropFirst(5).contains("/") {
                return .notFound(.bucket(bucket ?? subject))
            }
            return .notFound(.object(subject))
        case "NoSuchBucket":
            return .notFound(.bucket(bucket ?? subject))
        case "NoSuchBucketPolicy":
            return .notFound(.object(subject + "?policy"))
        case "AccessDenied", "AllAccessDisabled", "AccountProblem", "InvalidObjectState", "RequestTimeTooSkewed":
            return .forbidden(detail)
        case "InvalidRange":
            return .invalidInput(field: "range", reason: "\(detail); the range starts past the end of the object.")
        case "PreconditionFailed", "BucketAlreadyOwnedByYou", "BucketAlreadyExists", "BucketNotEmpty", "OperationAborted":
            return .conflict(detail)
        case "InvalidBucketName", "KeyTooLongError", "InvalidArgument", "EntityTooLarge", "EntityTooSmall",
            "MalformedXML", "InvalidPart", "InvalidPartOrder", "BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch":
            return .remote(detail, retryable: false)
        default:
            if isAuthentication { return .unauthenticated(detail) }
            if isRetryable { return .remote(detail, retryable: true) }
            if status == 403 { return .forbidden(detail) }
            if status == 404 { return .notFound(.object(subject)) }
            return .remote(detail, retryable: false)
        }
    }
}

// MARK: - XML

/// The S3 client's XML: parsing answers with ``XMLReader`` and escaping text for requests.
enum S3XML {
    /// The document in `bytes`.
    /// - Throws: `.remote` when the body is not UTF-8 or not the well-formed, declaration-free XML S3 sends (the
    ///   reader names what it refused and where).
    static func parse(_ bytes: [UInt8]) throws(QuiltOpsError) -> XMLNode {
        guard isUTF8(bytes) else {
            throw .remote("the S3 endpoint answered with XML that is not valid UTF-8 (\(bytes.count) bytes)", retryable: false)
        }
        do {
            return try XMLReader.parse(bytes)
        } catch {
            throw .remote("the S3 endpoint answered with XML this client refuses: \(error)", retryable: false)
        }
    }

    /// True when `bytes` is valid UTF-8.
    static func isUTF8(_ bytes: [UInt8]) -> Bool { String(validating: bytes, as: UTF8.self) != nil }

    /// `text` escaped for an XML element.
    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            case "\n": out += "&#10;"
            default:
                if ch.value < 0x20 && ch != "\t" { out += "&#\(ch.value);" } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }
}
