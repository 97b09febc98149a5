import Foundation
import Testing
@testable import HuizongCore
import HuizongTestSupport

/// The rule catalog against the SPEC: the codes of 5.1 and 8.6 in their order, with the severities
/// the SPEC gives them (written out here from its text, not from the code under test), and each
/// code declared in the file of its rule.
@Suite struct RulesCatalogTests {
    /// SPEC 5.1's lists in order (files, lines, fields, records), then SPEC 8.6's new codes.
    static let specOrder = """
        FILE_UNREADABLE FILE_GZIP FILE_EMPTY FILE_COLUMNS FILE_INFLATE_LIMIT FILE_NO_MANIFEST
        FILE_MANIFEST_MISMATCH FILE_FOREIGN_SENDER FILE_EXTRA_COLUMN CHILD_MISSING CHILD_LATE
        LINE_QUOTE LINE_FIELDS LINE_TOO_LONG LINE_ENCODING
        NAME_INVALID SEX_INVALID ETHNIC_INVALID ID_FORMAT ID_CHECKSUM ID_BIRTHDATE ID_SEX_MISMATCH
        ID_UPGRADED_15 ID_REGION_UNKNOWN SCHOOL_INVALID MAJOR_INVALID GRADDATE_INVALID GRADDATE_WINDOW
        AGE_IMPLAUSIBLE EDU_INVALID HUKOU_INVALID MOBILE_INVALID LANDLINE_INVALID NO_PHONE EMAIL_INVALID
        POSTCODE_INVALID HARDSHIP_INVALID WORKPLACE_INVALID INTENT_INVALID INTENT_9_COMBINED NEEDS_INVALID
        NEEDS_WITH_9 NEEDS_MISSING GRADDATE_AFTER_UPDATE MULTI_REPEATED DEST_INVALID TIME_INVALID
        TIME_FUTURE TIME_TOO_EARLY UNIT_FOREIGN
        DUPLICATE SUPERSEDED NEWEST_REJECTED CONFLICT IDENTITY_MISMATCH MULTIPLE_REGISTRATION
        DEST_EMPTIED VANISHED STALE
        FILE_SKIPPED FILE_FORMAT FILE_SIGNATURE ID_EXCEL_NUMBER REPORT_FOREIGN
        """.split(whereSeparator: \.isWhitespace).map(String.init)
    /// The codes SPEC 5.1 and 8.6 mark `flag`; `info` below; every other code is `reject`.
    static let flags = Set("""
        FILE_EXTRA_COLUMN CHILD_MISSING CHILD_LATE ID_UPGRADED_15 ID_REGION_UNKNOWN AGE_IMPLAUSIBLE
        MOBILE_INVALID LANDLINE_INVALID NO_PHONE EMAIL_INVALID POSTCODE_INVALID INTENT_9_COMBINED
        NEEDS_WITH_9 NEEDS_MISSING GRADDATE_AFTER_UPDATE MULTI_REPEATED CONFLICT IDENTITY_MISMATCH
        MULTIPLE_REGISTRATION DEST_EMPTIED VANISHED STALE REPORT_FOREIGN
        """.split(whereSeparator: \.isWhitespace).map(String.init))
    static let infos: Set = ["DUPLICATE", "SUPERSEDED", "NEWEST_REJECTED", "FILE_SKIPPED"]

    @Test func catalogListsTheSpecsCodesInOrder() {
        #expect(RuleCode.allCases.map(\.rawValue) == Self.specOrder)
        #expect(RuleCode.allCases.enumerated().allSatisfy { Int($0.element.index) == $0.offset })
    }

    @Test func severitiesAreTheSpecs() {
        for code in RuleCode.allCases {
            let expected: Severity = Self.flags.contains(code.rawValue) ? .flag
                : Self.infos.contains(code.rawValue) ? .info : .reject
            #expect(code.severity == expected, "\(code)")
        }
    }

    /// SPEC 3.3: whole-file findings leave 行号 and 字段 empty: the FILE_ and CHILD_ codes and
    /// REPORT_FOREIGN (8.5: a flag on the child's report file).
    @Test func wholeFileCodes() {
        for code in RuleCode.allCases {
            let name = code.rawValue
            #expect(code.isFileLevel == (name.hasPrefix("FILE_") || name.hasPrefix("CHILD_") || name == "REPORT_FOREIGN"),
                    "\(code)")
        }
    }

    @Test func namesRoundTrip() {
        for code in RuleCode.allCases { #expect(RuleCode(rawValue: code.rawValue) == code) }
        #expect(RuleCode(rawValue: "SEX") == nil)
        #expect(RuleCode.sexInvalid.rawValue == "SEX_INVALID")
        #expect(RuleCode.reportForeign.rawValue == "REPORT_FOREIGN")
        #expect(RuleCode.sexInvalid < RuleCode.superseded)
        #expect("\(RuleCode.noPhone)" == "NO_PHONE")
    }

    /// A code stays one byte, its catalog position: the finding spool and the report count by it
    /// without hashing names (docs/performance.md).
    @Test func aCodeIsItsCatalogPosition() {
        #expect(MemoryLayout<RuleCode>.size == 1)
        #expect(FindingSpool.tagsAreIndices)
        #expect(RuleCode.allCases.allSatisfy { $0.caseIndex == Int($0.index) })
    }

    /// 说明 is the Chinese text, a space, the English text (SPEC 3.3's bilingual messages).
    @Test func messagesAreChineseThenEnglish() {
        for code in RuleCode.allCases {
            let d = code.definition
            #expect(code.message == d.chinese + " " + d.english)
            #expect(d.chinese.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF }, "\(code)")
            #expect(d.english.contains { $0.isASCII && $0.isLetter }, "\(code)")
        }
    }

    /// The Swift files of HuizongCore: file name → path under `Sources/HuizongCore/` (names are
    /// unique in a module; `Definition.declaredIn` is a `#fileID`, module and file name).
    static let sourcesRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/HuizongCore")

    static func sourceFiles() -> [String: String] {
        let root = sourcesRoot
        var files: [String: String] = [:]
        let walk = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
        for case let url as URL in walk where url.pathExtension == "swift" {
            files[url.lastPathComponent] = String(url.path.dropFirst(root.path.count + 1))
        }
        return files
    }

    /// Where `code` is declared, under `Sources/HuizongCore/`.
    static func declaringFile(_ code: RuleCode, in files: [String: String]) -> String? {
        files[String(code.definition.declaredIn.split(separator: "/").last ?? "")]
    }

    /// Each code is declared in its rule's file, `…Rule.swift` in the `Rules/` folder of the stage
    /// that decides it: fields in Validate/, files and lines in Read/, records in Reconcile/.
    @Test func everyCodeIsDeclaredInItsRuleFile() {
        let files = Self.sourceFiles()
        for code in RuleCode.allCases {
            #expect(code.definition.declaredIn.hasPrefix("HuizongCore/"), "\(code)")
            let path = Self.declaringFile(code, in: files) ?? "?"
            let stage: String
            switch code.definition.scope {
            case .fields where ["IDENTITY_MISMATCH", "MULTIPLE_REGISTRATION", "DEST_EMPTIED"].contains(code.rawValue):
                stage = "Reconcile"
            case .fields: stage = "Validate"
            case .file, .line: stage = "Read"
            case .record: stage = "Reconcile"
            }
            #expect(path.hasPrefix("\(stage)/Rules/") && path.hasSuffix("Rule.swift"), "\(code): \(path)")
        }
    }

    /// Every definition written in a rule file is in the catalog, once (read from the sources:
    /// a definition left out of the catalog would only fail when its code is first used).
    @Test func everyDeclaredDefinitionIsCatalogued() throws {
        let files = Self.sourceFiles()
        var declared: [String: String] = [:]
        for path in files.values {
            let text = try String(contentsOf: Self.sourcesRoot.appendingPathComponent(path), encoding: .utf8)
            for part in text.components(separatedBy: "RuleCode.Definition(\"").dropFirst() {
                let name = String(part.prefix { $0 != "\"" })
                #expect(declared[name] == nil, "\(name) declared twice")
                declared[name] = path
            }
        }
        #expect(Set(declared.keys) == Set(RuleCode.allCases.map(\.rawValue)))
        for code in RuleCode.allCases {
            #expect(declared[code.rawValue] == Self.declaringFile(code, in: files), "\(code)")
        }
    }
}
