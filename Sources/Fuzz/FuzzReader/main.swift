import CFuzzDriver
import Foundation
import HuizongCore

/// The reader (SPEC 3.1) on any bytes, through the product's own file path: gzip detection and
/// inflation (multi-member, truncation), encoding detection (UTF-8 / GB18030, BOM), the preamble
/// and header search, line splitting, CSV, then every record validated (FileBatch.read, as `run`
/// and `validate` read a file). The input is written to a memory file (memfd) and opened by its
/// /proc/self/fd path, so InputFile and DecompressedStream run unchanged.
///
/// Beyond "no crash": a file read whole accounts for every line (blank + rejected + accepted =
/// linesRead, SPEC 3.2), and a rejected file keeps nothing.
let fd = huizong_fuzz_memfd()
precondition(fd >= 0, "memfd_create failed")
let path = "/proc/self/fd/\(fd)"
let context = ValidationContext.cohort(2012, asOf: ChinaTime.parseAsOf("2013-06-01T00:00:00+08:00")!,
                                       unitPolicy: .county(110101))

func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard ftruncate(fd, 0) == 0, size == 0 || pwrite(fd, data, size, 0) == size else { fatalError("memfd write failed") }
    // The length picks the options, so that a seed keeps its meaning: most inputs detect their
    // encoding; some force one, some read as above county (登记单位 required).
    var options = SummaryFileReader.Options()
    switch size % 5 {
    case 1: options.forcedEncoding = .gb18030
    case 2: options.forcedEncoding = .utf8
    case 3: options.requireRegisteringUnit = true
    default: break
    }
    let batch = FileBatch.read(path: path, from: "110101", options: options, context: context)
    if batch.rejection != nil {
        precondition(batch.linesRead == 0 && batch.acceptedRows == 0 && batch.findingCount == 0,
                     "a file rejected whole keeps lines or findings")
    } else {
        precondition(batch.blank + batch.rejectedLines + batch.acceptedRows == batch.linesRead,
                     "accounting: \(batch.blank) blank + \(batch.rejectedLines) rejected + \(batch.acceptedRows) accepted != \(batch.linesRead) read")
    }
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOne(data, size) })
