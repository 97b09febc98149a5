import Foundation

// Shared helpers of every test target (HuizongCoreTests, HuizongAnalysisTests, HuizongDeskTests).
// Expected values in the tests come from the SPEC, hand counts or the deliberately simple
// references in this module — IDs whose check digits are computed here, gzip through zlib, a small
// RFC 4180 parser, the `aggregate` binary run as a subprocess — never from the product's output.
// This module does not import the product.

// MARK: - Paths

public enum Paths {
    /// The package root (…/Tests/TestSupport/Paths.swift → three levels up).
    public static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    public static var fixtures: String { packageRoot + "/fixtures" }
    public static var shared: String { URL(fileURLWithPath: packageRoot + "/../shared").standardized.path }

    /// The `aggregate` executable: $AGGREGATE_BIN, else found beside the test bundle (walking up
    /// from it: `swift test` builds every target into the same products directory), else the
    /// package's `.build/debug`.
    public static let aggregate: String? = {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["AGGREGATE_BIN"], fm.isExecutableFile(atPath: env) {
            return env
        }
        var starts = [Bundle.main.bundlePath, Bundle.main.executablePath ?? ""]
        if let arg0 = CommandLine.arguments.first { starts.append(arg0) }
        for start in starts where !start.isEmpty {
            var url = URL(fileURLWithPath: start).standardized
            for _ in 0..<6 {
                url.deleteLastPathComponent()
                let candidate = url.appendingPathComponent("aggregate").path
                var isDir: ObjCBool = false
                if fm.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue, fm.isExecutableFile(atPath: candidate) {
                    return candidate
                }
            }
        }
        for p in [packageRoot + "/.build/debug/aggregate", packageRoot + "/.build/release/aggregate"]
        where fm.isExecutableFile(atPath: p) {
            return p
        }
        return nil
    }()
}

public struct TestFailure: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ d: String) { description = d }
}
