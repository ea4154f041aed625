import Foundation
import GuruStore
import Hummingbird
import Prometheus

/// Health and metrics, for load balancers and Prometheus.
struct OpsController: RouteCollection {
    let store: Store
    let registry: PrometheusCollectorRegistry

    struct Health: ResponseEncodable { let status: String }

    func register(on routes: RouteTable) {
        routes.get("/healthz", .anyone) { _, _ in
            do {
                try await store.ping()
            } catch {
                throw APIError(.serviceUnavailable, "unavailable", "The database does not answer.")
            }
            return Health(status: "ok")
        }
        // Not public: the counters describe who uses the server and how (issue #11). Prometheus sends
        // `Authorization: Bearer <metricsToken>`; without a configured token nobody can read them.
        routes.get("/metrics", .metricsToken) { _, _ in
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer))
            )
        }
    }
}
