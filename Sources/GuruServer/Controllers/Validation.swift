import Foundation

/// Input rules shared by the controllers; each failure is a 400 that names the field.
enum Validation {
    static func username(_ value: String) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "._-@"))
        guard (2...64).contains(trimmed.count), trimmed.unicodeScalars.allSatisfy({ allowed.contains($0) && $0.isASCII }) else {
            throw APIError.badRequest("Usernames are 2 to 64 letters, digits, '.', '_', '-' or '@'.")
        }
        return trimmed
    }

    static func name(_ value: String, field: String, maxLength: Int = 100) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= maxLength, !trimmed.contains(where: \.isNewline) else {
            throw APIError.badRequest("\(field) must be 1 to \(maxLength) characters on one line.")
        }
        return trimmed
    }
}
