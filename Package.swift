// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]
// The server products our modules import by name; each target lists those it imports.
let hummingbird: Target.Dependency = .product(name: "Hummingbird", package: "hummingbird")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let httpTypes: Target.Dependency = .product(name: "HTTPTypes", package: "swift-http-types")
let serviceLifecycle: Target.Dependency = .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")

let package = Package(
    name: "spro",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "spro", targets: ["spro"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        // Already in Hummingbird's graph; named so our server modules may use their types directly.
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // Already in AsyncHTTPClient's graph; named so that Harvest may use its `ByteBuffer` and `HTTPHeaders` directly.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        // Already in Hummingbird's graph; named so that ServerFoundation's request guard may read `HTTPRequestPart`.
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // HTML values whose interpolation escapes text: the one way pages are written.
        .target(name: "SafeHTML", swiftSettings: strict),
        // What both servers share: arguments, the JSON error shape, JSON answers, health, metrics, request logging.
        .target(name: "ServerFoundation", dependencies: [
            "Directory", "PerformanceKit",
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            hummingbird, logging, httpTypes,
        ], swiftSettings: strict),
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        // The background thread's pacing: a CPU-time timer and its signal handler, in C so that the handler is
        // plainly async-signal-safe.
        .target(name: "CPacing"),
        // The hot paths' tools: JSON written byte by byte, arrays encoded in parallel parts, durations in seconds,
        // the background thread. Depends on nothing else; knows nothing of the domain.
        .target(name: "PerformanceKit", dependencies: ["CPacing"], swiftSettings: strict),
        // Domain types, codes with rules, vocabularies, geometry helpers.
        .target(name: "Directory", dependencies: ["PerformanceKit"], swiftSettings: strict),
        // Thin SQLite layer: prepared statements, transactions, migrations, WAL.
        .target(name: "Storage", dependencies: ["CSQLite"], swiftSettings: strict),
        // Ed25519 over exact bytes, signature files, key files, trust registry.
        .target(name: "Signing", dependencies: [
            "Directory",
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: strict),
        // The reference pack: communes, postcodes, zones d'emploi, départements, régions, town halls.
        .target(name: "Reference", dependencies: ["Directory"], swiftSettings: strict),
        // The outlines' projection and SVG path drawing, shared by the coverage map and the search page's map.
        .target(name: "MapDrawing", dependencies: ["Directory", "Reference"], swiftSettings: strict),
        // French address text folded to comparable keys (cities, street lines, house numbers): what both the
        // geocoder and the national merge compare addresses by. Depends on nothing.
        .target(name: "AddressText", swiftSettings: strict),
        // Address normalisation and resolution to a commune and a position; street level from BAN extracts.
        .target(name: "Geocoding", dependencies: ["AddressText", "Directory", "Reference", "Storage"], swiftSettings: strict),
        // Deterministic sample national data built from the reference pack.
        .target(name: "SampleData", dependencies: ["Directory", "Reference"], swiftSettings: strict),
        // A Région's node: its store, its signed export, its HTTP server.
        // The referencing rules: state machine, charter evaluation, national CEP operator table.
        .target(name: "Referencing", dependencies: ["Directory"], swiftSettings: strict),
        .target(name: "RegionNode", dependencies: [
            "AddressText", "Directory", "PerformanceKit", "Storage", "Signing", "Referencing", "Reference", "SafeHTML", "ServerFoundation",
            .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "NIOCore", package: "swift-nio"),
            hummingbird, logging, httpTypes, serviceLifecycle,
        ], swiftSettings: strict),
        // The national store: snapshots per region, places, search queries.
        .target(name: "NationalDirectory", dependencies: ["AddressText", "Directory", "PerformanceKit", "Storage"], swiftSettings: strict),
        // Fetch, verify, validate, geocode and merge every region's export.
        .target(name: "Harvest", dependencies: [
            "Directory", "PerformanceKit", "Signing", "Reference", "Geocoding", "NationalDirectory",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            logging, serviceLifecycle,
        ], swiftSettings: strict),
        // Indicators and gaps per zone d'emploi.
        // Signing for the SHA-256 digest that stores an archived report once.
        .target(name: "Coverage", dependencies: ["Directory", "PerformanceKit", "Reference", "MapDrawing", "NationalDirectory", "SafeHTML", "Signing"],
                swiftSettings: strict),
        // The national open-data releases: CSV with its data package, GeoJSON, data·inclusion, HSDS 3.0, signed.
        .target(name: "OpenData", dependencies: ["Directory", "PerformanceKit", "NationalDirectory", "Reference", "Signing"],
                swiftSettings: strict),
        // The national directory's HTTP server: search API and public page.
        .target(name: "NationalServer", dependencies: [
            "Directory", "PerformanceKit", "Reference", "Geocoding", "MapDrawing", "NationalDirectory", "Harvest", "Coverage",
            "OpenData", "SafeHTML", "ServerFoundation", "Signing", .product(name: "Metrics", package: "swift-metrics"),
            hummingbird, logging, httpTypes, serviceLifecycle,
        ], swiftSettings: strict),
        // Runs the whole federation on one machine: sample data, keys, nodes, harvest, coverage.
        .target(name: "Federation", dependencies: [
            "Directory", "PerformanceKit", "Signing", "Reference", "Geocoding", "SampleData",
            "RegionNode", "Harvest", "NationalDirectory", "Coverage", "NationalServer", "OpenData",
            hummingbird, logging, serviceLifecycle,
        ], swiftSettings: strict),
        .executableTarget(name: "spro", dependencies: [
            "Directory", "Signing", "Reference", "Geocoding", "SampleData",
            "RegionNode", "Harvest", "NationalDirectory", "Coverage", "NationalServer", "Federation", "ServerFoundation", "OpenData",
            "PerformanceKit", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            hummingbird, logging,
        ], swiftSettings: strict),
        // Benchmarks (release builds): `swift run -c release spro-bench all`. Targets live in the issues.
        .executableTarget(name: "spro-bench", dependencies: [
            "Directory", "Signing", "Reference", "Geocoding", "SampleData", "RegionNode", "Harvest",
            "NationalDirectory", "Coverage", "Federation", "OpenData", "PerformanceKit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "NIOCore", package: "swift-nio"),
            hummingbird, logging, serviceLifecycle,
        ], path: "tools/bench", exclude: ["README.md", "wrk-nearest.sh", "wrk-list.sh", "idle-sockets.sh", "serve-demo.sh", "schemathesis.sh", "schemathesis.toml"], swiftSettings: strict),
        // Fixtures and helpers shared by the test targets (never linked into the product).
        .target(name: "SproTestSupport", dependencies: [
            "Directory", "Reference", "Signing", "RegionNode",
            hummingbird, logging, serviceLifecycle,
        ], swiftSettings: strict),
        .testTarget(name: "PerformanceKitTests", dependencies: ["PerformanceKit"], swiftSettings: strict),
        .testTarget(name: "DirectoryTests", dependencies: ["Directory", "PerformanceKit"], swiftSettings: strict),
        .testTarget(name: "SafeHTMLTests", dependencies: ["SafeHTML"], swiftSettings: strict),
        .testTarget(name: "StorageTests", dependencies: ["Storage"], swiftSettings: strict),
        .testTarget(name: "ReferencingTests", dependencies: ["Referencing", "Directory"], swiftSettings: strict),
        .testTarget(name: "SigningTests", dependencies: ["Signing", "Directory"], swiftSettings: strict),
        .testTarget(name: "ReferenceTests", dependencies: ["Reference", "Directory", "SproTestSupport"], swiftSettings: strict),
        .testTarget(name: "AddressTextTests", dependencies: ["AddressText"], swiftSettings: strict),
        // Fixtures/ holds BAN-format CSV files the tests read beside their source (#filePath).
        .testTarget(name: "GeocodingTests", dependencies: ["Geocoding", "AddressText", "Reference", "Directory"], exclude: ["Fixtures"],
                    swiftSettings: strict),
        .testTarget(name: "SampleDataTests", dependencies: ["SampleData", "Reference", "Directory"], swiftSettings: strict),
        .testTarget(name: "RegionNodeTests", dependencies: [
            "RegionNode", "Referencing", "Reference", "Directory", "Signing", "SproTestSupport", "ServerFoundation", "Storage",
            hummingbird, httpTypes, logging, .product(name: "HummingbirdTesting", package: "hummingbird"),
        ], swiftSettings: strict),
        .testTarget(name: "HarvestTests", dependencies: [
            "Harvest", "RegionNode", "Directory", "Signing", "Geocoding", "NationalDirectory", "Storage", "SproTestSupport", "OpenData",
            hummingbird,
        ], swiftSettings: strict),
        .testTarget(name: "CoverageTests", dependencies: ["Coverage", "MapDrawing", "NationalDirectory", "Reference", "Directory", "Storage", "SproTestSupport"], swiftSettings: strict),
        .testTarget(name: "NationalServerTests", dependencies: [
            "NationalServer", "NationalDirectory", "Harvest", "Reference", "Geocoding", "Directory", "PerformanceKit", "Coverage", "OpenData", "Signing",
            "ServerFoundation", "SproTestSupport", "Storage",
            hummingbird, httpTypes, logging, .product(name: "HummingbirdTesting", package: "hummingbird"),
        ], swiftSettings: strict),
        // Validators/ holds the Python scripts the tests run on a release (data·inclusion's models, HSDS's schemas).
        .testTarget(name: "OpenDataTests", dependencies: [
            "OpenData", "NationalDirectory", "Directory", "Reference", "Signing", "SproTestSupport",
        ], exclude: ["Validators"], swiftSettings: strict),
        // Depends on the `spro` executable so that it is built: the crash test runs it as a process.
        .testTarget(name: "EndToEndTests", dependencies: [
            "spro", "Federation", "NationalDirectory", "Directory", "Harvest", "RegionNode", "Reference", "SampleData",
            "Signing", "Storage", "SproTestSupport", "Coverage", "Geocoding", "OpenData",
        ], swiftSettings: strict),
    ]
)
