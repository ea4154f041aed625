import Foundation

/// Where the web UI's files are: bundled with the server, or a folder given for development.
public struct WebAssets: Sendable {
    /// The folder that holds `index.html`, `css/`, `js/`.
    public let root: String

    /// The bundled assets, or `override` when given.
    public init(override: String? = nil) {
        root = override ?? Bundle.module.resourceURL?.appendingPathComponent("Assets").path ?? "Assets"
    }

    /// The HTML shell, read fresh so a development folder can change under a running server.
    public func indexHTML() -> Data? {
        FileManager.default.contents(atPath: URL(fileURLWithPath: root).appendingPathComponent("index.html").path)
    }
}
