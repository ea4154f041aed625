import Testing
@testable import GuruServer

/// The report check on its own: JSON types are told apart exactly, and each refusal names its cause.
@Suite("Diagnostics report validation")
struct DiagnosticReportValidatorTests {
    static func check(_ text: String) -> DiagnosticReportValidator.Refusal? {
        check(bytes: Array(text.utf8))
    }

    static func check(bytes: [UInt8]) -> DiagnosticReportValidator.Refusal? {
        do {
            _ = try DiagnosticReportValidator.check(bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func aValidReportPassesWithItsHostName() throws {
        let checked = try DiagnosticReportValidator.check(Array(DiagnosticsFixtures.report(host: "Büro-PC").utf8))
        #expect(checked.hostName == "Büro-PC")
        #expect(checked.json == DiagnosticsFixtures.report(host: "Büro-PC"))
    }

    @Test func booleansNumbersAndNullsAreNotConfused() {
        #expect(Self.check(DiagnosticsFixtures.report(schema: "true"))?.message == "The report's schema must be 1.")
        #expect(Self.check(DiagnosticsFixtures.report(schema: "1.0")) == nil, "1.0 is the number 1 in JSON")
        #expect(Self.check(DiagnosticsFixtures.report(schema: "null"))?.message == "The report's schema must be 1.")
        let uptime = DiagnosticsFixtures.report().replacingOccurrences(of: #""uptimeSeconds":12345"#, with: #""uptimeSeconds":"12345""#)
        #expect(Self.check(uptime)?.message == "uptimeSeconds must be a number or null, not a string.")
    }

    @Test func notJSONIsMalformedAndTheWrongShapeIsNot() {
        #expect(Self.check("{")?.malformed == true)
        #expect(Self.check(bytes: [0x7B, 0xFF, 0x7D]) == .init(message: "The report is not UTF-8 text.", malformed: true))
        #expect(Self.check("42")?.message == "The report must be a JSON object, not a number.")
        #expect(Self.check("42")?.malformed == false)
        #expect(Self.check(#"{"schema":1}"#)?.message == "The report has no collectedAt.")
    }
}
