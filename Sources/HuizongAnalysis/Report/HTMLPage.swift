import HuizongCore

/// The shell of the self-contained HTML reports: escaping, inline CSS, no script, no network.
enum HTMLPage {
    static func escape(_ s: String) -> String { HTMLText.escaped(s) }

    /// Fonts that carry simplified Chinese, on the machines the reports are opened on: Windows
    /// (Microsoft YaHei, then SimSun, SimHei on older versions), macOS (PingFang SC, Hiragino Sans
    /// GB), Linux (Noto Sans CJK SC from fonts-noto-cjk, Source Han Sans SC, WenQuanYi). Without
    /// any of them a browser draws every Chinese character as a box.
    static let fontStack = "\"Microsoft YaHei\", \"微软雅黑\", \"PingFang SC\", \"Hiragino Sans GB\", \"Noto Sans CJK SC\", "
        + "\"Source Han Sans SC\", \"WenQuanYi Micro Hei\", \"SimHei\", \"SimSun\", \"宋体\", sans-serif"

    static let css = """
        :root { --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --bg: #f5f7fa; --accent: #2467b3;
                --reject: #c0392b; --flag: #d68910; --info: #7b8794; }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--ink);
               font: 14px/1.5 \(fontStack); }
        header { background: #102a43; color: #fff; padding: 20px 32px; }
        header h1 { margin: 0 0 4px; font-size: 22px; font-weight: 600; }
        header p { margin: 0; color: #bcccdc; }
        main { padding: 16px 32px 40px; max-width: 1280px; }
        section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 16px 20px; margin: 16px 0; }
        h2 { font-size: 17px; margin: 0 0 12px; }
        h3 { font-size: 15px; margin: 16px 0 8px; }
        .cards { display: flex; flex-wrap: wrap; gap: 12px; }
        .card { flex: 1 1 170px; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; }
        .card .v { font-size: 24px; font-weight: 600; }
        .card .k { color: var(--muted); font-size: 13px; }
        .card .d { font-size: 12px; color: var(--muted); }
        .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 16px; }
        table { border-collapse: collapse; width: 100%; font-size: 13px; }
        th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
        th { background: #f0f4f8; font-weight: 600; position: sticky; top: 0; }
        td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        td.nw { white-space: nowrap; }
        .scroll { overflow: auto; max-height: 640px; }
        .muted { color: var(--muted); }
        .note { color: var(--muted); font-size: 12px; }
        .sev-reject { color: var(--reject); font-weight: 600; }
        .sev-flag { color: var(--flag); font-weight: 600; }
        .sev-info { color: var(--info); }
        .up { color: #1e7b34; } .down { color: var(--reject); }
        details { border: 1px solid var(--line); border-radius: 4px; margin: 8px 0; }
        summary { cursor: pointer; padding: 6px 10px; background: #f0f4f8; font-weight: 600; }
        code { font-family: ui-monospace, "Noto Sans Mono CJK SC", Consolas, "Microsoft YaHei", monospace; font-size: 12px; }
        td.msg { min-width: 22em; max-width: 36em; }
        td.raw { max-width: 16em; overflow-wrap: anywhere; }
        table.matrix { width: auto; }
        table.matrix th.v { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap;
                            padding: 6px 2px; vertical-align: bottom; font-weight: 500; }
        table.matrix td.n { padding: 2px 4px; }
        svg text { font-family: inherit; }
        footer { color: var(--muted); font-size: 12px; padding: 0 32px 32px; }
        @media print { .scroll { max-height: none; overflow: visible; } details { break-inside: avoid; } }
        """

    static func page(title: String, heading: String, subtitle: String, body: String, footer: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <meta name="robots" content="noindex">
        <title>\(escape(title))</title>
        <style>
        \(css)
        </style>
        </head>
        <body>
        <header><h1>\(escape(heading))</h1><p>\(escape(subtitle))</p></header>
        <main>
        \(body)
        </main>
        <footer>\(footer)</footer>
        </body>
        </html>

        """
    }

    static func card(_ key: String, _ value: String, _ detail: String = "") -> String {
        "<div class=\"card\"><div class=\"k\">\(escape(key))</div><div class=\"v\">\(escape(value))</div>"
            + (detail.isEmpty ? "" : "<div class=\"d\">\(detail)</div>") + "</div>"
    }

    /// A table; `numeric` marks right-aligned columns. Cells are escaped unless `raw` says so.
    /// `verticalHeaders`: header cells set vertically (narrow columns); `classes`: extra CSS
    /// classes of a column's cells (`msg` for a readable 说明, `raw` for values that may break).
    static func table(_ header: [String], _ rows: [[String]], numeric: Set<Int> = [], raw: Set<Int> = [], wrap: Set<Int>? = nil,
                      scroll: Bool = false, verticalHeaders: Set<Int> = [], tableClass: String? = nil,
                      classes: [Int: String] = [:]) -> String {
        var out = scroll ? "<div class=\"scroll\">" : ""
        out += "<table\(tableClass.map { " class=\"\($0)\"" } ?? "")><thead><tr>"
        for (i, h) in header.enumerated() {
            let cls = [numeric.contains(i) ? "n" : nil, verticalHeaders.contains(i) ? "v" : nil].compactMap { $0 }.joined(separator: " ")
            out += "<th\(cls.isEmpty ? "" : " class=\"\(cls)\"")>\(escape(h))</th>"
        }
        out += "</tr></thead><tbody>\n"
        for r in rows {
            out += "<tr>"
            for (i, c) in r.enumerated() {
                var cls = numeric.contains(i) ? "n" : (wrap.map { $0.contains(i) ? "" : "nw" } ?? "")
                if let extra = classes[i] { cls = cls.isEmpty ? extra : cls + " " + extra }
                out += "<td\(cls.isEmpty ? "" : " class=\"\(cls)\"")>\(raw.contains(i) ? c : escape(c))</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody></table>"
        if scroll { out += "</div>" }
        return out
    }

    static func percent(_ v: Double?) -> String {
        guard let v else { return "—" }
        return String(format: "%.1f%%", v * 100)
    }

    static func points(_ v: Double?) -> String {
        guard let v else { return "—" }
        return String(format: "%+.1f个百分点", v * 100)
    }

    static func signed(_ n: Int) -> String { n > 0 ? "+" + int(n) : int(n) }

    /// 811090 → "811,090".
    static func int(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}
