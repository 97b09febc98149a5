/// Text shown on a terminal (SPEC 8.5, printed values): a name or value read from a file, or a
/// file name, may hold terminal escape sequences (`ESC [ 2 J`, a title change, a hidden line) or
/// bidirectional overrides that make a line read differently from its bytes. Everything printed
/// on standard output or error goes through `escaped`: C0 controls and DEL as `\x1b`, C1
/// controls as `\x9b`, bidirectional controls as `\u{202e}`; a backslash stays as it is.
public enum PrintableText {
    public static func escaped(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: needsEscape) else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if needsEscape(u) {
                let hex = String(u.value, radix: 16)
                let text = u.value <= 0xFF
                    ? "\\x" + (hex.count < 2 ? "0" : "") + hex
                    : "\\u{" + hex + "}"
                out.append(contentsOf: text.unicodeScalars)
            } else {
                out.append(u)
            }
        }
        return String(out)
    }

    /// As `escaped`, but keeps line feeds (for multi-line messages built by the tool itself).
    public static func escapedKeepingLines(_ s: String) -> String {
        s.split(separator: "\n", omittingEmptySubsequences: false).map { escaped(String($0)) }.joined(separator: "\n")
    }

    /// JSON text for a terminal: control characters that JSON leaves raw (DEL, C1, bidirectional
    /// controls) as `\u00XX` escapes, which JSON readers decode back to the same value.
    public static func jsonEscaped(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: needsEscape) else { return json }
        var out = String.UnicodeScalarView()
        for u in json.unicodeScalars {
            if needsEscape(u) && u.value >= 0x20 {
                let hex = String(u.value, radix: 16)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
            } else {
                out.append(u)
            }
        }
        return String(out)
    }

    @inline(__always) static func needsEscape(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        if v < 0x20 || v == 0x7F { return true }
        if (0x80...0x9F).contains(v) { return true }
        // Bidirectional marks, embeddings, overrides and isolates.
        if v == 0x200E || v == 0x200F || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) { return true }
        return false
    }
}
