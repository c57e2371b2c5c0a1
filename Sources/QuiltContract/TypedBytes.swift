extension Array where Element == UInt8 {
    /// `withUnsafeBytes` that preserves a typed error (the standard library's version rethrows `any Error`).
    @inlinable
    public func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = withUnsafeBytes { buf in Result { () throws(E) -> R in try body(buf) } }
        return try result.get()
    }
}
