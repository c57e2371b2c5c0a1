/// Slicing-by-16 tables and the hot loop of ``CRC64NVME``.
enum CRC64NVMETable {
    /// The reflected CRC-64/NVME polynomial.
    static let reflectedPolynomial: UInt64 = 0x9A6C_9329_AC4B_C9B5

    /// Number of bytes consumed per step of the sliced loop.
    static let slices = 16

    /// `slices` tables of 256 entries, flattened: entry `k * 256 + b` is the CRC contribution of byte `b` followed
    /// by `k` zero bytes.
    static let table: [UInt64] = {
        var t = [UInt64](repeating: 0, count: slices * 256)
        for b in 0..<256 {
            var crc = UInt64(b)
            for _ in 0..<8 {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ reflectedPolynomial : crc >> 1
            }
            t[b] = crc
        }
        for k in 1..<slices {
            for b in 0..<256 {
                let previous = t[(k - 1) * 256 + b]
                t[k * 256 + b] = (previous >> 8) ^ t[Int(previous & 0xFF)]
            }
        }
        return t
    }()

    /// Advances the (non-inverted) register over `bytes`.
    @inline(__always)
    static func update(_ register: UInt64, _ bytes: UnsafeRawBufferPointer) -> UInt64 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return register }
        return table.withUnsafeBufferPointer { tablePointer -> UInt64 in
            // The table always has slices * 256 entries, so the base address exists.
            guard let t = tablePointer.baseAddress else { return register }
            var crc = register
            var offset = 0
            let count = bytes.count
            while count - offset >= 16 {
                let low = crc ^ UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                let high = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
                crc = t[15 * 256 + Int(low & 0xFF)]
                    ^ t[14 * 256 + Int((low >> 8) & 0xFF)]
                    ^ t[13 * 256 + Int((low >> 16) & 0xFF)]
                    ^ t[12 * 256 + Int((low >> 24) & 0xFF)]
                    ^ t[11 * 256 + Int((low >> 32) & 0xFF)]
                    ^ t[10 * 256 + Int((low >> 40) & 0xFF)]
                    ^ t[9 * 256 + Int((low >> 48) & 0xFF)]
                    ^ t[8 * 256 + Int(low >> 56)]
                    ^ t[7 * 256 + Int(high & 0xFF)]
                    ^ t[6 * 256 + Int((high >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((high >> 16) & 0xFF)]
                    ^ t[4 * 256 + Int((high >> 24) & 0xFF)]
                    ^ t[3 * 256 + Int((high >> 32) & 0xFF)]
                    ^ t[2 * 256 + Int((high >> 40) & 0xFF)]
                    ^ t[1 * 256 + Int((high >> 48) & 0xFF)]
                    ^ t[Int(high >> 56)]
                offset += 16
            }
            while offset < count {
                let byte = base.load(fromByteOffset: offset, as: UInt8.self)
                crc = (crc >> 8) ^ t[Int((crc ^ UInt64(byte)) & 0xFF)]
                offset += 1
            }
            return crc
        }
    }
}
