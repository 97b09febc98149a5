// PLACEHOLDER until the form-rules work lands.
/// Applies every form rule of SPEC 5 to one record: normalises each field into the canonical
/// line and reports each broken rule as a finding.
public struct RecordValidator: Sendable {
    public let context: ValidationContext

    public init(context: ValidationContext) {
        self.context = context
    }

    /// Validates `raw` into `out` (reset first) and appends one finding per broken rule.
    public func validate(_ raw: RawRecord, into out: inout ValidatedRecord, findings: inout [Finding]) {
        out.reset()
    }
}
