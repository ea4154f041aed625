import Hummingbird

extension Request {
    /// Reads and drops a body of at most `limit` bytes before an early answer (a 429 given before the body
    /// was looked at): a client whose body the server never read gets its connection reset by the kernel,
    /// and may lose the answer with it. A body that cannot be read (too large, the client gone) only means
    /// the answer may not arrive, so that failure is logged and the answer goes out anyway.
    func discardBody(upTo limit: Int, context: some RequestContext) async {
        do {
            _ = try await body.collect(upTo: limit)
        } catch {
            context.logger.debug("request body not read before an early answer", metadata: ["error": "\(error)"])
        }
    }
}
