import Foundation
import GuruStore
import GuruWeb
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import GuruProtocol
import Logging
import NIOSSL

/// A built server: the application to run, plus its declared routes (the authorization test walks them).
public struct GuruServerApp: Sendable {
    public let application: Application<RouterResponder<AppRequestContext>>
    public let routes: [RouteDescriptor]
    /// The store the application uses; tests reach past the API with it.
    public let store: Store
    /// The one-time first-run setup token when the bind is reachable from the network (nil on loopback).
    public let setupToken: String?
}

/// Errors while building the server, before it listens.
public enum StartupError: Error, CustomStringConvertible {
    case dataDirectory(String)
    case tls(String)
    case store(StoreError)
    case serverKey(String)

    public var description: String {
        switch self {
        case .dataDirectory(let text): "data directory: \(text)"
        case .tls(let text): "TLS: \(text)"
        case .store(let error): "database: \(error)"
        case .serverKey(let text): "server key: \(text)"
        }
    }
}

/// Builds the whole server from its configuration. `guruconnect serve` and the tests both call this.
public func buildApplication(_ configuration: ServerConfiguration, logger: Logger) async throws -> GuruServerApp {
    let router = Router(context: AppRequestContext.self)
    // TLS first: a bad certificate should fail before anything is opened.
    var tlsConfiguration: TLSConfiguration?
    if let certificate = configuration.tlsCertificatePath, let key = configuration.tlsKeyPath {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
            tlsConfiguration = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            )
        } catch {
            throw StartupError.tls("cannot load \(certificate) / \(key): \(error)")
        }
    }

    let store: Store
    let serverKey: ServerKey
    do {
        if configuration.inMemoryDatabase {
            store = try await Store.open(.memory, logger: logger)
            serverKey = .ephemeral()
        } else {
            try PrivateFiles.makeDirectory(configuration.dataDirectory)
            let location: Store.Location = configuration.databaseURL.map { .postgres(url: $0) }
                ?? .sqlite(path: URL(fileURLWithPath: configuration.dataDirectory).appendingPathComponent("guruconnect.sqlite").path)
            serverKey = try ServerKey.load(directory: configuration.dataDirectory)
            store = try await Store.open(location, logger: logger)
        }
    } catch let error as StoreError {
        throw StartupError.store(error)
    } catch let error as ServerKeyError {
        throw StartupError.serverKey(error.description)
    } catch let error as PrivateFiles.Failure {
        throw StartupError.dataDirectory(error.description)
    } catch {
        throw StartupError.dataDirectory(String(describing: error))
    }

    let setupToken = configuration.bindsLoopbackOnly ? nil : SecureToken.make()
    let dependencies = ServerDependencies(
        store: store, configuration: configuration, serverKey: serverKey,
        hasher: PasswordHasher(cost: configuration.bcryptCost), throttle: LoginThrottle(),
        pendingSignIns: PendingSignIns(), audit: AuditTrail(store: store.audit, logger: logger), logger: logger,
        setupToken: setupToken
    )
    let assets = WebAssets(override: configuration.webRoot)
    router.add(middleware: SecurityHeadersMiddleware(tls: configuration.tlsEnabled))
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: FileMiddleware(assets.root, urlBasePath: "/assets", cacheControl: .init([(MediaType(type: .any), [.noCache])]), logger: logger))
    router.add(middleware: AuthenticationMiddleware(dependencies: dependencies))

    let limits = RelayLimits(
        queueBytes: configuration.relayQueueBytes, viewersPerSession: configuration.maxViewersPerSession,
        helloTimeout: configuration.relayHelloTimeout
    )
    let support = SupportSessions(store: store, hub: RelayHub(limits: limits), dashboards: DashboardHub(), serverKey: serverKey, logger: logger)
    let agentNotices = AgentChangeNotices(dashboards: support.dashboards)
    let facts = AccessFacts(store: store, hub: support.hub, currentAgentVersion: configuration.currentAgentVersion)
    let routes = RouteTable(router: router)
    let registry = MetricsRegistry.shared()
    let mailer = LinkMailer(store: store, serverKey: serverKey)
    // Built installers wait for their download here: in the data directory, or a private temporary one in tests.
    let installerFolder = configuration.inMemoryDatabase
        ? FileManager.default.temporaryDirectory.appendingPathComponent("gc-installers-\(UUID().uuidString)")
        : URL(fileURLWithPath: configuration.dataDirectory).appendingPathComponent("installers")
    let collections: [any RouteCollection] = [
        OpsController(store: store, registry: registry),
        WebController(assets: assets),
        SetupController(dependencies: dependencies),
        AuthController(dependencies: dependencies),
        AccountController(dependencies: dependencies),
        ApiKeyController(dependencies: dependencies),
        UserController(dependencies: dependencies),
        RoleController(dependencies: dependencies),
        TeamController(dependencies: dependencies),
        SettingsController(dependencies: dependencies),
        AuditController(dependencies: dependencies),
        AgentController(dependencies: dependencies, support: support, facts: facts, agentNotices: agentNotices),
        AgentListController(dependencies: dependencies, facts: facts),
        AgentActionsController(dependencies: dependencies, facts: facts, agentNotices: agentNotices),
        SavedFilterController(dependencies: dependencies, agentNotices: agentNotices),
        EnrolmentController(dependencies: dependencies, throttle: AgentHelloThrottle()),
        BuildController(
            dependencies: dependencies, builder: InstallerBuilder(agentDirectory: configuration.agentDirectory, serverKey: serverKey),
            downloads: InstallerDownloads(folder: installerFolder), mailer: mailer
        ),
        MailSettingsController(dependencies: dependencies, mailer: mailer),
        SupportController(dependencies: dependencies, support: support),
        DiagnosticsController(dependencies: dependencies, throttle: DiagnosticsUploadThrottle()),
        PortalController(
            dependencies: dependencies, support: support,
            download: SupportAgentDownload(directory: configuration.agentDirectory, serverKey: serverKey), guesses: CodeGuessThrottle()
        ),
    ]
    for collection in collections { collection.register(on: routes) }

    // The WebSocket responder is built from the router now, so every route must be registered before.
    let webSocketServer = HTTPServerBuilder.http1WebSocketUpgrade(
        webSocketRouter: router,
        // No WebSocket ping task per connection: agents and viewers ping every heartbeat and `RelayWatchdog`
        // ends the silent ones; dashboards get a keep-alive notice (`DashboardSocket`).
        configuration: .init(ws: .init(maxFrameSize: EnvelopeCodec.maxFrame, autoPing: .disabled))
    )
    let server = try tlsConfiguration.map { try HTTPServerBuilder.tls(webSocketServer, tlsConfiguration: $0) } ?? webSocketServer

    var application = Application(
        router: router,
        server: server,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
        logger: logger
    )
    application.addServices(store.services)
    application.addServices(
        SessionSweeper(store: store, logger: logger), SupportSweeper(support: support, logger: logger),
        RelayWatchdog(hub: support.hub, logger: logger), agentNotices, StoreCloser(store: store)
    )
    application.beforeServerStarts {
        do throws(StoreError) {
            try await store.prepare()
            // No agent is connected to a server that is only starting.
            try await store.directory.forgetConnections()
        } catch {
            logger.critical("database migration failed", metadata: ["error": "\(error)"])
            throw StartupError.store(error)
        }
    }
    if let setupToken {
        application.beforeServerStarts {
            // After the migrations: only a server that still needs its first admin prints the token.
            if try await !store.users.isSetupComplete() { StartupBanner.printSetupToken(setupToken, configuration: configuration) }
        }
    }
    return GuruServerApp(application: application, routes: routes.descriptors, store: store, setupToken: setupToken)
}
