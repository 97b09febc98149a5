import Foundation

/// Inline SVG charts for the offline reports: drawn as text, no script, no library, no
/// network. Every mark has a `<title>` (the browser shows it on hover) and the chart an
/// aria-label, so the numbers are readable without the picture too.
public enum SVGChart {
    public struct Bar: Sendable {
        public var label: String
        public var value: Int
        /// Shown after the value (e.g. "45.5%").
        public var note: String
        public var color: String?
        /// Text after the bar instead of "value · note".
        public var display: String?

        public init(label: String, value: Int, note: String = "", color: String? = nil, display: String? = nil) {
            self.label = label
            self.value = value
            self.note = note
            self.color = color
            self.display = display
        }

        var text: String { display ?? (HTMLPage.int(value) + (note.isEmpty ? "" : " · " + note)) }
    }

    public struct Point: Sendable {
        public var label: String
        public var value: Double?
        public var note: String

        public init(label: String, value: Double?, note: String = "") {
            self.label = label
            self.value = value
            self.note = note
        }
    }

    static func esc(_ s: String) -> String { HTMLPage.escape(s) }

    /// Approximate rendered width: CJK and other wide characters count double.
    static func textWidth(_ s: String, size: Double) -> Double {
        var w = 0.0
        for u in s.unicodeScalars { w += u.value > 0x2E80 ? size : size * 0.66 }
        return w
    }

    static func clip(_ s: String, maxWidth: Double, size: Double) -> String {
        if textWidth(s, size: size) <= maxWidth { return s }
        var out = ""
        for c in s {
            if textWidth(out + String(c) + "…", size: size) > maxWidth { break }
            out.append(c)
        }
        return out + "…"
    }

    static func n(_ v: Double) -> String { String(format: "%.1f", v) }

    /// Horizontal bars, one per item, labels on the left, value and note on the right.
    public static func horizontalBars(title: String, bars: [Bar], width: Int = 560, color: String = "#2467b3") -> String {
        let fontSize = 12.0
        let rowH = 22.0, top = 8.0
        let labelW = min(190, max(60, bars.map { textWidth($0.label, size: fontSize) }.max() ?? 60) + 8)
        let valueW = 110.0
        let plotW = Double(width) - labelW - valueW - 8
        let maxV = Double(max(1, bars.map(\.value).max() ?? 1))
        let height = top * 2 + rowH * Double(max(bars.count, 1))
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"\(esc(title))\" width=\"\(width)\" height=\"\(Int(height))\" viewBox=\"0 0 \(width) \(Int(height))\">"
        s += "<title>\(esc(title))</title>"
        if bars.isEmpty {
            s += "<text x=\"8\" y=\"20\" font-size=\"12\" fill=\"#616e7c\">无数据 no data</text></svg>"
            return s
        }
        for (i, b) in bars.enumerated() {
            let y = top + Double(i) * rowH
            let w = plotW * Double(b.value) / maxV
            let label = clip(b.label, maxWidth: labelW - 8, size: fontSize)
            s += "<g><title>\(esc(b.label)): \(esc(b.text))</title>"
            s += "<text x=\"\(n(labelW - 6))\" y=\"\(n(y + 15))\" font-size=\"\(Int(fontSize))\" text-anchor=\"end\" fill=\"#1f2933\">\(esc(label))</text>"
            s += "<rect x=\"\(n(labelW))\" y=\"\(n(y + 3))\" width=\"\(n(max(w, b.value > 0 ? 1.5 : 0)))\" height=\"\(n(rowH - 6))\" rx=\"2\" fill=\"\(b.color ?? color)\"/>"
            s += "<text x=\"\(n(labelW + w + 6))\" y=\"\(n(y + 15))\" font-size=\"\(Int(fontSize))\" fill=\"#323f4b\">\(esc(b.text))</text></g>"
        }
        s += "<line x1=\"\(n(labelW))\" y1=\"\(n(top))\" x2=\"\(n(labelW))\" y2=\"\(n(height - top))\" stroke=\"#9aa5b1\"/>"
        return s + "</svg>"
    }

    /// A line over the periods with a fixed 0…yMax axis (fractions shown as percent when
    /// `percent`), markers and value labels; missing values break the line.
    public static func line(title: String, points: [Point], yMax: Double? = nil, percent: Bool = true,
                            width: Int = 560, height: Int = 240, color: String = "#2467b3") -> String {
        let left = 52.0, right = 32.0, top = 20.0, bottom = 36.0
        let plotW = Double(width) - left - right, plotH = Double(height) - top - bottom
        let values = points.compactMap(\.value)
        var maxV = yMax ?? (values.max() ?? 1)
        if maxV <= 0 { maxV = 1 }
        if yMax == nil {
            // A round top for the axis: 4 steps of 1, 2, 2.5 or 5 × 10^k.
            let raw = maxV / 4
            let mag = pow(10, floor(log10(raw)))
            let step = [1, 2, 2.5, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? raw
            maxV = step * 4
        }
        func fmt(_ v: Double) -> String {
            if percent { return String(format: "%.0f%%", v * 100) }
            return v == v.rounded() ? HTMLPage.int(Int(v)) : String(format: "%.1f", v)
        }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"\(esc(title))\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\">"
        s += "<title>\(esc(title))</title>"
        for i in 0...4 {
            let v = maxV * Double(i) / 4
            let y = top + plotH - plotH * Double(i) / 4
            s += "<line x1=\"\(n(left))\" y1=\"\(n(y))\" x2=\"\(n(left + plotW))\" y2=\"\(n(y))\" stroke=\"#e4e7eb\"/>"
            s += "<text x=\"\(n(left - 6))\" y=\"\(n(y + 4))\" font-size=\"11\" text-anchor=\"end\" fill=\"#616e7c\">\(fmt(v))</text>"
        }
        if points.isEmpty {
            return s + "<text x=\"\(n(left + 8))\" y=\"\(n(top + 20))\" font-size=\"12\" fill=\"#616e7c\">无数据 no data</text></svg>"
        }
        let step = points.count > 1 ? plotW / Double(points.count - 1) : 0
        func x(_ i: Int) -> Double { points.count > 1 ? left + step * Double(i) : left + plotW / 2 }
        func y(_ v: Double) -> Double { top + plotH - plotH * min(v, maxV) / maxV }
        var path = ""
        var pen = false
        for (i, p) in points.enumerated() {
            guard let v = p.value else { pen = false; continue }
            path += (path.isEmpty ? "" : " ") + (pen ? "L" : "M") + "\(n(x(i))) \(n(y(v)))"
            pen = true
        }
        if !path.isEmpty {
            s += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2.5\"/>"
        }
        let labelEvery = max(1, Int((Double(points.count) * 52 / plotW).rounded(.up)))
        for (i, p) in points.enumerated() {
            if i % labelEvery == 0 || i == points.count - 1 {
                s += "<text x=\"\(n(x(i)))\" y=\"\(n(top + plotH + 18))\" font-size=\"11\" text-anchor=\"middle\" fill=\"#616e7c\">\(esc(p.label))</text>"
            }
            guard let v = p.value else { continue }
            s += "<g><title>\(esc(p.label)): \(fmt(v))\(p.note.isEmpty ? "" : " (\(esc(p.note)))")</title>"
            s += "<circle cx=\"\(n(x(i)))\" cy=\"\(n(y(v)))\" r=\"4\" fill=\"#fff\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            s += "<text x=\"\(n(x(i)))\" y=\"\(n(y(v) - 9))\" font-size=\"11\" text-anchor=\"middle\" fill=\"#1f2933\">\(percent ? String(format: "%.1f%%", v * 100) : fmt(v))</text></g>"
        }
        s += "<line x1=\"\(n(left))\" y1=\"\(n(top + plotH))\" x2=\"\(n(left + plotW))\" y2=\"\(n(top + plotH))\" stroke=\"#9aa5b1\"/>"
        return s + "</svg>"
    }
}
