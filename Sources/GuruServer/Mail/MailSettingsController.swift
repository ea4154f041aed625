import Foundation
import GuruStore
import Hummingbird

/// Settings → Email: the SMTP server the Build tab's Send link uses, and a test mail. Only `manageSettings`.
struct MailSettingsController: RouteCollection {
    let dependencies: ServerDependencies
    let mailer: LinkMailer

    struct TestRequest: Decodable { let to: String }

    func register(on routes: RouteTable) {
        routes.get("/api/settings/smtp", .permission(.manageSettings)) { _, _ in
            SMTPSettingsDTO(try await SMTPSettings.load(dependencies.store))
        }
        routes.put("/api/settings/smtp", .permission(.manageSettings)) { request, context in
            let body = try await request.decode(as: SMTPSettingsDTO.self, context: context)
            var settings = try await SMTPSettings.load(dependencies.store)
            let host = body.host.trimmingCharacters(in: .whitespaces)
            let allowedHost = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: ".-:[]"))
            guard host.count <= 253, host.unicodeScalars.allSatisfy({ $0.isASCII && allowedHost.contains($0) }) else {
                throw APIError.badRequest("The SMTP host must be a host name or an IP address.")
            }
            guard (1...65535).contains(body.port) else { throw APIError.badRequest("The SMTP port must be 1 to 65535.") }
            let username = body.username.trimmingCharacters(in: .whitespaces)
            guard username.count <= 254, !username.contains(where: \.isNewline) else { throw APIError.badRequest("The SMTP username must be one line.") }
            let from = body.from.isEmpty ? "" : try LinkMailer.address(body.from)
            guard host.isEmpty == from.isEmpty else { throw APIError.badRequest("Give both the SMTP host and the From address, or neither.") }
            settings.host = host
            settings.port = body.port
            settings.security = body.security
            settings.username = username
            settings.from = from
            if let password = body.password {
                guard password.count <= 512, !password.contains(where: \.isNewline) else { throw APIError.badRequest("The SMTP password must be one line.") }
                do throws(ServerKeyError) {
                    settings.sealedPassword = password.isEmpty ? "" : try dependencies.serverKey.seal(password)
                } catch {
                    throw APIError.internalError
                }
            }
            try await settings.save(dependencies.store)
            let passwordNote = body.password == nil ? "password kept" : body.password?.isEmpty == true ? "password removed" : "password changed"
            await dependencies.audit.record(
                "settings.smtp.update", .success, context: context,
                detail: "\(host.isEmpty ? "disabled" : "\(host):\(body.port) \(body.security.rawValue)"), \(passwordNote)"
            )
            return SMTPSettingsDTO(settings)
        }
        routes.post("/api/settings/smtp/test", .permission(.manageSettings)) { request, context in
            let to = try LinkMailer.address(try await request.decode(as: TestRequest.self, context: context).to)
            do {
                try await mailer.sendTest(to: to)
            } catch {
                await dependencies.audit.record("settings.smtp.test", .failure, context: context, detail: "to \(to): \(error)")
                throw error
            }
            await dependencies.audit.record("settings.smtp.test", .success, context: context, detail: "to \(to)")
            return Response(status: .noContent)
        }
    }
}
