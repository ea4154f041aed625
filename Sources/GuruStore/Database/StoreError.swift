/// Errors raised by the store, whichever database is underneath.
public enum StoreError: Error, Sendable, Equatable {
    /// A uniqueness rule was broken (a taken username, a second setup).
    case conflict(String)
    /// The row that an update or delete named does not exist.
    case notFound
    /// A column held something the model cannot read.
    case corrupt(column: String)
    /// The database failed; the text is the driver's description, safe to log.
    case database(String)
    /// The database URL could not be understood.
    case invalidURL(String)
}
