import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import HuizongCore

/// `aggregate validate`: checks intake files without merging, for the desk that keys data in.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "逐行检查汇总表文件而不汇总；有行或文件会被拒收时退出状态为1。 Check summary files line by line without merging; exit 1 if any row or file would be rejected.",
        discussion: """
        每条问题输出为“文件:行号: 字段: 规则: 说明”，最后按规则和级别计数。 Prints each finding as \
        `file:line: field: CODE: message`, then counts per rule and per severity.
        """
    )

    enum Format: String, ExpressibleByArgument { case text, csv, json }

    @Option(help: "将接收这些文件的区县（检查登记单位；不给时只检查格式） the county that will ingest the files (checks 登记单位; without it, form only).") var unit: UnitCode?
    @Option(help: "届别（毕业时间窗口为该年全年） cohort year (graduation window = that whole year).") var cohort: Int = 2012
    @Option(name: .customLong("as-of"), help: "检查更新时间的参照时间（默认现在） reference time for 更新时间 (default: now).") var asOf: ReferenceTime?
    @Option(help: "强制输入编码：utf-8或gb18030 force the input encoding: utf-8 or gb18030.") var encoding: TextEncoding?
    @Option(help: "输出格式：text、csv或json output format: text, csv or json.") var format: Format = .text
    @OptionGroup var logging: LoggingOptions
    @Argument(help: "要检查的文件 files to check.") var files: [String]

    func run() throws {
        logging.start("validate")
        let policy = unit.map { ValidationContext.UnitPolicy.county($0.number) } ?? .formOnly
        let context = ValidationContext.cohort(cohort, asOf: (asOf ?? .now).seconds, unitPolicy: policy)
        // Findings are printed as each file is read (its findings replayed in line order from the
        // batch's spool) and only counted here: memory does not grow with findings (SPEC 8.5).
        // Counted by case index, printed by rule: millions of findings (SPEC 8.5) hash nothing.
        var ruleCounts = [Int](repeating: 0, count: RuleCode.allCases.count)
        var severityCounts = [Int](repeating: 0, count: Severity.allCases.count)
        // The file name and each rule's standard message, escaped once, not once a finding.
        var escapedFile = (raw: "", escaped: "")
        var escapedMessage = [String?](repeating: nil, count: RuleCode.allCases.count)
        var anyReject = false
        let out = BufferedStandardOutput()
        var first = true
        func emit(_ file: String, _ f: Finding) {
            ruleCounts[f.rule.caseIndex] += 1
            severityCounts[f.severity.caseIndex] += 1
            switch format {
            case .text:
                // `file:line: field: CODE: message [severity]` and ` [原值 raw]` when there is one,
                // written piece by piece (no String built per finding: there may be millions).
                // Names and values come from the files: control characters are shown escaped (SPEC 8.5).
                if escapedFile.raw != file { escapedFile = (file, PrintableText.escaped(file)) }
                out.write(escapedFile.escaped)
                out.write(":")
                if let line = f.line { out.write(line) } else { out.write("-") }
                out.write(": ")
                let field = f.fieldLabel
                out.write(field.isEmpty ? "-" : PrintableText.escaped(field))
                out.write(": ")
                out.write(f.rule.rawValue)
                out.write(": ")
                if f.detail?.isEmpty ?? true {
                    let r = f.rule.caseIndex
                    if escapedMessage[r] == nil { escapedMessage[r] = PrintableText.escaped(f.rule.message) }
                    out.write(escapedMessage[r]!)
                } else {
                    out.write(PrintableText.escaped(f.message))
                }
                out.write(" [")
                out.write(f.severity.rawValue)
                out.write("]")
                if !f.rawValue.isEmpty {
                    out.write(" [原值 ")
                    out.write(PrintableText.escaped(f.rawValue))
                    out.write("]")
                }
                out.write("\n")
            case .csv:
                out.print(CSVField.line([file, f.line.map(String.init) ?? "", f.citizenID, f.name, f.fieldLabel,
                                         f.rule.rawValue, f.severity.rawValue, f.message, f.rawValue].map(PrintableText.escaped)))
            case .json:
                // Written as JSONValue.serialized() writes the whole document: the "findings"
                // array's items at indent 4, one per line, commas between.
                let item = JSONValue.object([
                    ("file", .string(file)), ("line", f.line.map(JSONValue.int) ?? .null),
                    ("citizenID", .string(f.citizenID)), ("name", .string(f.name)), ("field", .string(f.fieldLabel)),
                    ("rule", .string(f.rule.rawValue)), ("severity", .string(f.severity.rawValue)),
                    ("message", .string(f.message)), ("rawValue", .string(f.rawValue))])
                out.write(first ? "[\n    " : ",\n    ")
                out.write(PrintableText.jsonEscaped(item.serialized(indent: 4)))
            }
            first = false
        }
        switch format {
        case .text: break
        case .csv: out.print("文件,行号,公民身份号码,姓名,字段,规则,级别,说明,原值")
        case .json: out.write("{\n  \"findings\": ")
        }
        for path in files {
            let batch = FileBatch.read(path: path, from: unit?.description ?? "", options: .init(forcedEncoding: encoding), context: context,
                                       keepRecords: false)
            if let rej = batch.rejection {
                anyReject = true
                emit(path, Finding(rule: rej.rule, line: nil, detail: rej.detail.isEmpty ? nil : rej.detail))
                continue
            }
            if batch.rejectedLines > 0 { anyReject = true }
            batch.findings.forEachInLineOrder { emit(path, $0) }
        }
        let byRule = Dictionary(uniqueKeysWithValues: zip(RuleCode.allCases, ruleCounts).filter { $0.1 > 0 })
        let bySeverity = Dictionary(uniqueKeysWithValues: zip(Severity.allCases, severityCounts).filter { $0.1 > 0 })
        switch format {
        case .text:
            out.print("--")
            for (rule, n) in byRule.sorted(by: { $0.key < $1.key }) { out.print("\(rule.rawValue)\t\(rule.severity.rawValue)\t\(n)") }
            out.print("reject \(bySeverity[.reject] ?? 0), flag \(bySeverity[.flag] ?? 0), info \(bySeverity[.info] ?? 0)")
        case .csv:
            break
        case .json:
            out.write(first ? "[],\n" : "\n  ],\n")
            // The rest of the document, as JSONValue writes it, without its opening brace.
            let rest = JSONValue.object([
                ("byRule", .object(byRule.sorted { $0.key < $1.key }.map { ($0.key.rawValue, .int($0.value)) })),
                ("bySeverity", .object(Severity.allCases.map { ($0.rawValue, .int(bySeverity[$0] ?? 0)) })),
                ("wouldReject", .bool(anyReject)),
            ]).serialized()
            out.print(String(rest.dropFirst(2)))
        }
        out.flush()
        if anyReject { throw ExitCode(1) }
    }
}

/// Standard output through one 64 KiB buffer: `validate` may print millions of findings, and a
/// `print` per line costs a lock and a write each.
/// Standard output through a 64 KiB buffer. Hand-managed memory: an Array property of a class is
/// checked for exclusive access on every append, which was a quarter of `validate`'s time on
/// 5,000,000 malformed lines (SPEC 8.5; docs/performance.md).
final class BufferedStandardOutput {
    private static let capacity = 1 << 16
    private let base = UnsafeMutablePointer<UInt8>.allocate(capacity: BufferedStandardOutput.capacity)
    private var used = 0

    init() {}

    deinit { base.deallocate() }

    func write(_ s: String) {
        var s = s
        s.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    private func append(_ bytes: UnsafeRawBufferPointer) {
        guard let src = bytes.baseAddress, bytes.count > 0 else { return }
        if used + bytes.count > Self.capacity { flush() }
        if bytes.count > Self.capacity {
            writeOut(bytes)
            return
        }
        UnsafeMutableRawPointer(base + used).copyMemory(from: src, byteCount: bytes.count)
        used += bytes.count
    }

    func print(_ s: String) {
        write(s)
        write("\n")
    }

    /// A non-negative integer in decimal (a line number).
    func write(_ n: Int) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        guard n >= 0 else { write(String(n)); return }
        withUnsafeMutableBytes(of: &digits) { d in
            var v = n
            var i = d.count
            repeat {
                i -= 1
                d[i] = 0x30 + UInt8(v % 10)
                v /= 10
            } while v > 0
            append(UnsafeRawBufferPointer(rebasing: d[i...]))
        }
    }

    func flush() {
        writeOut(UnsafeRawBufferPointer(start: base, count: used))
        used = 0
    }

    private func writeOut(_ raw: UnsafeRawBufferPointer) {
        var done = 0
        while done < raw.count {
            let n = Glibc.write(1, raw.baseAddress! + done, raw.count - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            done += n
        }
    }
}
