// swift-tools-version:6.1
import PackageDescription

/// `HUIZONG_FUZZ=1` (scripts/fuzz): adds the libFuzzer targets of Sources/Fuzz and instruments
/// HuizongCore for them (coverage + AddressSanitizer, and -enable-testing so a target can reach an
/// internal check). Without it the package is exactly the product.
let fuzzing = Context.environment["HUIZONG_FUZZ"] == "1"
let fuzzTargetNames = ["FuzzReader", "FuzzValidator", "FuzzManifest", "FuzzPipeline"]
let sanitize = ["-sanitize=fuzzer,address"]

let package = Package(
    name: "Huizong",
    products: [
        .executable(name: "aggregate", targets: ["aggregate"]),
        .library(name: "HuizongCore", targets: ["HuizongCore"]),
        .library(name: "HuizongAnalysis", targets: ["HuizongAnalysis"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // The county desk's web server (SPEC 9). No traits: neither swift-configuration nor the
        // URL-encoded-form coder is needed, which keeps the build smaller.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        // The CLI's log lines (levels, text or JSON, China time); the libraries report events instead.
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // The national database on PostgreSQL (docs/database.md): COPY FROM for the bulk load.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // zlib from the system (zlib1g-dev): the tests' gzip codec, independent of the product's (ISA-L).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        // ISA-L from the system (libisal-dev), the one deflate codec: gzip in and out (Read/Gzip.swift)
        // and the parts of an .xlsx (Read/Workbook/ZipArchive.swift), behind small C functions.
        .target(name: "CIsal", path: "Sources/CIsal", linkerSettings: [.linkedLibrary("isal")]),
        // libxlsxwriter from the system (libxlsxwriter-dev): the .xlsx files for people (SPEC 8.3),
        // written in its constant-memory mode.
        .systemLibrary(name: "CXlsxWriter", path: "Sources/CXlsxWriter", pkgConfig: "xlsxwriter",
                       providers: [.apt(["libxlsxwriter-dev"])]),
        // Linux calls Swift cannot reach directly (renameat2 is not exported by Glibc's module).
        .target(name: "CHuizongSystem", path: "Sources/CHuizongSystem"),
        // The domain: read -> validate -> reconcile -> write, plus the hierarchy and the run.
        .target(
            name: "HuizongCore",
            dependencies: [
                "CIsal", "CHuizongSystem",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/HuizongCore",
            // Release: no dynamic exclusivity checks (they were ~10% of the CPU on the per-line
            // paths of SPEC 8.5, docs/performance.md); debug builds and the tests keep them.
            swiftSettings: fuzzing ? [.unsafeFlags(sanitize + ["-enable-testing"])]
                : [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        // Load/analyse: the SQLite database (GRDB on the system SQLite), monthly statistics, HTML reports.
        .target(
            name: "HuizongAnalysis",
            dependencies: [
                "HuizongCore", "CXlsxWriter",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),  // the raw C API for bulk loads
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Sources/HuizongAnalysis"
        ),
        // The county intake desk (SPEC 9): store, routes, page, batch writer, due list.
        .target(
            name: "HuizongDesk",
            dependencies: [
                "HuizongCore", "CHuizongSystem",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Sources/HuizongDesk"
        ),
        .executableTarget(
            name: "aggregate",
            dependencies: [
                "HuizongCore", "HuizongAnalysis", "HuizongDesk", "CHuizongSystem",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/aggregate"
        ),
        // What every test target shares: temp dirs, processes, IDs, rows, gzip through zlib, runs
        // and hierarchies — written independently of the product (it does not import it).
        .target(name: "HuizongTestSupport", dependencies: ["CZlib"], path: "Tests/TestSupport"),
        .testTarget(name: "HuizongCoreTests", dependencies: ["HuizongCore", "HuizongTestSupport", "CZlib"],
                    path: "Tests/HuizongCoreTests"),
        .testTarget(name: "HuizongAnalysisTests",
                    dependencies: ["HuizongAnalysis", "HuizongCore", "HuizongTestSupport",
                                   .product(name: "GRDB", package: "GRDB.swift")],
                    path: "Tests/HuizongAnalysisTests", exclude: ["Fixtures"]),
        .testTarget(name: "HuizongDeskTests",
                    dependencies: ["HuizongDesk", "HuizongCore", "HuizongTestSupport",
                                   .product(name: "GRDB", package: "GRDB.swift")],
                    path: "Tests/HuizongDeskTests"),
    ] + (fuzzing ? fuzzTargets : []),
    swiftLanguageModes: [.v6]
)

/// One executable a fuzz target: its main.swift hands LLVMFuzzerTestOneInput to libFuzzer's driver.
var fuzzTargets: [Target] {
    [.target(name: "CFuzzDriver", path: "Sources/Fuzz/CFuzzDriver")] + fuzzTargetNames.map { name in
        .executableTarget(name: name, dependencies: ["HuizongCore", "CFuzzDriver"], path: "Sources/Fuzz/\(name)",
                          // Swift 5 mode: a target is a single-threaded main.swift whose globals
                          // libFuzzer's C callback reads (no actor isolation to satisfy).
                          swiftSettings: [.unsafeFlags(sanitize), .swiftLanguageMode(.v5)],
                          linkerSettings: [.unsafeFlags(sanitize + ["-use-ld=lld"])])
    }
}
