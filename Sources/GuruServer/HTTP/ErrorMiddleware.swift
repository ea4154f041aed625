import GuruStore
import Hummingbird
import Logging

/// Turns every failure into the API's error shape, and logs the ones that are our fault.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as StoreError {
            let mapped = APIError.from(error)
            if mapped.status == .internalServerError {
                context.logger.error("store failure", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            }
            throw mapped
        } catch let busy as BcryptQueue.Busy {
            throw APIError.busy(retryAfter: busy.retryAfter)
        } catch let error as HTTPError {
            throw APIError(error.status, Self.code(for: error.status), error.body ?? error.status.reasonPhrase)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            throw APIError.internalError
        }
    }

    private static func code(for status: HTTPResponse.Status) -> String {
        switch status {
        case .badRequest: "bad_request"
        case .unauthorized: "unauthenticated"
        case .forbidden: "forbidden"
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .contentTooLarge: "too_large"
        case .unsupportedMediaType: "unsupported_media_type"
        default: status.code >= 500 ? "internal" : "error"
        }
    }
}
