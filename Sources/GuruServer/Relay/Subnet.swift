#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An interface address with its prefix length, as an inventory reports it ("192.168.1.45/24",
/// "fe80::1/64", or a bare address). Wake-on-LAN picks a relay by it: an agent whose subnet holds
/// the target's last address can reach the target's broadcast domain.
struct Subnet: Sendable, Equatable {
    /// The address as written, without the prefix.
    let address: String
    /// The prefix length; a bare address counts as a host route (32 or 128).
    let prefix: Int
    /// The address's bytes: 4 for IPv4, 16 for IPv6.
    let bytes: [UInt8]

    /// Parses `text`; nil when it is not an IPv4 or IPv6 address with an optional valid prefix.
    init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let address = String(parts[0])
        guard let bytes = Self.parse(address) else { return nil }
        let width = bytes.count * 8
        var prefix = width
        if parts.count == 2 {
            guard let value = Int(parts[1]), (0...width).contains(value) else { return nil }
            prefix = value
        }
        self.address = address
        self.prefix = prefix
        self.bytes = bytes
    }

    var isIPv4: Bool { bytes.count == 4 }

    /// 127.0.0.0/8 or ::1.
    var isLoopback: Bool {
        isIPv4 ? bytes[0] == 127 : bytes == [UInt8](repeating: 0, count: 15) + [1]
    }

    /// Whether `other` (an address) lies in this subnet.
    func contains(_ other: [UInt8]) -> Bool {
        guard other.count == bytes.count else { return false }
        var remaining = prefix
        for index in bytes.indices where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if bytes[index] & mask != other[index] & mask { return false }
            remaining -= bits
        }
        return true
    }

    /// The IPv4 directed broadcast address of this subnet; nil for IPv6 or a /31–/32.
    var broadcast: [UInt8]? {
        guard isIPv4, prefix <= 30 else { return nil }
        let value = bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let host: UInt32 = prefix == 0 ? .max : (1 << (32 - UInt32(prefix))) - 1
        let all = value | host
        return [UInt8(all >> 24), UInt8(truncatingIfNeeded: all >> 16), UInt8(truncatingIfNeeded: all >> 8), UInt8(truncatingIfNeeded: all)]
    }

    /// The bytes of an IPv4 or IPv6 address, by the C library's parser.
    static func parse(_ address: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, address, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}
