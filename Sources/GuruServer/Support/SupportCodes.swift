/// Draws 6-digit support codes: uniform over 000000–999999 from the system CSPRNG, never one that is active.
enum SupportCodes {
    static let space = 1_000_000

    /// True for exactly six ASCII digits.
    static func isWellFormed(_ code: String) -> Bool {
        code.utf8.count == 6 && code.utf8.allSatisfy { (0x30...0x39).contains($0) }
    }

    /// A code not in `active`, or nil when (absurdly) every draw collides.
    static func draw<G: RandomNumberGenerator>(excluding active: Set<String>, using generator: inout G, attempts: Int = 64) -> String? {
        for _ in 0..<attempts {
            let value = Int.random(in: 0..<space, using: &generator)
            let code = String(value).leftPadded(to: 6)
            if !active.contains(code) { return code }
        }
        return nil
    }

    /// A code from the system CSPRNG.
    static func draw(excluding active: Set<String>) -> String? {
        var generator = SystemRandomNumberGenerator()
        return draw(excluding: active, using: &generator)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
