import GuruStore

/// Runs a store call and turns its expected failures into the API errors the caller should see.
/// Anything else propagates to `ErrorMiddleware`.
func mapStoreErrors<T>(
    conflict: APIError? = nil, notFound: APIError? = nil, _ body: () async throws(StoreError) -> T
) async throws -> T {
    do {
        return try await body()
    } catch {
        switch error {
        case .conflict where conflict != nil: throw conflict ?? APIError.internalError
        case .notFound where notFound != nil: throw notFound ?? APIError.internalError
        default: throw error
        }
    }
}
