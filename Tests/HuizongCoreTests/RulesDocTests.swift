import Foundation
import Testing
@testable import HuizongCore
import HuizongTestSupport

/// `docs/rules.md`'s catalog section is rendered from the rules' own definitions
/// (`RuleCode.allCases`); this test fails when the file differs from the rendering, and with
/// `UPDATE_RULES_DOC=1` rewrites the section instead. The hand-written tables must agree with the
/// catalog on every code's severity.
@Suite struct RulesDocTests {
    static let begin = "<!-- BEGIN GENERATED rule catalog -->\n"
    static let end = "<!-- END GENERATED rule catalog -->"
    static let docURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/rules.md")

    /// The catalog as a Markdown table: position, code, severity, scope, declaring file, 说明.
    static func renderCatalog() -> String {
        let files = RulesCatalogTests.sourceFiles()
        var out = "| # | code | 级别 | scope | declared in | 说明 |\n|---|---|---|---|---|---|\n"
        for (i, code) in RuleCode.allCases.enumerated() {
            let d = code.definition
            let scope = switch d.scope {
            case .file: "file"
            case .line: "line"
            case .record: "record"
            case .fields(let columns): "字段 " + columns.map(\.canonicalName).joined(separator: " / ")
            }
            let path = RulesCatalogTests.declaringFile(code, in: files) ?? d.declaredIn
            let name = path.split(separator: "/").last.map { $0.dropLast(".swift".count) } ?? ""
            let message = d.message.replacingOccurrences(of: "|", with: "\\|")
            out += "| \(i) | `\(d.rawValue)` | \(d.severity.rawValue) | \(scope) | [\(name)](../Sources/HuizongCore/\(path)) | \(message) |\n"
        }
        return out
    }

    @Test func generatedCatalogIsCurrent() throws {
        let text = try String(contentsOf: Self.docURL, encoding: .utf8)
        let b = try #require(text.range(of: Self.begin), "docs/rules.md lacks \(Self.begin)")
        let e = try #require(text.range(of: Self.end, range: b.upperBound..<text.endIndex))
        let rendered = Self.renderCatalog()
        if String(text[b.upperBound..<e.lowerBound]) != rendered,
           ProcessInfo.processInfo.environment["UPDATE_RULES_DOC"] == "1" {
            let updated = String(text[..<b.upperBound]) + rendered + String(text[e.lowerBound...])
            try updated.write(to: Self.docURL, atomically: true, encoding: .utf8)
            return
        }
        #expect(String(text[b.upperBound..<e.lowerBound]) == rendered,
                "docs/rules.md's catalog is out of date: UPDATE_RULES_DOC=1 swift test --filter RulesDocTests")
    }

    /// Every code has a row in the hand-written tables, whose 级别 is the catalog's.
    @Test func handWrittenTablesAgreeWithTheCatalog() throws {
        let text = try String(contentsOf: Self.docURL, encoding: .utf8)
        let handWritten = text[..<(text.range(of: Self.begin)?.lowerBound ?? text.endIndex)]
        var documented: [String: String] = [:]
        for line in handWritten.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count > 2 else { continue }
            let code = cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            documented[code] = String(cells[1].split(separator: " ").first ?? "")
        }
        for code in RuleCode.allCases {
            #expect(documented[code.rawValue] == code.severity.rawValue, "\(code) in docs/rules.md")
        }
    }
}
