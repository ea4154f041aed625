/// Reads big-endian integers and byte runs, never past the end of what it was given.
struct ByteReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: some Collection<UInt8>, offset: Int = 0) {
        self.bytes = Array(bytes)
        self.offset = offset
    }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func u8() throws(EnvelopeError) -> UInt8 {
        guard offset < bytes.count else { throw .malformedPayload }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16() throws(EnvelopeError) -> UInt16 { UInt16(try integer(2)) }
    mutating func u32() throws(EnvelopeError) -> UInt32 { UInt32(try integer(4)) }
    mutating func u64() throws(EnvelopeError) -> UInt64 { try integer(8) }

    private mutating func integer(_ size: Int) throws(EnvelopeError) -> UInt64 {
        guard bytes.count - offset >= size else { throw .malformedPayload }
        var value: UInt64 = 0
        for index in offset..<(offset + size) { value = value << 8 | UInt64(bytes[index]) }
        offset += size
        return value
    }

    mutating func bytes(_ count: Int) throws(EnvelopeError) -> [UInt8] {
        guard count >= 0, bytes.count - offset >= count else { throw .malformedPayload }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    mutating func rest() -> [UInt8] {
        defer { offset = bytes.count }
        return Array(bytes[offset...])
    }
}

/// Appends big-endian integers and byte runs.
struct ByteWriter {
    var buffer: [UInt8] = []

    mutating func u8(_ value: UInt8) { buffer.append(value) }
    mutating func u16(_ value: UInt16) { append(UInt64(value), size: 2) }
    mutating func u32(_ value: UInt32) { append(UInt64(value), size: 4) }
    mutating func u64(_ value: UInt64) { append(value, size: 8) }
    mutating func bytes(_ value: [UInt8]) { buffer.append(contentsOf: value) }

    mutating func id(_ value: [UInt8]) throws(EnvelopeError) {
        guard value.count == 16 else { throw .invalidField }
        bytes(value)
    }

    mutating func token(_ value: [UInt8], max: Int) throws(EnvelopeError) {
        guard (1...max).contains(value.count) else { throw .invalidField }
        u16(UInt16(value.count))
        bytes(value)
    }

    private mutating func append(_ value: UInt64, size: Int) {
        for shift in stride(from: (size - 1) * 8, through: 0, by: -8) { buffer.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
}
