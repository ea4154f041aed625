import Foundation

/// Enrolment tokens (the Build tab): created, listed, revoked, and spent one use at a time.
public protocol EnrolmentTokenRepository: Sendable {
    func create(_ token: EnrolmentToken) async throws(StoreError)
    /// Newest first.
    func list() async throws(StoreError) -> [EnrolmentToken]
    func find(id: String) async throws(StoreError) -> EnrolmentToken?
    /// Marks a token revoked; `.notFound` when there is no such token. Revoking twice keeps the first time.
    func revoke(id: String, at: Date) async throws(StoreError)
    /// Spends one use of the token with this hash, in one statement, so two machines racing for the last use
    /// cannot both win: the token after the use, or why it was refused.
    func consume(tokenHash: String, at: Date) async throws(StoreError) -> Result<EnrolmentToken, EnrolmentRefusal>
}

/// The SQL implementation, shared by SQLite and PostgreSQL.
struct SQLEnrolmentTokenRepository: EnrolmentTokenRepository {
    let db: any SQLExecutor

    func create(_ token: EnrolmentToken) async throws(StoreError) {
        try await db.query(
            """
            INSERT INTO enrolment_tokens (id, name, token_hash, created_by, created_at, expires_at, max_uses, uses,
              revoked_at, metadata_json, platform) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            .text(token.id), .text(token.name), .text(token.tokenHash), .from(token.createdBy), .from(token.createdAt),
            .from(token.expiresAt), .from(token.maxUses), .int(token.uses), .from(token.revokedAt), .text(token.metadataJSON),
            .text(token.platform)
        )
    }

    func list() async throws(StoreError) -> [EnrolmentToken] {
        try await db.query("SELECT * FROM enrolment_tokens ORDER BY created_at DESC, id").map(Self.token)
    }

    func find(id: String) async throws(StoreError) -> EnrolmentToken? {
        try await db.first("SELECT * FROM enrolment_tokens WHERE id = ?", .text(id)).map(Self.token)
    }

    func revoke(id: String, at: Date) async throws(StoreError) {
        let rows = try await db.query(
            "UPDATE enrolment_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? RETURNING id", .from(at), .text(id)
        )
        if rows.isEmpty { throw .notFound }
    }

    func consume(tokenHash: String, at: Date) async throws(StoreError) -> Result<EnrolmentToken, EnrolmentRefusal> {
        // The conditions and the increment are one UPDATE: the database serialises racing uses of a row.
        let spent = try await db.first(
            """
            UPDATE enrolment_tokens SET uses = uses + 1
            WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ? AND (max_uses IS NULL OR uses < max_uses)
            RETURNING *
            """,
            .text(tokenHash), .from(at)
        )
        if let spent { return .success(try Self.token(spent)) }
        guard let row = try await db.first("SELECT * FROM enrolment_tokens WHERE token_hash = ?", .text(tokenHash)) else {
            return .failure(.unknown)
        }
        // Refused above; which rule refused it is only for the audit log. Used up is what remains when a racing
        // use took the last one between the UPDATE and this read.
        return .failure(try Self.token(row).refusal(at: at) ?? .usedUp)
    }

    private static func token(_ row: DBRow) throws(StoreError) -> EnrolmentToken {
        EnrolmentToken(
            id: try row.text("id"), name: try row.text("name"), tokenHash: try row.text("token_hash"),
            createdBy: row.optionalText("created_by"), createdAt: try row.date("created_at"), expiresAt: try row.date("expires_at"),
            maxUses: row.optionalInt("max_uses"), uses: try row.int("uses"), revokedAt: row.optionalDate("revoked_at"),
            metadataJSON: try row.text("metadata_json"), platform: try row.text("platform")
        )
    }
}
