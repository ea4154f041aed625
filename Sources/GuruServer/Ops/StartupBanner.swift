import Foundation
import Logging

/// What the operator needs to see at start: where to go, how to begin, and any danger.
public enum StartupBanner {
    /// The token goes to the console only, never to the log (logs are often shipped elsewhere).
    static func printSetupToken(_ token: String, configuration: ServerConfiguration) {
        // Written straight to the descriptor: `print` buffers when stdout is a file, and the operator
        // (or a test reading the log) must see the token as soon as the server listens.
        let text = """

            First-run setup token (one-time): \(token)
              Open \(configuration.displayURL)/setup?token=\(token) to create the first admin account.


            """
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    public static func print(_ configuration: ServerConfiguration, logger: Logger) {
        let database = configuration.databaseURL == nil ? "SQLite in \(configuration.dataDirectory)" : "PostgreSQL"
        logger.notice("GuruConnect listening", metadata: [
            "url": "\(configuration.displayURL)", "database": "\(database)", "tls": "\(configuration.tlsEnabled)",
        ])
        Swift.print("""

            GuruConnect is running at \(configuration.displayURL)
              First login: open \(configuration.displayURL)/setup to create the first admin account
              (only possible once), then sign in at \(configuration.displayURL)/login.

            """)
        if !configuration.bindsLoopbackOnly {
            Swift.print("  This server is reachable from the network: setup needs the one-time token printed below.\n")
        }
        if !configuration.tlsEnabled && !configuration.bindsLoopbackOnly {
            logger.critical("""
                INSECURE: serving plain HTTP on \(configuration.host), which is reachable from the network. Passwords and \
                session cookies can be read in transit, and browsers disable end-to-end encryption outside a secure \
                context. Configure --tls-cert and --tls-key, or bind to 127.0.0.1 behind an HTTPS proxy.
                """)
        }
    }
}
