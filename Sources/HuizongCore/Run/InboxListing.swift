#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which files of a unit's inbox a run reads (SPEC 8.1): regular files (or symlinks to regular
/// files) named `*.csv`, `*.csv.gz`, `*.xlsx` or `*.xls` (any case; an `.xls` is then rejected
/// whole `FILE_FORMAT` by the reader, never quietly left out). Names starting with `~$` (Office
/// lock files) or `.` are passed over silently; a child's `*.manifest.json` and
/// `*.discrepancies.csv.gz` beside its data file are part of its submission. Everything else — a
/// note, a scan, a subfolder, a FIFO or device — is not opened and is listed in `skipped`, for one
/// info finding `FILE_SKIPPED` each (not a rejection, not an input of the manifest).
public struct InboxListing: Sendable, Equatable {
    public struct Skipped: Sendable, Equatable {
        /// The entry's name in the inbox (来源文件).
        public var name: String
        /// Why it was not read, Chinese then English (说明).
        public var reason: String
    }

    /// Paths to read, sorted by name.
    public var files: [String] = []
    public var skipped: [Skipped] = []

    public static let tableSuffixes = [".csv", ".csv.gz", ".xlsx", ".xls"]

    public init(directory: String) {
        let names = AtomicOutputDirectory.listDirectory(directory)
        let present = Set(names)
        /// A data file `stem.csv.gz` (or `stem.csv`) lies beside a submission part.
        func hasDataFile(_ stem: String) -> Bool { present.contains(stem + ".csv.gz") || present.contains(stem + ".csv") }
        for name in names {
            if name.hasPrefix("~$") || name.hasPrefix(".") { continue }
            let path = directory + "/" + name
            var st = stat()
            guard stat(path, &st) == 0 else {
                skipped.append(Skipped(name: name, reason: "\(name)：无法访问（失效的链接？），未读取 cannot be reached (a broken link?); not read"))
                continue
            }
            switch st.st_mode & S_IFMT {
            case S_IFREG:
                break
            case S_IFDIR:
                skipped.append(Skipped(name: name, reason: "\(name)：是文件夹，未读取（汇总表须直接放在收件箱中） a subfolder; not read (put tables in the inbox itself)"))
                continue
            default:
                skipped.append(Skipped(name: name, reason: "\(name)：不是普通文件（管道、设备或套接字），未打开 not a regular file (FIFO, device or socket); not opened"))
                continue
            }
            let lower = name.lowercased()
            if lower.hasSuffix(".manifest.json") {
                if hasDataFile(String(name.dropLast(".manifest.json".count))) { continue }
                skipped.append(Skipped(name: name, reason: "\(name)：清单旁没有对应的数据文件，未读取 a manifest without its data file beside it; not read"))
                continue
            }
            if lower.hasSuffix(".discrepancies.csv.gz") {
                if hasDataFile(String(name.dropLast(".discrepancies.csv.gz".count))) { continue }
                skipped.append(Skipped(name: name, reason: "\(name)：差错报告旁没有对应的数据文件，未读取 a discrepancy report without its data file beside it; not read"))
                continue
            }
            if Self.tableSuffixes.contains(where: { lower.hasSuffix($0) }) {
                files.append(path)
            } else {
                skipped.append(Skipped(name: name, reason: "\(name)：不是汇总表文件（只读取 .csv、.csv.gz、.xlsx），未读取 not a summary table (only .csv, .csv.gz and .xlsx are read); not read"))
            }
        }
    }
}
