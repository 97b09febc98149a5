#if canImport(Glibc)
import Glibc
#endif

extension MonthlyRun {
    /// The resolved facts of a run: every later stage reads these and nothing else of the request.
    public struct RequestContext: Sendable {
        public var unit: UnitCode
        public var unitName: String
        public var level: PipelineConfig.Level
        public var period: Period
        public var asOf: Int64
        public var config: PipelineConfig?
        public var cohort: Int
        public var window: ClosedRange<Int>
        public var outputDirectory: String
        public var files: [String]?
        public var forcedEncoding: TextEncoding?
        public var signingKey: UnitKey?
        public var observer: RunObserver?

        /// `U-P`, the stem of the three outputs, and their names.
        var outputStem: String { "\(unit)-\(period)" }
        var summaryName: String { outputStem + ".csv.gz" }
        var reportName: String { outputStem + ".discrepancies.csv.gz" }
        var manifestName: String { outputStem + ".manifest.json" }
        /// The inbox read when no FILE arguments were given.
        var inbox: String? { files == nil ? config?.inbox(unit: unit, period: period) : nil }
        /// The units expected to send (SPEC 4); none for a county or without a configuration.
        var expectedChildren: [String] { config.map { $0.children(of: unit.description) } ?? [] }
        /// U's own output for P−1 in its outbox layout (SPEC 6), when configured.
        var previousOutput: String? {
            config.map { $0.outbox(unit: unit, period: period.previous) + "/\(unit)-\(period.previous).csv.gz" }
        }

        /// Resolves `r` against the configuration (or the division table without one).
        init(_ r: RunRequest) throws(RunFailure) {
            var level = PipelineConfig.Level.county
            var name = DivisionTable.name(of: r.unit.number) ?? ""
            var cohort = r.cohort
            var window = (cohort * 10000 + 101)...(cohort * 10000 + 1231)
            if let config = r.config {
                guard let u = config.unit(r.unit) else {
                    throw .usage("单位\(r.unit)不在配置中 unit \(r.unit) is not in the configuration")
                }
                level = u.level
                name = u.name
                cohort = config.cohort
                window = config.graduationWindow
                if let first = config.firstPeriod, r.period < first {
                    throw .usage("期别\(r.period)早于报送起始期\(first) period \(r.period) is before reporting.firstPeriod \(first)")
                }
                if let last = config.lastPeriod, last < r.period {
                    throw .usage("期别\(r.period)晚于报送截止期\(last) period \(r.period) is after reporting.lastPeriod \(last)")
                }
            } else if !DivisionTable.isCountyUnit(r.unit.number) {
                throw .usage("无--config时--unit须为GB/T 2260县级区划代码：\(r.unit)不是 without --config, --unit must be a GB/T 2260 county code (current or historic): \(r.unit) is not; use --config for other units")
            }
            let out: String
            if let o = r.outputDirectory {
                out = o
            } else if let config = r.config {
                out = config.outbox(unit: r.unit, period: r.period)
            } else {
                throw .usage("需要--out或--config needs --out DIR or --config")
            }
            if r.files == nil && r.config == nil {
                throw .usage("需要输入文件或--config needs FILE arguments or --config")
            }
            self.init(unit: r.unit, unitName: name, level: level, period: r.period, asOf: r.asOf, config: r.config,
                      cohort: cohort, window: window, outputDirectory: out, files: r.files,
                      forcedEncoding: r.forcedEncoding, signingKey: r.signingKey, observer: r.observer)
        }

        public init(unit: UnitCode, unitName: String, level: PipelineConfig.Level, period: Period, asOf: Int64,
                    config: PipelineConfig?, cohort: Int, window: ClosedRange<Int>, outputDirectory: String,
                    files: [String]?, forcedEncoding: TextEncoding?, signingKey: UnitKey? = nil,
                    observer: RunObserver? = nil) {
            self.unit = unit
            self.unitName = unitName
            self.level = level
            self.period = period
            self.asOf = asOf
            self.config = config
            self.cohort = cohort
            self.window = window
            self.outputDirectory = outputDirectory
            self.files = files
            self.forcedEncoding = forcedEncoding
            self.signingKey = signingKey
            self.observer = observer
        }

        /// How the rows of an input sent by `from` are validated (SPEC 5: which 登记单位 it may name).
        func validationContext(from: String) -> ValidationContext {
            let policy: ValidationContext.UnitPolicy
            if level == .county {
                policy = .county(unit.number)
            } else if let config, !from.isEmpty {
                policy = .under(config.counties(atOrUnder: from))
            } else {
                policy = .under([])
            }
            return ValidationContext(cohortYear: cohort, graduationWindow: window, asOf: asOf, unitPolicy: policy)
        }

        /// SPEC 8.5: the output directory is the run's alone (checked before anything is written,
        /// and again just before the swap).
        func checkOutputDirectory(inputs: [InputSpec]) throws(RunFailure) {
            do {
                try OutputDirectoryGuard.check(outputDirectory: outputDirectory, unit: unit.description, period: period.description,
                                               inbox: inbox, inputFiles: inputs.map(\.path))
            } catch {
                throw .usage(error.message)
            }
        }
    }

    /// Threads that read files and decide IDs: 2 (the machine this is tuned for), or the
    /// environment's `HUIZONG_THREADS` (tests compare 1 and 2). The outputs never depend on it.
    public nonisolated(unsafe) static var workerThreads: Int = {
        if let v = getenv("HUIZONG_THREADS"), let n = Int(String(cString: v)), n >= 1 { return n }
        return 2
    }()
}

/// The tool's name and version (in manifests, `--version`, the database's load events) and the
/// edition of the form rules it implements.
public enum Huizong {
    public static let toolVersion = "huizong 0.1.0"
    public static let rulesVersion = "2012.1"
}
