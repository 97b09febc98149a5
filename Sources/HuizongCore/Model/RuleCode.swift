/// A stable rule code of SPEC 5.1 (规则). Auditors, reports and other tools rely on these names:
/// add codes, never rename one.
///
/// Each code is declared in the file of the rule that raises it, beside the check (as
/// swift-format's `Rules/` declare their finding messages): a `RuleCode.Definition` in the rule's
/// namespace (`SexRule.sexInvalid`: the code's name, severity, scope and 说明 in Chinese and
/// English) and the `RuleCode` constant the rest of the tree uses (`.sexInvalid`). The form rules
/// are in `Validate/Rules/`, the file and line checks in `Read/Rules/`, the record outcomes of
/// dedup, reconciliation and carry-forward in `Reconcile/Rules/`. This file holds only the type
/// and `catalog`, the one ordered list of every code; `docs/rules.md` renders its table from it.
///
/// A code is one byte, its position in the catalog: findings are counted and spooled by it
/// without hashing the name (`FindingSpool`, `DiscrepancyReportWriter`).
public struct RuleCode: Hashable, Comparable, Sendable, CaseIterable, CustomStringConvertible {
    /// Position in `catalog` (and `allCases`).
    let index: UInt8

    /// The code of `definition`, which must be listed in `catalog`.
    init(_ definition: Definition) {
        guard let i = Self.catalog.firstIndex(where: { $0.rawValue == definition.rawValue }) else {
            preconditionFailure("\(definition.rawValue) is declared but not listed in RuleCode.catalog")
        }
        self.init(index: i)
    }

    private init(index: Int) {
        self.index = UInt8(index)
    }

    /// The code named `rawValue`, if there is one.
    public init?(rawValue: String) {
        guard let i = Self.catalog.firstIndex(where: { $0.rawValue == rawValue }) else { return nil }
        self.init(index: i)
    }

    /// Name, severity, scope and message, as declared in the rule's file.
    public var definition: Definition { Self.catalog[Int(index)] }
    /// The stable name (`SEX_INVALID`).
    public var rawValue: String { Self.catalog[Int(index)].rawValue }
    /// The severity SPEC 5 and 5.1 give the code.
    public var severity: Severity { Self.catalog[Int(index)].severity }
    /// The 说明 of a finding: what is wrong and what the desk should do, in Chinese and English.
    public var message: String { Self.catalog[Int(index)].message }
    /// Whether the finding is about a whole file (行号 and 字段 left empty).
    public var isFileLevel: Bool { definition.scope == .file }
    public var description: String { rawValue }

    /// By name.
    public static func < (a: RuleCode, b: RuleCode) -> Bool { a.rawValue < b.rawValue }

    /// Every code, in catalog order.
    public static let allCases: [RuleCode] = catalog.indices.map(RuleCode.init(index:))

    /// Every code in its stable order: the order of SPEC 5.1 (files, lines, fields, records), then
    /// the codes of the second round (SPEC 8.6) — `FindingSpool` stores a code as its position
    /// here. Append new codes at the end; declare them in their rule's file.
    static let catalog: [Definition] = [
        // Files (a `reject` here rejects the whole file).
        UnreadableFileRule.fileUnreadable, GzipRule.fileGzip, EmptyFileRule.fileEmpty,
        ColumnsRule.fileColumns, InflateLimitRule.fileInflateLimit,
        ManifestRule.fileNoManifest, ManifestMismatchRule.fileManifestMismatch,
        ForeignSenderRule.fileForeignSender, ExtraColumnRule.fileExtraColumn,
        ChildMissingRule.childMissing, ChildLateRule.childLate,
        // Lines.
        LineQuoteRule.lineQuote, LineFieldsRule.lineFields, LineTooLongRule.lineTooLong,
        LineEncodingRule.lineEncoding,
        // Fields.
        NameRule.nameInvalid, SexRule.sexInvalid, EthnicGroupRule.ethnicInvalid,
        CitizenIDRule.idFormat, CitizenIDRule.idChecksum, CitizenIDRule.idBirthdate, IDSexRule.idSexMismatch,
        CitizenIDRule.idUpgraded15, CitizenIDRule.idRegionUnknown,
        SchoolMajorRule.schoolInvalid, SchoolMajorRule.majorInvalid, GraduationDateRule.graddateInvalid,
        GraduationDateRule.graddateWindow, AgeRule.ageImplausible,
        EducationRule.eduInvalid, HukouRule.hukouInvalid, PhoneRule.mobileInvalid, PhoneRule.landlineInvalid,
        PhoneRule.noPhone, EmailRule.emailInvalid,
        PostcodeRule.postcodeInvalid, HardshipRule.hardshipInvalid, WorkplaceIntentRule.workplaceInvalid,
        IntentionsRule.intentInvalid, IntentionsRule.intent9Combined,
        ServiceNeedsRule.needsInvalid, ServiceNeedsRule.needsWith9, ServiceNeedsRule.needsMissing,
        GraduationAfterUpdateRule.graddateAfterUpdate, MultiChoiceRule.multiRepeated,
        DestinationRule.destInvalid, UpdateTimeRule.timeInvalid, UpdateTimeRule.timeFuture,
        UpdateTimeRule.timeTooEarly, RegisteringUnitRule.unitForeign,
        // Records (SPEC 6).
        DuplicateRule.duplicate, SupersededRule.superseded, NewestRejectedRule.newestRejected,
        ConflictRule.conflict, IdentityMismatchRule.identityMismatch,
        MultipleRegistrationRule.multipleRegistration, DestinationEmptiedRule.destEmptied,
        VanishedRule.vanished, StaleRule.stale,
        // Second round (SPEC 8.6).
        InboxRule.fileSkipped, FileFormatRule.fileFormat, SignatureRule.fileSignature,
        CitizenIDRule.idExcelNumber, ReportForeignRule.reportForeign,
    ]
}

extension RuleCode {
    /// What a code says, declared once in its rule's file.
    public struct Definition: Sendable, Equatable {
        /// Where a finding of the code points.
        public enum Scope: Sendable, Equatable {
            /// A whole file: 行号 and 字段 empty (the file is rejected whole when the code rejects).
            case file
            /// A line that could not be read as a record; 字段 empty.
            case line
            /// One of these 字段 of a row.
            case fields([Column])
            /// An ID's rows as a whole (dedup, reconciliation, carry-forward); 字段 empty.
            case record

            /// One 字段.
            public static func field(_ column: Column) -> Scope { .fields([column]) }
        }

        /// The stable name (`SEX_INVALID`).
        public let rawValue: String
        public let severity: Severity
        public let scope: Scope
        /// The 说明's Chinese part: what is wrong and what to do, for the desk.
        public let chinese: String
        /// The 说明's English part, the same in English.
        public let english: String
        /// The 说明 of a finding: `chinese`, a space, `english`.
        public let message: String
        /// The file that declares the code (`#fileID`), for `docs/rules.md`.
        public let declaredIn: String

        public init(_ rawValue: String, _ severity: Severity, _ scope: Scope,
                    chinese: String, english: String, declaredIn: String = #fileID) {
            self.rawValue = rawValue
            self.severity = severity
            self.scope = scope
            self.chinese = chinese
            self.english = english
            self.message = chinese + " " + english
            self.declaredIn = declaredIn
        }
    }
}
