import Foundation
import HuizongCore
import Synchronization

/// The county desk (SPEC 9): the store, the clock, the core's rules and the batch writer for one
/// county. Plain and testable: the HTTP layer (`DeskServer`, `DeskAPI`) only translates.
public final class Desk: Sendable {
    public let config: PipelineConfig
    public let unit: String
    public let store: DeskStore
    public let clock: DeskClock
    public let form: FormCheck
    /// Batches are closed one at a time.
    let batchLock = Mutex<Void>(())
    public let knownFrom: String?

    public struct SetupError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Opens (or creates) the desk's database, loads the people of the county's latest merged
    /// summary, and completes any batch an earlier desk decided but did not record as written.
    public init(config: PipelineConfig, unit: String, databasePath: String, clock: DeskClock) throws {
        guard let u = config.unit(unit) else {
            throw SetupError(message: "单位不在配置中 unit \(unit) is not in the configuration")
        }
        guard u.level == .county else {
            throw SetupError(message: "服务台只用于县级单位 the desk is for a county; \(unit) is a \(u.level.rawValue)")
        }
        self.config = config
        self.unit = unit
        self.clock = clock
        self.form = FormCheck(cohortYear: config.cohort, graduationWindow: config.graduationWindow, unit: unit)
        self.store = try DeskStore(path: databasePath)
        let now = clock.period()
        let from = config.firstPeriod.map { min($0, now) } ?? Period(year: config.cohort, month: 1)
        if let (_, path) = KnownPeople.latestSummary(config: config, unit: unit, upTo: now, from: from) {
            try store.replaceKnown(try KnownPeople.read(path: path))
            knownFrom = path
        } else {
            knownFrom = nil
        }
        try recover()
    }

    // MARK: Entries

    public func check(_ fields: DeskFields) -> CheckResult {
        form.check(fields, time: clock.now())
    }

    public func register(_ fields: DeskFields) throws -> DeskStore.WriteOutcome {
        try store.register(form.check(fields, time: clock.now()))
    }

    public func followUp(_ id: String, changes: DeskFields) throws -> DeskStore.WriteOutcome {
        let now = clock.now()
        return try store.followUp(id, changes: changes, now: now) { fields, time in
            self.form.check(fields, time: time, asOf: max(now, time))
        }
    }

    public enum ServiceOutcome: Sendable { case created(DeskStore.Service), invalid(String), notFound }

    /// The kinds of service (SPEC 9): one job-information contact, or a 就业服务需求 code.
    public static let serviceKinds = ["info", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A"]

    public func addService(_ id: String, kind rawKind: String, at: String?, note: String) throws -> ServiceOutcome {
        let kind = rawKind == "a" ? "A" : rawKind
        guard Self.serviceKinds.contains(kind) else {
            return .invalid("服务类别须为info或1–9、A kind must be info, 1-9 or A")
        }
        guard note.count <= 200 else { return .invalid("备注最多200字 note is at most 200 characters") }
        let now = clock.now()
        var t = now
        if let at, !at.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let v = ChinaTime.parseUpdateTime(Array(at.utf8)) else {
                return .invalid("服务时间格式错误，须为YYYY-MM-DD HH:MM:SS time malformed; use YYYY-MM-DD HH:MM:SS")
            }
            guard v <= now else { return .invalid("服务时间晚于当前时间 time is in the future") }
            guard v >= ChinaTime.startOfYear(config.cohort) else { return .invalid("服务时间早于届别年度 time before the cohort year") }
            t = v
        }
        let s = DeskStore.Service(kind: kind, at: t, note: note, enteredAt: now)
        return try store.addService(id, kind: kind, at: t, note: note, enteredAt: now) ? .created(s) : .notFound
    }

    public func due(period: Period) throws -> [DueList.Entry] {
        let (from, to) = DueList.bounds(of: period)
        return DueList.compute(current: try store.currentVersions(), unit: unit,
                               infoCounts: try store.infoCounts(from: from, to: to))
    }

    // MARK: Batches

    /// Closes a batch: every entry since the last batch, into the inbox for the current period.
    /// (1) one transaction assigns the pending entries to a batch `intent`; (2) the file is
    /// written atomically; (3) the batch is marked written. A kill after (1) leaves an intent
    /// that `recover()` completes: it finds the file when (2) had finished (same bytes), or
    /// writes it — so every entry lands in exactly one file.
    public func closeBatch() throws -> (file: String?, rows: Int) {
        try batchLock.withLock { _ in
            try recoverLocked()
            let now = clock.now()
            let period = DeskClock.period(of: now)
            let dir = config.inbox(unit: unit, period: period)
            guard let intent = try store.beginBatch(name: BatchWriter.name(at: now), period: period.description,
                                                    directory: dir, now: now) else { return (nil, 0) }
            TestHook.reached("desk-batch-intent")
            let file = try complete(intent, recovering: false)
            return (file, intent.lines.count)
        }
    }

    func complete(_ intent: DeskStore.BatchIntent, recovering: Bool) throws -> String {
        let bytes = BatchWriter.content(lines: intent.lines)
        let name: String
        if recovering, let existing = BatchWriter.existingFile(with: bytes, in: intent.directory) {
            name = existing
        } else {
            name = try BatchWriter.write(bytes, directory: intent.directory, preferredName: intent.name, batch: intent.id)
        }
        TestHook.reached("desk-batch-written")
        try store.finishBatch(intent.id, file: name)
        return name
    }

    /// Completes batches decided by an earlier desk that stopped before recording them written.
    public func recover() throws {
        try batchLock.withLock { _ in try recoverLocked() }
    }

    func recoverLocked() throws {
        for intent in try store.openIntents() {
            BatchWriter.removeTemporaries(in: intent.directory)
            _ = try complete(intent, recovering: true)
        }
    }
}
