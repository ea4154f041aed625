/// Every configuration key, once. Adding a key is one entry here plus its property on `ServerConfiguration`;
/// the loader, the `serve` flags, `--help` and the README's table (checked by a test) all come from this list.
public enum ConfigurationKeys {
    /// The keys, in the order the README and `--help` list them.
    public static let all: [ConfigurationKey] = [
        .init("host", environment: "GURU_HOST", flag: "host", \.host, "Address to bind."),
        .init("port", environment: "GURU_PORT", flag: "port", \.port, "TCP port (0 picks a free one)."),
        .init("dataDir", environment: "GURU_DATA_DIR", flag: "data-dir", \.dataDirectory,
              "Folder for the SQLite file and `server.key`."),
        .init("databaseURL", environment: "GURU_DATABASE_URL", flag: "database-url", \.databaseURL, default: "SQLite",
              "`postgres://user:pass@host:5432/db?sslmode=disable|prefer|require` selects PostgreSQL."),
        .init("tlsCertificate", environment: "GURU_TLS_CERT", flag: "tls-cert", \.tlsCertificatePath, default: "plain HTTP",
              "PEM certificate chain; with `tlsKey`, serves HTTPS."),
        .init("tlsKey", environment: "GURU_TLS_KEY", flag: "tls-key", \.tlsKeyPath, default: "plain HTTP",
              "PEM private key for `tlsCertificate`."),
        .init("publicURL", environment: "GURU_PUBLIC_URL", flag: "public-url", \.publicURL,
              "The URL users reach the server at; set it to `https://…` behind a TLS proxy so cookies get `Secure`."),
        .init("bcryptCost", environment: "GURU_BCRYPT_COST", flag: "bcrypt-cost", \.bcryptCost,
              "Password hashing cost, 4 to 16."),
        .init("logLevel", environment: "GURU_LOG_LEVEL", flag: "log-level", \.logLevel,
              "`trace`, `debug`, `info`, `notice`, `warning`, `error` or `critical`."),
        .init("logFormat", environment: "GURU_LOG_FORMAT", flag: "log-format", \.logFormat,
              "`text`, or `json` for one object per line."),
        .init("trustForwardedFor", environment: "GURU_TRUST_FORWARDED_FOR", flag: "trust-forwarded-for",
              \.trustForwardedFor, "Take the client address from `X-Forwarded-For` (only behind a proxy you run)."),
        .init("webRoot", environment: "GURU_WEB_ROOT", flag: "web-root", \.webRoot, default: "the bundled UI",
              "Serve the web UI from this folder (development)."),
        .init("agentDir", environment: "GURU_AGENT_DIR", flag: "agent-dir", \.agentDirectory,
              "Where the portal finds `guruconnect-agent` (and `guruconnect-agent.exe`), directly or under `release/` and `win64/`."),
        .init("metricsToken", environment: "GURU_METRICS_TOKEN", flag: "metrics-token", \.metricsToken, default: "`/metrics` closed",
              "The bearer token Prometheus sends to read `/metrics` (16 characters or more); without it nobody can."),
        .init("relayQueueBytes", environment: "GURU_RELAY_QUEUE_BYTES", flag: "relay-queue-bytes", \.relayQueueBytes,
              "The most the relay queues for one agent or viewer connection (16 MiB; docs/protocol.md §2.4)."),
        .init("maxViewersPerSession", environment: "GURU_MAX_VIEWERS_PER_SESSION", flag: "max-viewers-per-session",
              \.maxViewersPerSession, "Viewers one session takes at once; the next gets `Reject` code 6 (session full)."),
        .init("currentAgentVersion", environment: "GURU_CURRENT_AGENT_VERSION", flag: "current-agent-version", \.currentAgentVersion,
              "The agent version this server ships; machines reporting an older one are \"Outdated Clients\" in Access."),
    ]

    /// The key a JSON file names, if any.
    static func named(_ name: String) -> ConfigurationKey? { all.first { $0.name == name } }

    /// The key a command-line flag (without dashes) names, if any.
    static func flagged(_ flag: String) -> ConfigurationKey? { all.first { $0.flag == flag } }
}
