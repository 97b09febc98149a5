/// Why a whole file is rejected (SPEC 3.1, 3.2): none of its rows are merged.
public struct FileRejection: Error, Sendable, Equatable, CustomStringConvertible {
    public var rule: RuleCode
    /// What exactly was found, in Chinese and English (appended to the rule's message).
    public var detail: String

    public init(_ rule: RuleCode, _ detail: String = "") {
        self.rule = rule
        self.detail = detail
    }

    public var description: String { detail.isEmpty ? "\(rule.rawValue): \(rule.message)" : "\(rule.rawValue): \(detail)" }
}
