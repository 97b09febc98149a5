/// 级别 of a finding (SPEC 3.3): `reject` (row not merged, or file rejected whole), `flag` (row
/// merged, a field needs fixing at the source) or `info` (dedup/reconcile events).
public enum Severity: String, Sendable, Comparable, CaseIterable {
    case reject, flag, info

    private var order: Int { self == .reject ? 0 : self == .flag ? 1 : 2 }
    public static func < (a: Severity, b: Severity) -> Bool { a.order < b.order }
}
