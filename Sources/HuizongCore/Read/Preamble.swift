/// The lines before the header of a file made from the notice's 附件2 template: a title line and
/// 填报省份：… 填报单位：… 填报时间：年 月 日 填报人：… 联系电话：… (SPEC 3.1). Their values are kept
/// as written for the manifest; 填报时间 stands in for 更新时间 when the file has no such column.
public struct Preamble: Sendable, Equatable {
    public static let labels = ["填报省份", "填报单位", "填报时间", "填报人", "联系电话"]

    /// Label → value as written (trimmed), for the labels found.
    public private(set) var values: [String: String] = [:]

    public init() {}

    public var isEmpty: Bool { values.isEmpty }

    /// Reads the labels out of one pre-header line's cells. A label's value runs to the next label
    /// in the same cell or the end of the cell; a label alone in its cell takes the next cell.
    public mutating func read(cells: [String]) {
        var index = 0
        while index < cells.count {
            // Labels are found in the cell as written (a stray BOM aside): the values are kept as
            // written, full-width forms included (SPEC 3.1).
            let cell = cells[index].replacingOccurrences(of: "\u{FEFF}", with: "").trimmingSpaces()
            var found: [(label: String, range: Range<String.Index>)] = []
            for label in Self.labels {
                var searchFrom = cell.startIndex
                while let r = cell.range(of: label, range: searchFrom..<cell.endIndex) {
                    // 填报人 is a prefix of nothing else here, but 填报单位 etc. are distinct; keep every hit.
                    found.append((label, r))
                    searchFrom = r.upperBound
                }
            }
            found.sort { $0.range.lowerBound < $1.range.lowerBound }
            for (k, hit) in found.enumerated() {
                var valueStart = hit.range.upperBound
                let valueEnd = k + 1 < found.count ? found[k + 1].range.lowerBound : cell.endIndex
                if valueStart < valueEnd, cell[valueStart] == ":" || cell[valueStart] == "：" {
                    valueStart = cell.index(after: valueStart)
                }
                var value = valueStart <= valueEnd ? String(cell[valueStart..<valueEnd]).trimmingSpaces() : ""
                if value.isEmpty, k + 1 == found.count, index + 1 < cells.count {
                    let next = cells[index + 1].replacingOccurrences(of: "\u{FEFF}", with: "").trimmingSpaces()
                    if !Self.labels.contains(where: { next.contains($0) }) {
                        value = next
                        index += 1
                    }
                }
                if values[hit.label] == nil { values[hit.label] = value }
            }
            index += 1
        }
    }

    /// 填报时间 as a calendar date (y, m, d): `2012年9月5日`, `2012 年 9 月 5 日`, `2012-09-05`,
    /// `2012/9/5`, `2012.9.5` or `20120905`.
    public var fillDate: (year: Int, month: Int, day: Int)? {
        guard let written = values["填报时间"] else { return nil }
        let text = HeaderName.normalize(written)  // full-width digits count as digits
        var groups: [String] = []
        var current = ""
        for ch in text {
            if ch.isASCII && ch.isNumber {
                current.append(ch)
            } else if !current.isEmpty {
                groups.append(current)
                current = ""
            }
        }
        if !current.isEmpty { groups.append(current) }
        var y = 0, m = 0, d = 0
        if groups.count == 1, groups[0].count == 8, let v = Int(groups[0]) {
            y = v / 10000; m = v / 100 % 100; d = v % 100
        } else if groups.count == 3, groups[0].count == 4, let a = Int(groups[0]), let b = Int(groups[1]), let c = Int(groups[2]) {
            y = a; m = b; d = c
        } else {
            return nil
        }
        guard ChinaTime.isValidDate(y, m, d) else { return nil }
        return (y, m, d)
    }
}
