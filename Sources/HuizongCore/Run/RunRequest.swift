/// What `aggregate run` was asked to do (SPEC 4).
public struct RunRequest: Sendable {
    public var unit: UnitCode
    public var period: Period
    /// The run's reference time (`--as-of`), Unix seconds.
    public var asOf: Int64
    public var config: PipelineConfig?
    /// Without `--config`: the cohort (default 2012); the graduation window is that whole year.
    public var cohort: Int
    /// `--out DIR`; nil = the config's outbox for U and P.
    public var outputDirectory: String?
    /// Explicit FILE arguments; nil = U's inbox for P.
    public var files: [String]?
    public var forcedEncoding: TextEncoding?
    /// The unit's private key (SPEC 8.4): when set, the manifest is signed.
    public var signingKey: UnitKey?
    /// Progress and phases as the run goes (nil: nobody listens).
    public var observer: RunObserver?

    public init(unit: UnitCode, period: Period, asOf: Int64, config: PipelineConfig? = nil, cohort: Int = 2012,
                outputDirectory: String? = nil, files: [String]? = nil, forcedEncoding: TextEncoding? = nil,
                signingKey: UnitKey? = nil, observer: RunObserver? = nil) {
        self.observer = observer
        self.unit = unit
        self.period = period
        self.asOf = asOf
        self.config = config
        self.cohort = cohort
        self.outputDirectory = outputDirectory
        self.files = files
        self.forcedEncoding = forcedEncoding
        self.signingKey = signingKey
    }
}

/// Why a run stopped without writing (exit 1 or 3, SPEC 4).
public enum RunFailure: Error, CustomStringConvertible {
    /// Usage or configuration error: exit 1, nothing written.
    case usage(String)
    /// Another run holds the unit and period: exit 3, nothing written.
    case locked(String)
    /// I/O failure while writing: exit 1, previous outputs untouched.
    case io(String)

    public var exitStatus: Int32 {
        switch self {
        case .usage, .io: 1
        case .locked: 3
        }
    }

    public var description: String {
        switch self {
        case .usage(let s), .locked(let s), .io(let s): s
        }
    }
}

/// What a finished run reports back.
public struct RunOutcome: Sendable {
    /// 0 done; 2 done but an input was rejected whole or an expected child is missing.
    public var exitStatus: Int32
    public var outputDirectory: String
    public var manifest: Manifest
    public var summaryRows: Int
    public var reportRows: Int
    public var rejectedFiles: [String]
    public var missingChildren: [String]
    /// Files rejected whole, children missing or late, inbox entries skipped, a missing inbox:
    /// each names its file or unit, for the operator (logged even under `--quiet`).
    public var warnings: [RunWarning] = []
}
