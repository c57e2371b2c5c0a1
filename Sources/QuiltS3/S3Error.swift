import Foundation
import QuiltContract
import QuiltHTTP
import SWXMLHash

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
        // A body XMLParser cannot be given is not S3's XML: the status alone names the error.
        let xml = (try? S3XML.parse(response.body)) ?? XMLHash.config { $0.detectParsingErrors = false }.parse(Data())
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

/// Small helpers over SWXMLHash (which keeps whitespace in text exactly).
enum S3XML {
    /// The document in `bytes`.
    /// - Throws: `.remote` when the body is not UTF-8 or holds a processing instruction (`<?…?>` other than the
    ///   leading XML declaration): Foundation's XMLParser traps on invalid UTF-8 in names and comments and crashes on
    ///   a processing instruction without data (all found by fuzzing, Fuzz/Regressions/s3xml). S3 always answers in
    ///   UTF-8 and sends no processing instructions.
    static func parse(_ bytes: [UInt8]) throws(QuiltOpsError) -> XMLIndexer {
        guard isUTF8(bytes) else {
            throw .remote("the S3 endpoint answered with XML that is not valid UTF-8 (\(bytes.count) bytes)", retryable: false)
        }
        guard !hasProcessingInstruction(bytes) else {
            throw .remote("the S3 endpoint answered with an XML processing instruction, which S3 never sends", retryable: false)
        }
        return XMLHash.config { $0.detectParsingErrors = false }.parse(Data(bytes))
    }

    /// True when `<?` occurs anywhere but at the start of a leading `<?xml ` declaration. (In S3's text, `<` is
    /// always escaped, so a raw `<?` is markup.)
    static func hasProcessingInstruction(_ bytes: [UInt8]) -> Bool {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }  // a byte-order mark
        let declaration = Array("<?xml".utf8)
        var i = start
        while i + 1 < bytes.count {
            if bytes[i] == UInt8(ascii: "<"), bytes[i + 1] == UInt8(ascii: "?") {
                let isDeclaration = i == start && bytes[i...].starts(with: declaration) && bytes.count > i + 5
                    && [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n")].contains(bytes[i + 5])
                if !isDeclaration { return true }
            }
            i += 1
        }
        return false
    }

    /// True when `bytes` is valid UTF-8 (what XMLParser may safely be given).
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

extension XMLIndexer {
    /// The element's text, or nil when absent.
    var text: String? { element?.text }
    /// Every child element named `name`.
    func all(_ name: String) -> [XMLIndexer] { self[name].all }
}

// MARK: - HTTP dates

enum HTTPDate {
    /// Parses RFC 1123 (`Wed, 21 Oct 2015 07:28:00 GMT`) and ISO 8601 (`2015-10-21T07:28:00.000Z`) dates.
    static func parse(_ text: String?) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        if let d = iso8601(text) { return d }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return f.date(from: text)
    }

    static func iso8601(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: text)
    }

    /// `2015-10-21T07:28:00Z`.
    static func iso(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}
