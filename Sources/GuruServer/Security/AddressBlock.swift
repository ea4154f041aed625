import NIOCore

/// The block a client address is throttled as: an IPv4 address on its own, an IPv6 address as its /64,
/// because one subscriber is routinely given a whole /64 and could otherwise rotate through 2⁶⁴ addresses.
enum AddressBlock {
    static func of(_ address: String) -> String {
        guard address.contains(":") else { return address }
        let parsed: SocketAddress
        do {
            parsed = try SocketAddress(ipAddress: address, port: 0)
        } catch {
            return address  // not an IP literal (a proxy's header, "unknown"): its own key, bounded by the caller
        }
        guard case .v6(let v6) = parsed else { return address }
        let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0.prefix(8)) }
        let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
        return groups.joined(separator: ":") + "::/64"
    }
}
