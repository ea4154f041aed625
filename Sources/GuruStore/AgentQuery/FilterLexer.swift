/// One token of a filter expression, with the 1-based column it starts at (docs/filters.md).
struct FilterToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// A bare word: a field name, a keyword (AND, OR, NOT, LIKE, IN, TRUE, FALSE) or a size unit.
        case word(String)
        /// A quoted string, its '' pairs already turned into one quote.
        case string(String)
        /// Digits, with an optional fraction (sizes such as 1.5GB).
        case number(String)
        /// A time macro such as $7DAYSAGO, without the dollar sign.
        case macro(String)
        /// = <> != < > <= >=
        case comparison(String)
        case openParen, closeParen, comma, dot
        case end
    }

    let kind: Kind
    let column: Int

    /// How the token reads in an error message.
    var quoted: String {
        switch kind {
        case .word(let word): "'\(word)'"
        case .string(let text): "the string '\(text.prefix(20))'"
        case .number(let digits): digits
        case .macro(let name): "$\(name)"
        case .comparison(let symbol): "'\(symbol)'"
        case .openParen: "'('"
        case .closeParen: "')'"
        case .comma: "','"
        case .dot: "'.'"
        case .end: "the end"
        }
    }
}

/// Splits a filter expression into tokens; refuses what the language has no token for.
enum FilterLexer {
    /// The longest expression accepted, in characters: a filter is a sentence, not a document.
    static let maxLength = 4000

    static func tokens(_ source: String) throws(FilterSyntaxError) -> [FilterToken] {
        let characters = Array(source)
        guard characters.count <= maxLength else {
            throw FilterSyntaxError(column: maxLength + 1, message: "the filter is longer than \(maxLength) characters")
        }
        var tokens: [FilterToken] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let column = index + 1
            if character.isWhitespace {
                index += 1
                continue
            }
            switch character {
            case "(": tokens.append(FilterToken(kind: .openParen, column: column)); index += 1
            case ")": tokens.append(FilterToken(kind: .closeParen, column: column)); index += 1
            case ",": tokens.append(FilterToken(kind: .comma, column: column)); index += 1
            case ".": tokens.append(FilterToken(kind: .dot, column: column)); index += 1
            case "=": tokens.append(FilterToken(kind: .comparison("="), column: column)); index += 1
            case "<", ">", "!":
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                var symbol = String(character)
                if next == "=" || (character == "<" && next == ">") { symbol.append(next!) }
                guard symbol != "!" else { throw FilterSyntaxError(column: column, message: "'!' must be followed by '=' (or write <>)") }
                tokens.append(FilterToken(kind: .comparison(symbol == "!=" ? "<>" : symbol), column: column))
                index += symbol.count
            case "'":
                var text = ""
                index += 1
                var closed = false
                while index < characters.count {
                    if characters[index] == "'" {
                        if index + 1 < characters.count, characters[index + 1] == "'" {
                            text.append("'")
                            index += 2
                            continue
                        }
                        index += 1
                        closed = true
                        break
                    }
                    text.append(characters[index])
                    index += 1
                }
                guard closed else { throw FilterSyntaxError(column: column, message: "the string that starts here has no closing quote") }
                tokens.append(FilterToken(kind: .string(text), column: column))
            case "$":
                var name = ""
                index += 1
                while index < characters.count, characters[index].isLetter || characters[index].isNumber {
                    name.append(characters[index])
                    index += 1
                }
                guard !name.isEmpty else { throw FilterSyntaxError(column: column, message: "expected a time macro such as $7DAYSAGO after '$'") }
                tokens.append(FilterToken(kind: .macro(name.uppercased()), column: column))
            default:
                if character.isASCII, character.isNumber || character == "-" {
                    var digits = String(character)
                    index += 1
                    while index < characters.count, characters[index].isASCII,
                          characters[index].isNumber || (characters[index] == "." && !digits.contains(".")) {
                        digits.append(characters[index])
                        index += 1
                    }
                    guard digits != "-", digits.last != "." else {
                        throw FilterSyntaxError(column: column, message: "expected a number")
                    }
                    tokens.append(FilterToken(kind: .number(digits), column: column))
                } else if character.isASCII, character.isLetter || character == "_" {
                    var word = ""
                    while index < characters.count, characters[index].isASCII,
                          characters[index].isLetter || characters[index].isNumber || characters[index] == "_" {
                        word.append(characters[index])
                        index += 1
                    }
                    tokens.append(FilterToken(kind: .word(word), column: column))
                } else {
                    throw FilterSyntaxError(column: column, message: "unexpected character '\(character)'")
                }
            }
        }
        tokens.append(FilterToken(kind: .end, column: characters.count + 1))
        return tokens
    }
}

/// A filter that does not parse: where (1-based column) and why, in plain words.
public struct FilterSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let column: Int
    public let message: String

    public var description: String { "at column \(column): \(message)" }
}
