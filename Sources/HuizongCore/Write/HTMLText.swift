/// HTML escaping for every page the tool writes (the reports, the desk): `& < > " '` become
/// entities, so a value is text in an element or an attribute, never markup.
public enum HTMLText {
    public static func escaped(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        out.appendEscaping(s) { u in
            switch u {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"": "&quot;"
            case "'": "&#39;"
            default: nil
            }
        }
        return out
    }
}
