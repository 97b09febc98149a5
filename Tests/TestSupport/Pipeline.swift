import Foundation
import Testing

// MARK: - A pipeline.json hierarchy in a temp dir

/// A small hierarchy run with `--config` in its own directory (layout data/{unit}/{inbox,outbox}/{period}).
public final class Pipeline {
    public struct Unit: Sendable {
        public var code: String
        public var name: String
        public var level: String
        public var parent: String?

        public init(code: String, name: String, level: String, parent: String?) {
            self.code = code
            self.name = name
            self.level = level
            self.parent = parent
        }
    }

    public static let defaultUnits: [Unit] = [
        Unit(code: "000000", name: "人力资源社会保障部", level: "ministry", parent: nil),
        Unit(code: "110000", name: "北京市", level: "province", parent: "000000"),
        Unit(code: "110100", name: "北京市市辖区", level: "city", parent: "110000"),
        Unit(code: "110105", name: "朝阳区", level: "county", parent: "110100"),
        Unit(code: "110108", name: "海淀区", level: "county", parent: "110100"),
        Unit(code: "110112", name: "通州区", level: "county", parent: "110100"),
        Unit(code: "120000", name: "天津市", level: "province", parent: "000000"),
        Unit(code: "120100", name: "天津市市辖区", level: "city", parent: "120000"),
        Unit(code: "120101", name: "和平区", level: "county", parent: "120100"),
    ]

    /// Shipped on time for period 2012-09 (2012-10-03 12:00 China time).
    public static let onTime = chinaEpoch(2012, 10, 3, 12)

    public let dir: TempDir
    public let units: [Unit]

    public init(units: [Unit] = Pipeline.defaultUnits, deadlineDay: String = "5", dir: TempDir = TempDir("pipe")) {
        self.dir = dir
        self.units = units
        let list = units.map { u in
            "    {\"code\": \"\(u.code)\", \"name\": \"\(u.name)\", \"level\": \"\(u.level)\"" +
                (u.parent.map { ", \"parent\": \"\($0)\"" } ?? "") + "}"
        }.joined(separator: ",\n")
        dir.write("pipeline.json", """
        {
          "cohort": 2012,
          "graduationWindow": {"from": "2012-01-01", "to": "2012-12-31"},
          "reporting": {"firstPeriod": "2012-08", "lastPeriod": "2013-06", "deadlineDay": \(deadlineDay)},
          "layout": {"inbox": "data/{unit}/inbox/{period}", "outbox": "data/{unit}/outbox/{period}"},
          "units": [
        \(list)
          ]
        }
        """)
    }

    public func inbox(_ unit: String, _ period: String) -> String { "data/\(unit)/inbox/\(period)" }
    public func outbox(_ unit: String, _ period: String) -> String { "data/\(unit)/outbox/\(period)" }

    /// An intake batch in a county's inbox.
    @discardableResult
    public func batch(_ unit: String, _ period: String, _ name: String, _ people: [Person]) -> String {
        dir.write(inbox(unit, period) + "/" + name, summaryText(people))
    }

    public func run(_ unit: String, _ period: String, asOf: String = defaultAsOf, env: [String: String] = [:],
             extra: [String] = []) throws -> ProcessResult {
        try aggregate(["run", "--config", "pipeline.json", "--unit", unit, "--period", period, "--as-of", asOf] + extra,
                      cwd: dir.path, env: env)
    }

    public func outputs(_ unit: String, _ period: String) throws -> RunOutputs {
        try RunOutputs(dir: dir.url(outbox(unit, period)), stem: "\(unit)-\(period)", keepAlive: dir)
    }

    /// Copies a child's three output files into its parent's inbox with modification time `mtime`
    /// (as the monthly transfer does, preserving times).
    public func ship(_ child: String, _ period: String, mtime: Int = Pipeline.onTime) {
        guard let parent = units.first(where: { $0.code == child })?.parent else { return }
        let from = dir.url(outbox(child, period))
        let to = dir.url(inbox(parent, period))
        try? FileManager.default.createDirectory(atPath: to, withIntermediateDirectories: true)
        for suffix in [".csv.gz", ".discrepancies.csv.gz", ".manifest.json"] {
            let name = "\(child)-\(period)\(suffix)"
            try? FileManager.default.removeItem(atPath: to + "/" + name)
            try! FileManager.default.copyItem(atPath: from + "/" + name, toPath: to + "/" + name)
            setMTime(to + "/" + name, mtime)
        }
    }

    /// Runs a county on its inbox and ships its outputs up; the run must succeed.
    public func county(_ unit: String, _ period: String, _ people: [Person], asOf: String = defaultAsOf,
                ship shipIt: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) throws {
        batch(unit, period, "intake.csv", people)
        let r = try run(unit, period, asOf: asOf)
        #expect(r.status == 0, "county \(unit) \(period): exit \(r.status) \(r.stderr)", sourceLocation: sourceLocation)
        if shipIt { ship(unit, period) }
    }
}
