/// One row of the discrepancy report (SPEC 3.3), before the run's unit and file are attached.
///
/// `rawValue` (原值) is the cell of `field` as written on that line; it is always empty for
/// contact columns (phone, e-mail), which never reach a report.
public struct Finding: Sendable, Equatable {
    public var rule: RuleCode
    public var severity: Severity
    /// 行号: physical line in the source file, from 1; nil for a finding about a whole file.
    public var line: Int?
    /// 字段: nil when the finding is about a line or a record, not one field.
    public var field: Column?
    /// 字段 for whole-file findings that name a header cell (FILE_EXTRA_COLUMN) — free text.
    public var fieldName: String?
    public var citizenID: String
    public var name: String
    public var rawValue: String
    /// 说明 in place of the rule's standard message, when the finding has specifics to say
    /// (which line superseded this one, which columns are missing).
    public var detail: String?

    public init(rule: RuleCode, line: Int?, field: Column? = nil, fieldName: String? = nil,
                citizenID: String = "", name: String = "", rawValue: String = "",
                detail: String? = nil, severity: Severity? = nil) {
        self.rule = rule
        self.severity = severity ?? rule.severity
        self.line = line
        self.field = field
        self.fieldName = fieldName
        self.citizenID = citizenID
        self.name = name
        self.rawValue = (field?.isContact ?? false) ? "" : rawValue
        self.detail = detail
    }

    /// 字段 as written in the report.
    public var fieldLabel: String { field?.canonicalName ?? fieldName ?? "" }

    /// 说明 as written in the report.
    public var message: String {
        guard let detail, !detail.isEmpty else { return rule.message }
        return detail
    }
}
