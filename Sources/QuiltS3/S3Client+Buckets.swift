import Crypto
import FoundationEssentials
package import QuiltContract
import QuiltHTTP

extension S3Client {
    // MARK: - Buckets

    /// ListBuckets: every bucket the credentials' account owns.
    package func listBuckets() async throws(QuiltOpsError) -> [S3Bucket] {
        let response = try await execute(Call(operation: "ListBuckets", method: "GET", bucket: nil, key: nil))
        return try S3XML.parse(response.body)["ListAllMyBucketsResult"]["Buckets"].all("Bucket").compactMap { b in
            guard let name = b["Name"].text else { return nil }
            return S3Bucket(name: name, creationDate: HTTPDate.parse(b["CreationDate"].text))
        }
    }

    /// GetBucketVersioning: `Enabled`, `Suspended`, or nil when versioning was never turned on.
    package func bucketVersioning(bucket: String) async throws(QuiltOpsError) -> String? {
        let response = try await execute(
            Call(operation: "GetBucketVersioning", method: "GET", bucket: bucket, key: nil, query: [("versioning", "")]))
        let xml = try S3XML.parse(response.body)
        // S3 names the root VersioningConfiguration; moto (and some S3-compatible servers) GetBucketVersioningResponse.
        return xml["VersioningConfiguration"]["Status"].text ?? xml["GetBucketVersioningResponse"]["Status"].text
    }

    /// GetBucketLocation: the bucket's region (`us-east-1` for S3's empty answer, `eu-west-1` for its legacy `EU`).
    package func bucketLocation(bucket: String) async throws(QuiltOpsError) -> String {
        let response = try await execute(Call(operation: "GetBucketLocation", method: "GET", bucket: bucket, key: nil, query: [("location", "")]))
        let text = try S3XML.parse(response.body)["LocationConstraint"].text ?? ""
        return text.isEmpty ? "us-east-1" : text == "EU" ? "eu-west-1" : text
    }

    /// GetBucketPolicyStatus: whether the bucket's policy makes it public; nil when the bucket has no policy.
    package func bucketPolicyIsPublic(bucket: String) async throws(QuiltOpsError) -> Bool? {
        do throws(QuiltOpsError) {
            let response = try await execute(
                Call(operation: "GetBucketPolicyStatus", method: "GET", bucket: bucket, key: nil, query: [("policyStatus", "")]))
            // S3 answers NoSuchBucketPolicy without a policy; some S3-compatible servers an empty PolicyStatus.
            return try S3XML.parse(response.body)["PolicyStatus"]["IsPublic"].text.map { $0 == "true" }
        } catch .notFound(.object(let what)) where what.hasSuffix("?policy") {
            return nil
        }
    }

    /// CreateBucket in the client's region (tests, benchmarks and fixture recording).
    package func createBucket(_ bucket: String) async throws(QuiltOpsError) {
        var call = Call(operation: "CreateBucket", method: "PUT", bucket: bucket, key: nil)
        let region = region(for: bucket)
        if region != "us-east-1" {
            call.body = Array(
                "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>\(region)</LocationConstraint></CreateBucketConfiguration>"
                    .utf8)
        }
        _ = try await execute(call)
    }

    /// PutBucketVersioning `Enabled` or `Suspended`.
    package func setBucketVersioning(bucket: String, enabled: Bool) async throws(QuiltOpsError) {
        let body = Array(
            "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>\(enabled ? "Enabled" : "Suspended")</Status></VersioningConfiguration>"
                .utf8)
        var call = Call(operation: "PutBucketVersioning", method: "PUT", bucket: bucket, key: nil, query: [("versioning", "")], body: body)
        call.headers = [HTTPField("content-md5", Self.md5Base64(body))]
        _ = try await execute(call)
    }

    /// DeleteBucket (must be empty).
    package func deleteBucket(_ bucket: String) async throws(QuiltOpsError) {
        _ = try await execute(Call(operation: "DeleteBucket", method: "DELETE", bucket: bucket, key: nil))
    }

    /// Every version and delete marker in `bucket` (for emptying versioned test buckets).
    package func listObjectVersions(bucket: String) async throws(QuiltOpsError) -> [(key: String, versionId: String)] {
        var out: [(String, String)] = []
        var keyMarker: String? = nil
        var versionMarker: String? = nil
        repeat {
            var query: [(String, String)] = [("versions", ""), ("encoding-type", "url")]
            if let keyMarker { query.append(("key-marker", keyMarker)) }
            if let versionMarker { query.append(("version-id-marker", versionMarker)) }
            let response = try await execute(Call(operation: "ListObjectVersions", method: "GET", bucket: bucket, key: nil, query: query))
            let r = try S3XML.parse(response.body)["ListVersionsResult"]
            let encoded = r["EncodingType"].text == "url"
            for v in r.all("Version") + r.all("DeleteMarker") {
                let key = v["Key"].text ?? ""
                out.append((encoded ? FormEncoding.decode(key) : key, v["VersionId"].text ?? "null"))
            }
            guard r["IsTruncated"].text == "true" else { break }
            keyMarker = r["NextKeyMarker"].text.map { encoded ? FormEncoding.decode($0) : $0 }
            versionMarker = r["NextVersionIdMarker"].text
        } while keyMarker != nil
        return out
    }

    static func md5Base64(_ bytes: [UInt8]) -> String { Data(Insecure.MD5.hash(data: bytes)).base64EncodedString() }
}
