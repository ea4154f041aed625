import Foundation
import Testing
@testable import GuruServer

@Suite("Security and configuration units")
struct UnitTests {
    @Test func throttleBacksOffExponentiallyAndForgets() async throws {
        let clock = TestClock()
        let throttle = LoginThrottle(now: { clock.now })
        for _ in 0..<5 { try await throttle.fail(address: "a", account: "bob") }
        try await throttle.fail(address: "a", account: "bob")  // the 6th is still admitted, and locks for 1 s
        #expect(await throttle.refusal(address: "a", account: "bob") == 1)
        clock.advance(by: 1)
        try await throttle.fail(address: "a", account: "bob")
        #expect(await throttle.refusal(address: "a", account: "bob") == 2)
        clock.advance(by: 2)
        try await throttle.fail(address: "a", account: "bob")
        #expect(await throttle.refusal(address: "a", account: "bob") == 4)
        // Another account from another address is unaffected.
        #expect(await throttle.refusal(address: "b", account: "carol") == nil)
        clock.advance(by: 5)
        let signIn = try await throttle.reserve(address: "a", account: "bob")
        await throttle.settle(signIn, as: .succeeded)
        try await throttle.fail(address: "c", account: "bob")
        #expect(await throttle.refusal(address: "c", account: "bob") == nil)
    }

    @Test func throttleLocksAnAddressThatSpraysManyAccounts() async throws {
        let clock = TestClock()
        let throttle = LoginThrottle(now: { clock.now })
        for index in 0..<21 { try await throttle.fail(address: "10.0.0.9", account: "user\(index)") }
        #expect(await throttle.refusal(address: "10.0.0.9", account: "fresh") != nil)
        #expect(await throttle.refusal(address: "10.0.0.10", account: "fresh") == nil)
    }

    @Test func configurationLayersFileThenEnvironmentThenFlags() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gc-config-\(UUID().uuidString).json")
        try #"{"port": 9000, "host": "0.0.0.0", "bcryptCost": 10, "logFormat": "json"}"#.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let config = try ConfigurationLoader.load(
            file: file.path, environment: ["GURU_PORT": "9050", "GURU_BCRYPT_COST": "11"], arguments: ["--port", "9100"]
        )
        #expect(config.port == 9100)
        #expect(config.bcryptCost == 11)
        #expect(config.host == "0.0.0.0")
        #expect(config.logFormat == .json)
        #expect(config.bindsLoopbackOnly == false)
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.load(file: nil, environment: ["GURU_PORT": "http"]) }
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.load(file: nil, environment: ["GURU_TLS_CERT": "/a.pem"]) }
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.load(file: nil, environment: ["GURU_DATABASE_URL": "mysql://x"]) }
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.load(file: "/nonexistent.json", environment: [:]) }
    }

    @Test func apiKeyFormatParsesOnlyWellFormedKeys() {
        let (id, secret) = ApiKeyFormat.make()
        #expect(ApiKeyFormat.id(of: secret) == id)
        #expect(ApiKeyFormat.id(of: "gck_short") == nil)
        #expect(ApiKeyFormat.id(of: "xyz_" + secret.dropFirst(4)) == nil)
        #expect(ApiKeyFormat.id(of: secret + String(repeating: "a", count: 300)) == nil)
    }

    @Test func serverKeySealsAndDetectsTampering() throws {
        let key = ServerKey.ephemeral()
        let sealed = try key.seal("JBSWY3DPEHPK3PXP")
        #expect(try key.open(sealed) == "JBSWY3DPEHPK3PXP")
        var bytes = try #require(Data(base64Encoded: sealed))
        bytes[bytes.count - 1] ^= 1
        #expect(throws: ServerKeyError.self) { try key.open(bytes.base64EncodedString()) }
        #expect(throws: ServerKeyError.self) { try ServerKey.ephemeral().open(sealed) }
    }

    @Test func csvEscapesQuotesCommasAndFormulas() {
        #expect(AuditCSV.escape("plain") == "plain")
        #expect(AuditCSV.escape("a,b") == "\"a,b\"")
        #expect(AuditCSV.escape("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(AuditCSV.escape("=SUM(A1)") == "'=SUM(A1)")
        #expect(AuditCSV.escape("@cmd") == "'@cmd")
    }

    @Test func qrCodeIsRenderedByLibqrencode() throws {
        let svg = try #require(QRCodeRenderer.svg(for: "otpauth://totp/GuruConnect:admin?secret=ABC&issuer=GuruConnect"))
        #expect(svg.hasPrefix("<svg"))
        #expect(svg.contains("<path d=\"M"))
        #expect(QRCodeRenderer.svg(for: String(repeating: "x", count: 10_000)) == nil)
    }

    @Test func totpAcceptsOneStepOfDriftOnly() throws {
        let secret = TOTPAuthenticator.makeSecret()
        let base32 = TOTPAuthenticator.manualEntryKey(secret: secret)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let code = try TwoFactorTests.code(secret: base32, at: now)
        #expect(TOTPAuthenticator.matchingStep(code: code, secret: secret, at: now.addingTimeInterval(30)) != nil)
        #expect(TOTPAuthenticator.matchingStep(code: code, secret: secret, at: now.addingTimeInterval(95)) == nil)
        #expect(TOTPAuthenticator.matchingStep(code: "12 34", secret: secret, at: now) == nil)
    }
}
