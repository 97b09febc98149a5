import ArgumentParser
import Foundation
import HuizongCore

/// `aggregate validate`: checks intake files without merging, for the desk that keys data in.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check summary files line by line without merging; exit 1 if any row or file would be rejected.",
        discussion: "Prints each finding as `file:line: field: CODE: message`, then counts per rule and per severity."
    )

    enum Format: String, ExpressibleByArgument { case text, csv, json }

    @Option(help: "The county that will ingest the files (checks 登记单位; without it, form only).") var unit: String?
    @Option(help: "Cohort year (graduation window = that whole year).") var cohort: Int = 2012
    @Option(name: .customLong("as-of"), help: "Reference time for 更新时间 (default: now).") var asOf: String?
    @Option(help: "Force the input encoding: utf-8 or gb18030.") var encoding: String?
    @Option(help: "Output format: text, csv or json.") var format: Format = .text
    @Argument(help: "Files to check.") var files: [String]

    func run() throws {
        func usage(_ s: String) -> ExitCode {
            FileHandle.standardError.write(Data("aggregate validate: \(PrintableText.escaped(s))\n".utf8))
            return ExitCode(1)
        }
        var policy = ValidationContext.UnitPolicy.formOnly
        if let u = unit {
            guard u.count == 6, let code = Int(u) else { throw usage("--unit 须为6位数字 must be 6 digits") }
            policy = .county(code)
        }
        var asOfSeconds = Int64(Date().timeIntervalSince1970)
        if let a = asOf {
            guard let v = ChinaTime.parseAsOf(a) else { throw usage("--as-of 格式错误 is not a valid time: \(a)") }
            asOfSeconds = v
        }
        var forced: TextEncoding?
        if let e = encoding {
            guard let t = TextEncoding(rawValue: e.lowercased()) else { throw usage("--encoding 须为 must be utf-8|gb18030") }
            forced = t
        }
        let context = ValidationContext.cohort(cohort, asOf: asOfSeconds, unitPolicy: policy)
        var rows: [(file: String, finding: Finding)] = []
        var anyReject = false
        for path in files {
            let batch = FileBatch.read(path: path, from: unit ?? "", options: .init(forcedEncoding: forced), context: context)
            if let rej = batch.rejection {
                anyReject = true
                rows.append((path, Finding(rule: rej.rule, line: nil, detail: rej.detail.isEmpty ? nil : rej.detail)))
                continue
            }
            if batch.rejectedLines > 0 { anyReject = true }
            let ordered = batch.findings.enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }
            rows.append(contentsOf: ordered.map { (path, $0.element) })
        }
        var byRule: [RuleCode: Int] = [:]
        var bySeverity: [Severity: Int] = [:]
        for (_, f) in rows {
            byRule[f.rule, default: 0] += 1
            bySeverity[f.severity, default: 0] += 1
        }
        switch format {
        case .text:
            for (file, f) in rows {
                let line = f.line.map(String.init) ?? "-"
                let field = f.fieldLabel.isEmpty ? "-" : f.fieldLabel
                let shown = f.rawValue.isEmpty ? "" : " [原值 \(f.rawValue)]"
                // Names and values come from the files: control characters are shown escaped (SPEC 8.5).
                print(PrintableText.escaped("\(file):\(line): \(field): \(f.rule.rawValue): \(f.message) [\(f.severity.rawValue)]\(shown)"))
            }
            print("--")
            for (rule, n) in byRule.sorted(by: { $0.key < $1.key }) { print("\(rule.rawValue)\t\(rule.severity.rawValue)\t\(n)") }
            print("reject \(bySeverity[.reject] ?? 0), flag \(bySeverity[.flag] ?? 0), info \(bySeverity[.info] ?? 0)")
        case .csv:
            print("文件,行号,公民身份号码,姓名,字段,规则,级别,说明,原值")
            for (file, f) in rows {
                print(CSVField.line([file, f.line.map(String.init) ?? "", f.citizenID, f.name, f.fieldLabel,
                                     f.rule.rawValue, f.severity.rawValue, f.message, f.rawValue].map(PrintableText.escaped)))
            }
        case .json:
            let findings: [JSONValue] = rows.map { file, f in
                .object([("file", .string(file)), ("line", f.line.map(JSONValue.int) ?? .null),
                         ("citizenID", .string(f.citizenID)), ("name", .string(f.name)), ("field", .string(f.fieldLabel)),
                         ("rule", .string(f.rule.rawValue)), ("severity", .string(f.severity.rawValue)),
                         ("message", .string(f.message)), ("rawValue", .string(f.rawValue))])
            }
            let doc = JSONValue.object([
                ("findings", .array(findings)),
                ("byRule", .object(byRule.sorted { $0.key < $1.key }.map { ($0.key.rawValue, .int($0.value)) })),
                ("bySeverity", .object(Severity.allCases.map { ($0.rawValue, .int(bySeverity[$0] ?? 0)) })),
                ("wouldReject", .bool(anyReject)),
            ])
            print(PrintableText.jsonEscaped(doc.serialized()))
        }
        if anyReject { throw ExitCode(1) }
    }
}
