import CFuzzDriver
import Foundation
@testable import HuizongCore

/// A child's manifest (SPEC 3.2, 8.5) as the parent reads it: JSONValue.parse on any bytes, then
/// the child-manifest checks (unit, period, file names, the discrepancy report's sha256 and row
/// count) against a real inbox holding the child's discrepancy report. Never a crash; a value
/// that parses serialises to text that parses back to the same value.
let inbox = NSTemporaryDirectory() + "huizong-fuzz-manifest-\(getpid())"
try! FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
/// The child's report (a plain CSV read like its gzip: the reader gunzips only on the magic bytes).
/// Its sha256 is fixed, so the seed manifest (scripts/fuzz) can name it and reach the last checks.
let report = "发现单位,来源单位,来源文件,行号,公民身份号码,姓名,字段,规则,级别,说明,原值\n110105,110105,batch-01.csv,3,,,,LINE_FIELDS,reject,x,\n"
FileManager.default.createFile(atPath: inbox + "/110105-2012-09.discrepancies.csv.gz", contents: Data(report.utf8))
let fd = huizong_fuzz_memfd()
precondition(fd >= 0, "memfd_create failed")
let request = MonthlyRun.RequestContext(
    unit: UnitCode("110100")!, unitName: "", level: .city, period: Period(year: 2012, month: 9),
    asOf: ChinaTime.parseAsOf("2012-10-04T12:00:00+08:00")!, config: nil, cohort: 2012,
    window: 20120101...20121231, outputDirectory: inbox + "/out", files: nil, forcedEncoding: nil)
let spec = InputSpec(path: inbox + "/110105-2012-09.csv.gz", from: "110105",
                     manifestPath: "/proc/self/fd/\(fd)")

func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    if let v = JSONValue.parse(bytes) {
        let text = v.serialized()
        guard let back = JSONValue.parse(Data(text.utf8)) else { preconditionFailure("serialised JSON does not parse: \(text)") }
        precondition(back.serialized() == text, "JSON round trip differs: \(text) -> \(back.serialized())")
        _ = v["outputs"]?["summary"]?["rows"]?.intValue
    }
    guard ftruncate(fd, 0) == 0, size == 0 || pwrite(fd, data, size, 0) == size else { fatalError("memfd write failed") }
    let (rejection, _) = InputReader.checkChildManifest(spec: spec, manifestPath: spec.manifestPath!, request: request,
                                                        isChild: { $0 == "110105" || $0 == "110108" })
    if let rejection { precondition(rejection.rule.rawValue.hasPrefix("FILE_")) }
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOne(data, size) })
