import Foundation

/// One append-only audit record: who did what, when, from where, to what, and how it ended.
public struct AuditEvent: Sendable, Hashable {
    /// How an audited action ended.
    public enum Outcome: String, Sendable, CaseIterable {
        case success, failure, denied
    }

    public var id: Int64
    public var at: Date
    public var actorId: String?
    public var actorName: String?
    public var sourceAddress: String?
    public var action: String
    public var target: String?
    public var outcome: Outcome
    public var detail: String?

    public init(
        id: Int64 = 0, at: Date, actorId: String?, actorName: String?, sourceAddress: String?,
        action: String, target: String?, outcome: Outcome, detail: String?
    ) {
        self.id = id
        self.at = at
        self.actorId = actorId
        self.actorName = actorName
        self.sourceAddress = sourceAddress
        self.action = action
        self.target = target
        self.outcome = outcome
        self.detail = detail
    }
}

/// Which audit events to list; nil fields do not filter.
public struct AuditFilter: Sendable, Hashable {
    /// Matches actions that start with this text (`auth.` matches every sign-in event).
    public var actionPrefix: String?
    /// Matches the actor's name or id exactly.
    public var actor: String?
    public var outcome: AuditEvent.Outcome?
    public var since: Date?
    public var until: Date?
    public var limit: Int
    public var offset: Int

    public init(
        actionPrefix: String? = nil, actor: String? = nil, outcome: AuditEvent.Outcome? = nil,
        since: Date? = nil, until: Date? = nil, limit: Int = 100, offset: Int = 0
    ) {
        self.actionPrefix = actionPrefix
        self.actor = actor
        self.outcome = outcome
        self.since = since
        self.until = until
        self.limit = limit
        self.offset = offset
    }
}
