import Foundation
import Testing
@testable import GuruStore

/// The filter language's grammar and types (docs/filters.md), without a database.
@Suite("Agent filter parser")
struct AgentFilterParserTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    func parse(_ text: String) throws -> AgentFilter? { try AgentFilterParser.parse(text, now: Self.now) }

    func failure(_ text: String) -> FilterSyntaxError? {
        do {
            _ = try AgentFilterParser.parse(text, now: Self.now)
            return nil
        } catch {
            return error
        }
    }

    @Test func theIssuesExampleParsesIntoTheExpectedTree() throws {
        let filter = try parse("Company = 'Glaztech' AND OS LIKE '%Server%' AND LastSeen < $30DAYSAGO")
        #expect(filter == .and(
            .and(.compare(.field(.company), .equal, .text("Glaztech")), .like(.field(.os), "%Server%")),
            .compare(.field(.lastSeen), .less, .time(Self.now.addingTimeInterval(-30 * 86400)))
        ))
    }

    @Test func andBindsTighterThanOrAndParenthesesGroup() throws {
        let a = AgentFilter.compare(.field(.site), .equal, .text("A"))
        let b = AgentFilter.compare(.field(.site), .equal, .text("B"))
        let c = AgentFilter.compare(.field(.tag), .equal, .text("C"))
        #expect(try parse("Site = 'A' OR Site = 'B' AND Tag = 'C'") == .or(a, .and(b, c)))
        #expect(try parse("(Site = 'A' OR Site = 'B') AND Tag = 'C'") == .and(.or(a, b), c))
        #expect(try parse("NOT (Site = 'A') and not Online") == .and(.not(a), .not(.flag(.online))))
    }

    @Test func keywordsAndFieldsIgnoreCaseAndAliasesWork() throws {
        #expect(try parse("company = 'x'") == parse("COMPANY = 'x'"))
        #expect(try parse("ip = '10.0.0.1'") == .compare(.field(.internalIP), .equal, .text("10.0.0.1")))
        #expect(try parse("PublicIP <> '1.2.3.4'") == .compare(.field(.externalIP), .notEqual, .text("1.2.3.4")))
        #expect(try parse("Serial != 'X'") == .compare(.field(.serial), .notEqual, .text("X")))
    }

    @Test func everyOperatorAndListForm() throws {
        for comparison in FilterOperator.allCases {
            #expect(try parse("AgentVersion \(comparison.rawValue) '1.0'") == .compare(.field(.agentVersion), comparison, .text("1.0")))
        }
        #expect(try parse("Tag IN ('a', 'b')") == .oneOf(.field(.tag), [.text("a"), .text("b")]))
        #expect(try parse("Tag NOT IN ('a')") == .not(.oneOf(.field(.tag), [.text("a")])))
        #expect(try parse("Model NOT LIKE 'Opti%'") == .not(.like(.field(.model), "Opti%")))
    }

    @Test func quotesInsideStringsAreDoubled() throws {
        #expect(try parse("Company = 'O''Brien''s'") == .compare(.field(.company), .equal, .text("O'Brien's")))
        #expect(try parse("Company = ''") == .compare(.field(.company), .equal, .text("")))
    }

    @Test func customPropertiesByNameBareOrQuoted() throws {
        #expect(try parse("Property.Asset = 'A-17'") == .compare(.property("Asset"), .equal, .text("A-17")))
        #expect(try parse("Property.'Asset Tag' LIKE 'A%'") == .like(.property("Asset Tag"), "A%"))
        #expect(failure("Property.'a\"b' = 'x'")?.message.contains("property name") == true)
        #expect(failure("Property = 'x'")?.column == 10)
    }

    @Test func numbersTakeSizeUnits() throws {
        #expect(try parse("RAM >= 16GB") == .compare(.field(.ram), .greaterOrEqual, .number(16_000_000_000)))
        #expect(try parse("RAM < 1.5GiB") == .compare(.field(.ram), .less, .number(1_610_612_736)))
        #expect(try parse("IdleSeconds < 900") == .compare(.field(.idleSeconds), .less, .number(900)))
        #expect(failure("IdleSeconds < 1.5")?.column == 15)
    }

    @Test func timeMacrosAndDates() throws {
        let cases: [(String, Double)] = [
            ("$NOW", 0), ("$1HOURAGO", 3600), ("$24HOURSAGO", 86400), ("$7DAYSAGO", 7 * 86400), ("$30DAYSAGO", 30 * 86400),
            ("$1YEARAGO", 365 * 86400), ("$15MINUTESAGO", 900), ("$2WEEKSAGO", 14 * 86400), ("$6MONTHSAGO", 180 * 86400),
        ]
        for (macro, seconds) in cases {
            #expect(try parse("LastSeen > \(macro)") == .compare(.field(.lastSeen), .greater, .time(Self.now.addingTimeInterval(-seconds))), "\(macro)")
        }
        #expect(try parse("FirstSeen >= '2026-01-31'") == .compare(.field(.firstSeen), .greaterOrEqual, .time(Date(timeIntervalSince1970: 1_769_817_600))))
        #expect(failure("LastSeen < $FORTNIGHTAGO")?.message.contains("unknown time macro") == true)
        #expect(failure("LastSeen < 'yesterday'")?.column == 12)
    }

    @Test func flagsAloneOrComparedWithBooleans() throws {
        #expect(try parse("Online") == .flag(.online))
        #expect(try parse("Online = FALSE") == .not(.flag(.online)))
        #expect(try parse("Attention <> false") == .flag(.attention))
        #expect(try parse("HostConnected OR GuestConnected") == .or(.flag(.hostConnected), .flag(.guestConnected)))
        #expect(failure("Online < TRUE")?.message.contains("= or <>") == true)
    }

    @Test func blankIsNoFilter() throws {
        #expect(try parse("") == nil)
        #expect(try parse("   \t ") == nil)
    }

    @Test func errorsSayWhereInPlainWords() {
        #expect(failure("Company = 'Glaztech' AND Site =")?.description == "at column 32: expected a value after '='")
        #expect(failure("Company = ")?.description == "at column 11: expected a value after '='")
        #expect(failure("Compny = 'x'")?.description == "at column 1: unknown field 'Compny' (docs/filters.md lists the fields)")
        #expect(failure("Company = 'x")?.description == "at column 11: the string that starts here has no closing quote")
        #expect(failure("(Company = 'x'")?.description == "at column 15: expected ')' to close the '(' at column 1, found the end")
        #expect(failure("Company 'x'")?.column == 9)
        #expect(failure("Company = x")?.message.contains("quoted text value") == true)
        #expect(failure("Company = 'a' Site = 'b'")?.description.hasPrefix("at column 15: expected AND, OR or the end") == true)
        #expect(failure("RAM LIKE '1%'")?.message.contains("LIKE works on text fields") == true)
        #expect(failure("InternalIP < '10.0.0.1'")?.message.contains("several values") == true)
        #expect(failure("Company = 'a' AND")?.message == "expected a field name at the end of the filter")
        #expect(failure("Company = 'x' # comment")?.description == "at column 15: unexpected character '#'")
        #expect(failure("Model LIKE 'a\\b'")?.message.contains("\\ must be followed") == true)
    }

    @Test func injectionAttemptsAreSyntaxErrorsOrPlainValues() throws {
        // Outside quotes, SQL has no token here: a semicolon, a comment or a bare 1=1 is refused where it starts.
        #expect(failure("Company = 'x'; DROP TABLE agents; --")?.description == "at column 14: unexpected character ';'")
        #expect(failure("1=1 OR")?.column == 1)
        #expect(failure("Company = 'x' OR 1=1")?.description == "at column 18: expected a field name, found 1")
        #expect(failure("Company = 'x' -- comment")?.column == 15)
        #expect(failure("Company = \"x\"")?.column == 11)
        // Inside quotes, anything is just the value to compare with.
        #expect(try parse("Company = '''; DROP TABLE agents; --'") == .compare(.field(.company), .equal, .text("'; DROP TABLE agents; --")))
    }

    @Test func deepNestingIsRefusedNotCrashed() {
        let deep = String(repeating: "(", count: 200) + "Online" + String(repeating: ")", count: 200)
        #expect(failure(deep)?.message.contains("nests deeper") == true)
        #expect(failure(String(repeating: "NOT ", count: 100) + "Online")?.message.contains("nests deeper") == true)
        #expect(failure(String(repeating: "x", count: 5000))?.message.contains("longer than") == true)
    }
}
