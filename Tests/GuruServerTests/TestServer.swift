import Foundation
import GuruStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import GuruServer

/// An in-memory server plus helpers to sign in as people with different roles.
struct TestServer {
    static let password = "correct horse battery"

    static func make(_ configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> GuruServerApp {
        var configuration = ServerConfiguration()
        configuration.inMemoryDatabase = true
        configuration.bcryptCost = 4
        configuration.port = 0
        var logger = Logger(label: "test.server")
        logger.logLevel = .warning
        configure(&configuration)
        return try await buildApplication(configuration, logger: logger)
    }
}

/// A caller: how to authenticate a request.
enum Caller: CustomStringConvertible, Sendable {
    case anonymous
    case session(name: String, cookie: String, csrf: String)
    case apiKey(name: String, secret: String)

    var description: String {
        switch self {
        case .anonymous: "anonymous"
        case .session(let name, _, _): name
        case .apiKey(let name, _): "\(name) (API key)"
        }
    }

    func headers(csrf includeCSRF: Bool = true) -> HTTPFields {
        var fields: HTTPFields = [.contentType: "application/json"]
        switch self {
        case .anonymous: break
        case .session(_, let cookie, let csrf):
            fields[.cookie] = "gc_session=\(cookie)"
            if includeCSRF { fields[.csrfToken] = csrf }
        case .apiKey(_, let secret):
            fields[.authorization] = "Bearer \(secret)"
        }
        return fields
    }
}

extension TestClientProtocol {
    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ path: String, as caller: Caller = .anonymous, json: String? = nil,
        headers extra: HTTPFields = [:], csrf: Bool = true
    ) async throws -> TestResponse {
        var headers = caller.headers(csrf: csrf)
        for field in extra { headers[field.name] = field.value }
        return try await execute(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    func json(_ response: TestResponse) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body))
        return try #require(object as? [String: Any])
    }

    /// Creates the first admin through the setup route, with the one-time token a network bind prints.
    func setUpAdmin(username: String = "admin", setupToken: String? = nil) async throws {
        let token = setupToken.map { #","setupToken":"\#($0)""# } ?? ""
        let response = try await call(
            .post, "/api/setup",
            json: #"{"username":"\#(username)","displayName":"Admin","password":"\#(TestServer.password)"\#(token)}"#
        )
        #expect(response.status == .created)
    }

    /// Signs in with a password and returns the session caller.
    func signIn(_ username: String, password: String = TestServer.password) async throws -> Caller {
        let response = try await call(.post, "/api/auth/login", json: #"{"username":"\#(username)","password":"\#(password)"}"#)
        #expect(response.status == .ok, "sign-in as \(username)")
        return try session(from: response, name: username)
    }

    func session(from response: TestResponse, name: String) throws -> Caller {
        let setCookie = try #require(response.headers[.setCookie])
        let token = try #require(setCookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last)
        let csrf = try #require(try json(response)["csrfToken"] as? String)
        return .session(name: name, cookie: String(token), csrf: csrf)
    }

    /// Creates a user with a role (as the admin) and signs them in.
    func makeUser(_ username: String, role: String, admin: Caller) async throws -> Caller {
        let response = try await call(
            .post, "/api/users", as: admin,
            json: #"{"username":"\#(username)","displayName":"\#(username)","password":"\#(TestServer.password)","roleId":"\#(role)"}"#
        )
        #expect(response.status == .created, "create \(username)")
        return try await signIn(username)
    }

    func makeApiKey(for caller: Caller, name: String, expiresInDays: Int? = nil) async throws -> (id: String, caller: Caller) {
        let expiry = expiresInDays.map(String.init) ?? "null"
        let response = try await call(.post, "/api/account/api-keys", as: caller, json: #"{"name":"\#(name)","expiresInDays":\#(expiry)}"#)
        #expect(response.status == .created)
        let body = try json(response)
        let secret = try #require(body["secret"] as? String)
        let id = try #require((body["key"] as? [String: Any])?["id"] as? String)
        return (id, .apiKey(name: caller.description, secret: secret))
    }
}

extension TestServer {
    /// A fresh server with its first admin set up and signed in: the start of most tests.
    static func withAdmin(
        _ configure: (inout ServerConfiguration) -> Void = { _ in },
        _ body: @Sendable (GuruServerApp, any TestClientProtocol, Caller) async throws -> Void
    ) async throws {
        let server = try await make(configure)
        try await server.application.test(.router) { client in
            try await client.setUpAdmin(setupToken: server.setupToken)
            try await body(server, client, try await client.signIn("admin"))
        }
    }
}
