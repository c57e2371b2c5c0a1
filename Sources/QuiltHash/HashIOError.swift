/// A file could not be opened or read while hashing it.
///
/// Thrown by ``ObjectHashing/hashFile(atPath:type:)`` and ``ObjectHashing/verifyFile(atPath:expected:)``.
public struct HashIOError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path that was being hashed, as given by the caller.
    public var path: String
    /// A human-readable reason, normally the operating system's error text (for example
    /// `"open: No such file or directory"`).
    public var reason: String

    /// Creates an error for `path` with a human-readable `reason`.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `cannot hash '<path>': <reason>`.
    public var description: String {
        "cannot hash '\(path)': \(reason)"
    }
}
