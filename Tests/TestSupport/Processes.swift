import Foundation

// MARK: - Processes

public struct ProcessResult: Sendable {
    public var status: Int32
    /// Killed by a signal (status is then the signal number).
    public var signaled: Bool
    public var stdout: String
    public var stderr: String
}

/// Runs a program to completion; output goes through temp files (no pipe deadlocks).
public func runProcess(_ exe: String, _ args: [String], cwd: String? = nil, env: [String: String] = [:],
                removeEnv: [String] = []) throws -> ProcessResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = args
    if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    var e = ProcessInfo.processInfo.environment
    for k in removeEnv { e.removeValue(forKey: k) }
    e.removeValue(forKey: "HUIZONG_TEST_KILL_AT")
    for (k, v) in env { e[k] = v }
    p.environment = e
    let tmp = FileManager.default.temporaryDirectory.path + "/huizong-proc-\(UUID().uuidString)"
    _ = FileManager.default.createFile(atPath: tmp + ".out", contents: nil)
    _ = FileManager.default.createFile(atPath: tmp + ".err", contents: nil)
    defer {
        try? FileManager.default.removeItem(atPath: tmp + ".out")
        try? FileManager.default.removeItem(atPath: tmp + ".err")
    }
    let out = FileHandle(forWritingAtPath: tmp + ".out")!
    let err = FileHandle(forWritingAtPath: tmp + ".err")!
    p.standardOutput = out
    p.standardError = err
    p.standardInput = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    try? out.close()
    try? err.close()
    return ProcessResult(status: p.terminationStatus, signaled: p.terminationReason == .uncaughtSignal,
                         stdout: String(decoding: readBytes(tmp + ".out"), as: UTF8.self),
                         stderr: String(decoding: readBytes(tmp + ".err"), as: UTF8.self))
}

/// Runs `aggregate` with `args` in `cwd`.
public func aggregate(_ args: [String], cwd: String, env: [String: String] = [:]) throws -> ProcessResult {
    guard let bin = Paths.aggregate else {
        throw TestFailure("the aggregate executable was not found: build it (swift build) or set AGGREGATE_BIN")
    }
    return try runProcess(bin, args, cwd: cwd, env: env)
}
