import Foundation

/// Request-supplied text made safe to store or to use as a table key: an anonymous caller can send
/// 60 kB usernames, and none of that may reach the audit log or the throttle tables whole.
enum BoundedText {
    /// Longest value kept verbatim, in UTF-8 bytes.
    static let maxKeyBytes = 64
    static let hashPrefix = "sha256:"

    /// `value` itself when it fits in `maxKeyBytes`, else `sha256:` and its hex digest (71 bytes), so
    /// equal inputs still give equal keys and an audit reader can still match repeats.
    static func key(_ value: String) -> String {
        value.utf8.count <= maxKeyBytes ? value : hashPrefix + SecureToken.sha256Hex(value)
    }

    /// At most `maxBytes` UTF-8 bytes of `value`, cut at a character boundary, with "…" when cut.
    static func truncated(_ value: String, maxBytes: Int) -> String {
        guard value.utf8.count > maxBytes else { return value }
        var kept = ""
        var used = 0
        let ellipsis = "…"
        for character in value {
            let size = character.utf8.count
            guard used + size + ellipsis.utf8.count <= maxBytes else { break }
            kept.append(character)
            used += size
        }
        return kept + ellipsis
    }
}
