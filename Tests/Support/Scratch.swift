import Foundation

/// A unique scratch directory under the system temporary directory (the caller removes it).
package func makeScratchDirectory(_ label: String) throws -> String {
    let dir = NSTemporaryDirectory() + "quilt-\(label)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}
