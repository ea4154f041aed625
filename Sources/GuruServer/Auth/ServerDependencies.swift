import GuruStore
import Logging

/// What the controllers share: the store, the server key, hashing, throttling and the audit trail.
struct ServerDependencies: Sendable {
    let store: Store
    let configuration: ServerConfiguration
    let serverKey: ServerKey
    let hasher: PasswordHasher
    let throttle: LoginThrottle
    let pendingSignIns: PendingSignIns
    let audit: AuditTrail
    let logger: Logger
    /// The one-time token first-run setup needs when the server is reachable from the network; nil on loopback.
    var setupToken: String? = nil
}
