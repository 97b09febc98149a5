import CFuzzDriver
import Foundation
import HuizongCore

/// pipeline.json (SPEC 3.4, 8.5): any bytes either load as a configuration or are refused with a
/// ConfigError; never a crash, a hang or a trap. A loaded configuration must answer its queries.
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    guard let config = try? PipelineConfig(json: bytes) else { return 0 }
    precondition(config.graduationWindow.lowerBound <= config.graduationWindow.upperBound)
    for (code, unit) in config.units {
        precondition(unit.code == code, "unit keyed by another code")
        precondition(config.isAtOrUnder(code, code), "a unit is at or under itself")
        for child in config.children(of: code) {
            precondition(config.unit(child)?.parent == code, "child \(child) of \(code) has another parent")
            precondition(config.isAtOrUnder(child, code))
        }
        _ = config.counties(atOrUnder: code)
        if let p = config.firstPeriod {
            _ = config.inbox(unit: code, period: p)
            _ = config.outbox(unit: code, period: p)
        }
    }
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOne(data, size) })
