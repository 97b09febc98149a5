import Foundation
import HuizongCore

/// The three files of one unit's outputs for one period (SPEC 3.1–3.3).
public struct SubmissionFiles: Sendable, Equatable {
    public var summary: String
    public var discrepancies: String
    public var manifest: String

    public init(summary: String, discrepancies: String, manifest: String) {
        self.summary = summary
        self.discrepancies = discrepancies
        self.manifest = manifest
    }

    /// `U-P.csv.gz`, `U-P.discrepancies.csv.gz` and `U-P.manifest.json` in `directory`.
    public static func inDirectory(_ directory: String, unit: String, period: String) -> SubmissionFiles {
        let base = (directory.hasSuffix("/") ? directory : directory + "/") + "\(unit)-\(period)"
        return SubmissionFiles(summary: base + ".csv.gz", discrepancies: base + ".discrepancies.csv.gz",
                               manifest: base + ".manifest.json")
    }

    /// Sorts explicit paths into summary, report and manifest by their names; what is missing
    /// is found beside the others (the manifest names its outputs; `X.csv.gz` has
    /// `X.manifest.json`).
    public static func fromPaths(_ paths: [String]) throws -> SubmissionFiles {
        var summary: String?, report: String?, manifest: String?
        for p in paths {
            let name = (p as NSString).lastPathComponent
            if name.hasSuffix(".manifest.json") {
                manifest = p
            } else if name.contains(".discrepancies.") {
                report = p
            } else {
                summary = p
            }
        }
        if manifest == nil, let s = summary ?? report {
            let dir = (s as NSString).deletingLastPathComponent
            let name = (s as NSString).lastPathComponent
            let stem = name.components(separatedBy: ".").first ?? name
            manifest = (dir.isEmpty ? "" : dir + "/") + stem + ".manifest.json"
        }
        guard let manifest, FileManager.default.fileExists(atPath: manifest) else {
            throw LoadError("缺少清单文件 manifest missing: every summary file must come with its manifest (SPEC 3.2)")
        }
        if summary == nil || report == nil {
            let (m, _) = try Manifest.read(path: manifest)
            let dir = (manifest as NSString).deletingLastPathComponent
            func beside(_ f: String?) -> String { dir.isEmpty ? f ?? "" : dir + "/" + (f ?? "") }
            summary = summary ?? beside(m.outputs?.summary?.file)
            report = report ?? beside(m.outputs?.discrepancies?.file)
        }
        return SubmissionFiles(summary: summary!, discrepancies: report!, manifest: manifest)
    }
}

extension Manifest {
    /// Reads a submission's manifest for loading (SPEC 3.2): besides the text (kept in the
    /// database), it must name its unit and period and describe both outputs (file, sha256, rows).
    public static func read(path: String) throws -> (manifest: Manifest, json: String) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError("无法读取清单 cannot read manifest \(path)")
        }
        guard let m = Manifest.parse(data) else {
            throw LoadError("清单格式错误 malformed manifest \(path): not a JSON object")
        }
        let outputs = [("summary", m.outputs?.summary), ("discrepancies", m.outputs?.discrepancies)]
        let missing = (m.unit == nil ? ["unit"] : []) + (m.period == nil ? ["period"] : [])
            + outputs.flatMap { name, o in
                o == nil ? ["outputs.\(name)"]
                    : [("file", o?.file == nil), ("sha256", o?.sha256 == nil), ("rows", o?.rows == nil)]
                        .filter(\.1).map { "outputs.\(name).\($0.0)" }
            }
        guard missing.isEmpty else {
            throw LoadError("清单格式错误 malformed manifest \(path): missing \(missing.joined(separator: ", "))")
        }
        return (m, String(decoding: data, as: UTF8.self))
    }
}
