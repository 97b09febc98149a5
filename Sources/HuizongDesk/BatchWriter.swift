import Foundation
import HuizongCore
#if canImport(Glibc)
import Glibc
#endif

/// Writes a desk batch into the county's inbox (SPEC 9): a summary file per 3.1 (UTF-8 without
/// BOM, header, LF, 序号 1..N, one row per version with 更新时间 and 登记单位 filled), atomically:
/// a temporary name starting with `.` (which a run passes over), fsync, then link(2) to the final
/// name — which never replaces an existing file: a taken name gets `-2`, `-3` … — then the
/// temporary name is removed and the directory fsynced. 0600; directories 0700.
public enum BatchWriter {
    public struct WriteError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// The file's bytes for these canonical lines.
    public static func content(lines: [String]) -> [UInt8] {
        var out = Array(Column.headerLine.utf8)
        out.append(0x0A)
        for (i, line) in lines.enumerated() {
            out.append(contentsOf: String(i + 1).utf8)
            out.append(0x2C)
            out.append(contentsOf: line.utf8)
            out.append(0x0A)
        }
        return out
    }

    /// `desk-YYYYMMDD-HHMMSS.csv` for a time (China time).
    public static func name(at t: Int64) -> String {
        let s = ChinaTime.format(t) // YYYY-MM-DDTHH:MM:SS+08:00
        let c = Array(s)
        let day = String(c[0..<4]) + String(c[5..<7]) + String(c[8..<10])
        let time = String(c[11..<13]) + String(c[14..<16]) + String(c[17..<19])
        return "desk-\(day)-\(time).csv"
    }

    /// The temporary name of a batch (one per batch id; a run skips names starting with `.`).
    public static func temporaryName(batch id: Int64) -> String { ".desk-batch-\(id).tmp" }

    static func errnoText() -> String { String(cString: strerror(errno)) }

    /// mkdir -p with 0700 for new directories.
    public static func makeDirectories(_ path: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && !isDir.boolValue {
            throw WriteError(message: "收件目录不是目录 inbox is not a directory: \(path)")
        }
        do { try FileSystem.makeDirectories(path) } catch {
            throw WriteError(message: "无法创建收件目录 cannot create the inbox \(path): \(error.description)")
        }
    }

    /// Writes `bytes` into `directory` as `preferredName` (or `-2`, `-3` … when taken); returns the
    /// name written. `batch` names the temporary file.
    public static func write(_ bytes: [UInt8], directory: String, preferredName: String, batch: Int64) throws -> String {
        try makeDirectories(directory)
        let tmp = directory + "/" + temporaryName(batch: batch)
        unlink(tmp) // a leftover of an interrupted attempt
        let fd = open(tmp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw WriteError(message: "无法写入收件目录 cannot write \(tmp): \(errnoText())") }
        fchmod(fd, 0o600)
        let ok = bytes.withUnsafeBytes { OutputFile.writeAll(fd, $0) }
        let synced = ok && fsync(fd) == 0
        close(fd)
        guard synced else {
            unlink(tmp)
            throw WriteError(message: "写入批次文件失败 writing the batch failed (\(tmp)): \(errnoText())")
        }
        let stem = preferredName.hasSuffix(".csv") ? String(preferredName.dropLast(4)) : preferredName
        var n = 1
        var written: String?
        while written == nil {
            let name = n == 1 ? "\(stem).csv" : "\(stem)-\(n).csv"
            if link(tmp, directory + "/" + name) == 0 {
                written = name
            } else if errno == EEXIST {
                n += 1
            } else {
                let why = errnoText()
                unlink(tmp)
                throw WriteError(message: "无法命名批次文件 cannot link the batch as \(name): \(why)")
            }
        }
        TestHook.reached("desk-batch-linked")
        unlink(tmp)
        syncDirectory(directory)
        return written!
    }

    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    /// The name of a file in `directory` (a desk batch) whose content is exactly `bytes`, if any:
    /// how recovery finds a batch written before the desk could record it.
    public static func existingFile(with bytes: [UInt8], in directory: String) -> String? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
        for name in names.sorted() where name.hasPrefix("desk-") && name.hasSuffix(".csv") {
            let path = directory + "/" + name
            guard let attrs = try? FileManager.default.attributesOfItem(atPath: path),
                  (attrs[.size] as? NSNumber)?.intValue == bytes.count,
                  let data = FileManager.default.contents(atPath: path) else { continue }
            if data.elementsEqual(bytes) { return name }
        }
        return nil
    }

    /// Removes temporary files of interrupted batches.
    public static func removeTemporaries(in directory: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(".desk-batch-") && name.hasSuffix(".tmp") {
            unlink(directory + "/" + name)
        }
    }
}
