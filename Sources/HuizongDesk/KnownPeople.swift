import Foundation
import HuizongCore

/// The people already in the county's latest merged summary (SPEC 9: its outbox for the latest
/// period present), known to the desk from its start.
public enum KnownPeople {
    public struct Loaded: Sendable {
        public var period: Period?
        public var file: String?
        public var rows: [(id: String, updatedAt: Int64, line: String)]
    }

    /// Finds the latest period (not after `upTo`, not before `from`) with `U-P.csv.gz` in U's outbox.
    public static func latestSummary(config: PipelineConfig, unit: String, upTo: Period, from: Period) -> (Period, String)? {
        var p = upTo
        while p >= from {
            let path = config.outbox(unit: unit, period: p) + "/\(unit)-\(p).csv.gz"
            if FileManager.default.fileExists(atPath: path) { return (p, path) }
            p = p.previous
        }
        return nil
    }

    /// Reads a merged summary (canonical rows, SPEC 3.1) into canonical lines (姓名 … 登记单位).
    public static func read(path: String) throws -> [(id: String, updatedAt: Int64, line: String)] {
        let reader: SummaryFileReader
        do { reader = try SummaryFileReader(path: path) } catch {
            throw BatchWriter.WriteError(message: "无法读取本县汇总表 cannot read the county's summary \(path): \(error.rule.rawValue)")
        }
        var raw = RawRecord()
        var out: [(id: String, updatedAt: Int64, line: String)] = []
        var line: [UInt8] = []
        while true {
            let event: SummaryFileReader.Event
            do { event = try reader.next(into: &raw) } catch { break }
            switch event {
            case .end: return out
            case .blank, .rejected: continue
            case .record:
                let id = raw.string(.citizenID)
                guard id.utf8.count == 18, let t = ChinaTime.parseUpdateTime(raw.cell(.updatedAt)) else { continue }
                line.removeAll(keepingCapacity: true)
                for c in Column.allCases.dropFirst() {
                    if c != .name { line.append(0x2C) }
                    CSVField.append(raw.cell(c), to: &line)
                }
                out.append((id, t, String(decoding: line, as: UTF8.self)))
            }
        }
        return out
    }
}
