// swift-tools-version:6.2
// The store decision's measurements (docs/store.md): today's GuruStore against a sql-kit port of its
// user repository, on SQLite and PostgreSQL. A package of its own, so sql-kit never enters the server's graph.
import PackageDescription

let package = Package(
    name: "store-bench",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "guruconnect", path: "../.."),
        .package(url: "https://github.com/vapor/sql-kit.git", exact: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", exact: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", exact: "2.17.0"),
    ],
    targets: [
        .executableTarget(
            name: "StoreBench",
            dependencies: [
                .product(name: "GuruStore", package: "guruconnect"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
            ]
        ),
        .executableTarget(
            name: "StoreBenchBaseline",
            dependencies: [.product(name: "GuruStore", package: "guruconnect")]
        ),
    ]
)
