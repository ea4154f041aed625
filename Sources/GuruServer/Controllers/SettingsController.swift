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
            let new = ServerSettings(
                companyName: try Validation.name(body.companyName, field: "Company name"),
                defaultVisibility: body.defaultVisibility, consentRequired: body.consentRequired,
                sessionIdleMinutes: body.sessionIdleMinutes
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

    init(_ settings: ServerSettings) {
        companyName = settings.companyName
        defaultVisibility = settings.defaultVisibility
        consentRequired = settings.consentRequired
        sessionIdleMinutes = settings.sessionIdleMinutes
    }

    /// Which keys changed, for the audit detail.
    static func diff(_ old: ServerSettings, _ new: ServerSettings) -> [String] {
        var changed: [String] = []
        if old.companyName != new.companyName { changed.append("companyName") }
        if old.defaultVisibility != new.defaultVisibility { changed.append("defaultVisibility=\(new.defaultVisibility.rawValue)") }
        if old.consentRequired != new.consentRequired { changed.append("consentRequired=\(new.consentRequired)") }
        if old.sessionIdleMinutes != new.sessionIdleMinutes { changed.append("sessionIdleMinutes=\(new.sessionIdleMinutes)") }
        return changed
    }
}
