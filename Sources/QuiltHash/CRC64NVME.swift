/// Streaming CRC-64/NVME (the checksum S3 calls `CRC64NVME`).
///
/// Parameters: reflected polynomial `0x9A6C9329AC4BC9B5` (normal form `0xAD93D23594C93659`), initial value and final
/// XOR `0xFFFFFFFFFFFFFFFF`, input and output reflected. `check("123456789") == 0xae8b14860a799888`; the CRC of no
/// bytes is `0`. Uses a slicing-by-16 table, so whole buffers are processed 16 bytes per step.
public struct CRC64NVME: Sendable {
    /// The running (not yet final-XORed) register.
    private var register: UInt64 = ~0

    /// Creates a CRC over no bytes yet (``value`` is `0`).
    public init() {}

    /// Feeds `bytes` (any length, including empty) into the CRC. Feeding a byte sequence in any slicing gives the
    /// same ``value`` as feeding it at once.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        register = CRC64NVMETable.update(register, bytes)
    }

    /// The CRC of all bytes fed so far. Reading it does not change the state; more bytes may be fed afterwards.
    public var value: UInt64 {
        register ^ ~0
    }

    /// ``value`` as 8 big-endian bytes, the form that S3 and quilt3 base64-encode.
    public var bigEndianBytes: [UInt8] {
        let v = value
        return (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * UInt64($0))) }
    }
}
