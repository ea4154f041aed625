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
}
