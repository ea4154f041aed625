import Foundation
import GuruWeb
import Hummingbird

/// The web UI's pages: one HTML shell for every client-side route; the modules pick the view.
struct WebController: RouteCollection {
    let assets: WebAssets

    func register(on routes: RouteTable) {
        // "/" is the end-user portal; technicians go to /app.
        for path in ["/", "/login", "/setup", "/app", "/app/**"] {
            routes.get(path, .anyone) { _, _ in try shell() }
        }
    }

    private func shell() throws -> Response {
        guard let html = assets.indexHTML() else { throw APIError(.serviceUnavailable, "unavailable", "The web UI files are missing.") }
        return Response(
            status: .ok,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(bytes: html))
        )
    }
}
