import CFuzzDriver
import Foundation
import HuizongCore

/// RecordValidator (SPEC 5) on any record. Input: three bytes choosing which of the 21 columns the
/// file has (a missing required column is legal here: the reader refuses such files, but the
/// validator must still not crash), then one CSV line whose cells fill those columns in order.
///
/// Beyond "no crash": the canonical line always has the 20 output columns (序号 excluded); an
/// accepted row has an ID key and a time (the merge relies on it); and the canonical line of an
/// accepted row is a fixed point: validated again it gives the same bytes, the same ID and time
/// (a county's output is the city's input).
let context = ValidationContext.cohort(2012, asOf: ChinaTime.parseAsOf("2013-06-01T00:00:00+08:00")!,
                                       unitPolicy: .county(110101))
let validator = RecordValidator(context: context)
var raw = RawRecord()
var again = RawRecord()
var rec = ValidatedRecord()
var rec2 = ValidatedRecord()
var findings: [Finding] = []
var cells: [Range<Int>] = []
var bytes: [UInt8] = []

func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size >= 3 else { return 0 }
    let mask = Int(data[0]) | Int(data[1]) << 8 | Int(data[2]) << 16  // bit c: the file has column c
    let line = UnsafeBufferPointer(start: data + 3, count: size - 3)
    raw.reset(line: 7)
    cells.removeAll(keepingCapacity: true)
    guard CSVLineSplitter.split(line, bytes: &raw.bytes, cells: &cells) else { return 0 }
    var next = 0
    for c in Column.allCases where (mask >> c.rawValue) & 1 == 1 {
        guard next < cells.count else { break }
        raw.ranges[c.rawValue] = cells[next]
        next += 1
    }
    findings.removeAll(keepingCapacity: true)
    validator.validate(raw, into: &rec, findings: &findings)
    bytes.removeAll(keepingCapacity: true)
    cells.removeAll(keepingCapacity: true)
    let ok = rec.canonicalLine.withUnsafeBufferPointer { CSVLineSplitter.split($0, bytes: &bytes, cells: &cells) }
    precondition(ok && cells.count == Column.count - 1,
                 "canonical line has \(cells.count) cells: \(String(decoding: rec.canonicalLine, as: UTF8.self))")
    for f in findings {
        precondition(f.line == 7)
        if f.field?.isContact == true { precondition(f.rawValue.isEmpty, "contact value in a finding") }
    }
    guard !rec.isRejected else { return 0 }
    guard let id = rec.idKey, let time = rec.updatedAt else { preconditionFailure("accepted row without ID or time") }
    // The canonical line validated again: same bytes.
    again.reset(line: 8)
    for (i, r) in cells.enumerated() {
        let start = again.bytes.count
        again.bytes.append(contentsOf: bytes[r])
        again.ranges[i + 1] = start..<again.bytes.count
    }
    findings.removeAll(keepingCapacity: true)
    validator.validate(again, into: &rec2, findings: &findings)
    precondition(!rec2.isRejected, "an accepted canonical line is rejected when read again: \(findings.map(\.rule))")
    precondition(rec2.canonicalLine == rec.canonicalLine,
                 "canonical form is not a fixed point: \(String(decoding: rec.canonicalLine, as: UTF8.self)) -> \(String(decoding: rec2.canonicalLine, as: UTF8.self))")
    precondition(rec2.idKey == id && rec2.updatedAt == time)
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOne(data, size) })
