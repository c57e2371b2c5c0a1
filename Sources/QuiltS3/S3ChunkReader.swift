import FoundationEssentials
import QuiltContract
import QuiltHTTP
import QuiltStorage

/// Streams an object; when the connection drops part-way it resumes from the current offset with a ranged GET
/// pinned to the same version or ETag, up to the client's retry budget.
final class S3ChunkReader: ChunkReader, @unchecked Sendable {
    private let storage: S3Storage
    private let key: String
    private let versionId: String?
    private let etag: String?
    private var body: any HTTPBodyStream
    private var offset: Int64 = 0
    private var resumes = 0

    init(storage: S3Storage, key: String, versionId: String?, etag: String?, body: any HTTPBodyStream) {
        self.storage = storage
        self.key = key
        self.versionId = versionId
        self.etag = etag
        self.body = body
    }

    func next() async throws(QuiltOpsError) -> [UInt8]? {
        while true {
            do {
                guard let chunk = try await body.next() else { return nil }
                offset += Int64(chunk.count)
                return chunk
            } catch {
                guard case .remote(_, true) = error, resumes + 1 < storage.client.configuration.retry.maxAttempts else { throw error }
                resumes += 1
                var call = storage.client.getCall(storage.bucket, key, versionId, try ByteRange(offset: offset, length: nil))
                if versionId == nil, let etag { call.headers.append(HTTPField("if-match", etag)) }
                body = try await storage.client.executeStreaming(call).body
            }
        }
    }
}
