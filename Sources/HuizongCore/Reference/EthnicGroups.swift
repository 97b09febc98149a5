// PLACEHOLDER until the reference-data work lands: the real list is GB/T 3304.
/// GB/T 3304 names of ethnic groups (民族).
public enum EthnicGroups {
    /// The full canonical name for a trimmed input (name with or without 族, the 2-digit code,
    /// or a historic name), or nil.
    public static func canonicalName(for input: String) -> String? {
        switch input {
        case "汉族", "汉", "01": "汉族"
        default: nil
        }
    }
}
