/// Why a document is not valid JSON, and where.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Zero-based byte offset (into the UTF-8 input) of the byte at which parsing failed; equal to
    /// the input length when the input ended too early.
    public var offset: Int
    /// What was wrong, naming what was expected (for example `expected ':' after object key`).
    public var message: String

    /// Creates an error at `offset` with `message`.
    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    /// `"JSON parse error at byte <offset>: <message>"`.
    public var description: String { "JSON parse error at byte \(offset): \(message)" }
}
