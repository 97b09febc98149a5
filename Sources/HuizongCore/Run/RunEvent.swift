import Foundation

/// What a run reports while it works, for whoever drives it (the CLI logs and shows progress;
/// the library itself never prints).
public enum RunEvent: Sendable, Equatable {
    /// One input read and merged: `index` of `count` (1-based), its lines so far in the run.
    case fileDone(index: Int, count: Int, file: String, linesSoFar: Int)
    /// A named point of the run reached (the phases `--verbose` times).
    case phase(String)
}

/// Receives a run's events, on the thread that runs it.
public typealias RunObserver = @Sendable (RunEvent) -> Void

/// Something odd about a run that its operator must hear of even when the run succeeds: each
/// names the file or unit (SPEC 4 exit 2 cases, and the quiet surprises of issue 13).
public struct RunWarning: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// An input file rejected whole (exit 2).
        case fileRejected
        /// An expected child sent nothing (exit 2).
        case childMissing
        /// A child's file arrived after the deadline (CHILD_LATE).
        case childLate
        /// An inbox entry not read (FILE_SKIPPED).
        case fileSkipped
        /// The inbox folder for U and P does not exist: only last month's table is carried forward.
        case inboxMissing
    }

    public var kind: Kind
    /// The file, folder or unit concerned.
    public var subject: String
    /// Chinese, then English.
    public var message: String

    public init(_ kind: Kind, _ subject: String, _ message: String) {
        self.kind = kind
        self.subject = subject
        self.message = message
    }

    public var description: String { message }
}
