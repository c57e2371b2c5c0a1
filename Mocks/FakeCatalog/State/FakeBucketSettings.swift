import Foundation
import QuiltJSON
import Synchronization

/// The settings admins gave buckets through `bucketAdd`/`bucketUpdate`: every input field as sent (JSON), by bucket
/// name. Buckets the catalog was started with have none and answer the fake's defaults.
final class FakeBucketSettings: Sendable {
    private let stored = Mutex<[String: JSONObject]>([:])

    /// A bucket's settings (nil: never added through `bucketAdd`).
    func settings(_ bucket: String) -> JSONObject? { stored.withLock { $0[bucket] } }

    /// Stores a `BucketAddInput` as the bucket's settings.
    func add(_ bucket: String, _ input: JSONObject) { stored.withLock { $0[bucket] = input } }

    /// Applies a `BucketUpdateInput`: every field it has (an explicit null too) replaces the stored one; fields it
    /// leaves out stay. A bucket without settings starts from `current` (what it answers now).
    func update(_ bucket: String, _ input: JSONObject, current: JSONObject) {
        stored.withLock { all in
            var settings = all[bucket] ?? current
            for (key, value) in input { settings[key] = value }
            all[bucket] = settings
        }
    }

    /// Forgets a removed bucket's settings.
    func remove(_ bucket: String) { _ = stored.withLock { $0.removeValue(forKey: bucket) } }

    // MARK: - Checks

    /// Whether S3 would take `name` as a bucket name: 3–63 of `a-z0-9.-`, starting and ending with a letter or digit.
    static func validName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        func alnum(_ b: UInt8) -> Bool { (0x61...0x7A).contains(b) || (0x30...0x39).contains(b) }
        guard (3...63).contains(bytes.count), let first = bytes.first, let last = bytes.last, alnum(first), alnum(last) else { return false }
        return bytes.allSatisfy { alnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    /// The largest `indexContentBytes` the catalog takes.
    static let maxIndexContentBytes = 1_048_576

    /// The `bucketAdd`/`bucketUpdate` result member (a type name) refusing `input`, or nil when the settings are
    /// fine: extensions to index must start with "." and be more than "."; content bytes 0…1 MiB; an SNS topic
    /// ARN must be one.
    static func problem(_ input: JSONObject) -> String? {
        if let extensions = input["fileExtensionsToIndex"]?.arrayValue,
            extensions.contains(where: { e in e.stringValue.map { !$0.hasPrefix(".") || $0 == "." } ?? true })
        {
            return "BucketFileExtensionsToIndexInvalid"
        }
        if let bytes = input["indexContentBytes"], !bytes.isNull {
            guard let n = bytes.intValue, (0...maxIndexContentBytes).contains(n) else { return "BucketIndexContentBytesInvalid" }
        }
        if let sns = input["snsNotificationArn"], !sns.isNull, sns.stringValue?.hasPrefix("arn:aws:sns:") != true { return "SnsInvalid" }
        return nil
    }
}
