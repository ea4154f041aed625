import Foundation
import GuruStore
import Hummingbird

/// Server-wide settings: everyone signed in reads them, `manageSettings` changes them.
struct SettingsController: RouteCollection {
    let dependencies: ServerDependencies

    func register(on routes: RouteTable) {
        routes.get("/api/settings", .signedIn) { _, _ in SettingsDTO(try await dependencies.store.settings.load()) }
        routes.put("/api/settings", .permission(.manageSettings)) { request, context in
            let body = try await request.decode(as: SettingsDTO.self, context: context)
            let old = try await dependencies.store.settings.load()
            guard (1...1440).contains(body.sessionIdleMinutes) else {
                throw APIError.badRequest("sessionIdleMinutes must be 1 to 1440.")
            }
            let checkIn = body.checkInSeconds ?? old.checkInSeconds
            guard ServerSettings.checkInRange.contains(checkIn) else {
                throw APIError.badRequest("checkInSeconds must be \(ServerSettings.checkInRange.lowerBound) to \(ServerSettings.checkInRange.upperBound).")
            }
            let new = ServerSettings(
                companyName: try Validation.name(body.companyName, field: "Company name"),
                defaultVisibility: body.defaultVisibility, consentRequired: body.consentRequired,
                sessionIdleMinutes: body.sessionIdleMinutes, checkInSeconds: checkIn
            )
            try await dependencies.store.settings.save(new)
            let changed = SettingsDTO.diff(old, new)
            await dependencies.audit.record("settings.update", .success, context: context, detail: changed.joined(separator: ", "))
            return SettingsDTO(new)
        }
    }
}

/// Settings as the API shows them.
struct SettingsDTO: ResponseCodable, Sendable {
    let companyName: String
    let defaultVisibility: ServerSettings.Visibility
    let consentRequired: Bool
    let sessionIdleMinutes: Int
    /// Optional in a PUT (an older client keeps the current value).
    let checkInSeconds: Int?

    init(_ settings: ServerSettings) {
        companyName = settings.companyName
        defaultVisibility = settings.defaultVisibility
        consentRequired = settings.consentRequired
        sessionIdleMinutes = settings.sessionIdleMinutes
        checkInSeconds = settings.checkInSeconds
    }

    /// Which keys changed, for the audit detail.
    static func diff(_ old: ServerSettings, _ new: ServerSettings) -> [String] {
        var changed: [String] = []
        if old.companyName != new.companyName { changed.append("companyName") }
        if old.defaultVisibility != new.defaultVisibility { changed.append("defaultVisibility=\(new.defaultVisibility.rawValue)") }
        if old.consentRequired != new.consentRequired { changed.append("consentRequired=\(new.consentRequired)") }
        if old.sessionIdleMinutes != new.sessionIdleMinutes { changed.append("sessionIdleMinutes=\(new.sessionIdleMinutes)") }
        if old.checkInSeconds != new.checkInSeconds { changed.append("checkInSeconds=\(new.checkInSeconds)") }
        return changed
    }
}
