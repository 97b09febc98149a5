/// Header cells are matched to columns after trimming and folding full-width forms (SPEC 3.1):
/// `就业去向（回访结果）` and `就业去向(回访结果)` are the same column.
public enum HeaderName {
    /// Trims ASCII space/tab and U+3000, folds U+FF01…U+FF5E to ASCII and U+3000 to a space.
    public static func normalize(_ s: String) -> String {
        var scalars = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if (0xFF01...0xFF5E).contains(u.value) {
                scalars.append(Unicode.Scalar(u.value - 0xFEE0)!)
            } else if u.value == 0x3000 {
                scalars.append(" ")
            } else if u.value == 0xFEFF {
                continue  // a stray BOM
            } else {
                scalars.append(u)
            }
        }
        return String(scalars).trimmingSpaces()
    }

    /// An unknown header cell as it may be shown in a report's 字段 (FILE_EXTRA_COLUMN). A header
    /// cell is a column name; one that looks like data — longer than 40 characters, or holding an
    /// e-mail address or a run of 7 or more digits (a phone number) — means data sits on the
    /// header line (a file whose line ends were not recognised, rows pasted beside the header),
    /// and is never copied into a report (SPEC 7: reports never carry contact values).
    public static func reportable(_ name: String) -> String {
        var digits = 0, longest = 0
        for u in name.unicodeScalars {
            if u.value >= 0x30 && u.value <= 0x39 { digits += 1; longest = max(longest, digits) }
            else if u != "-" && u != " " { digits = 0 }
        }
        if name.count > 40 || name.contains("@") || name.contains("＠") || longest >= 7 {
            return "（列名像数据，不予显示 withheld: the header cell looks like data）"
        }
        return name
    }

    /// The column a (normalised) header name stands for, canonical or alias.
    public static func column(for normalized: String) -> Column? { table[normalized] }

    private static let table: [String: Column] = {
        var t: [String: Column] = [:]
        for c in Column.allCases {
            t[c.canonicalName] = c
            for a in c.aliases { t[a] = c }
        }
        return t
    }()
}

extension String {
    /// Without leading and trailing ASCII spaces, tabs and U+3000.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{3000}" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
