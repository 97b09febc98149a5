import Foundation

/// One input read and validated, with the manifest it came with (a child's data file).
struct LoadedInput: Sendable {
    var batch: FileBatch
    /// The child's manifest as read (nil for a county's inputs, or one that could not be read).
    var childManifest: Manifest?
}

/// Stage 3a, read and validate: each input completely into a `FileBatch`, a child's data file
/// checked against its submission first (signature, manifest, report) and after (sha256, rows).
/// Runs on the worker threads, ahead of the merge; reads only.
enum InputReader {
    /// Every input, read on `MonthlyRun.workerThreads` threads, taken in order with `take(i)`:
    /// two files are read ahead of the merge (so at most three batches are alive).
    static func readAhead(_ inputs: [InputSpec], request: MonthlyRun.RequestContext) -> OrderedParallelMap<LoadedInput> {
        let expected = request.expectedChildren
        return OrderedParallelMap(count: inputs.count, workers: MonthlyRun.workerThreads, lookahead: 2) { i in
            load(inputs[i], request: request, expected: expected)
        }
    }

    /// Reads one input completely (checking a child's file against its manifest first and after).
    static func load(_ spec: InputSpec, request r: MonthlyRun.RequestContext, expected: [String]) -> LoadedInput {
        var childManifest: Manifest?
        if let manifestPath = spec.manifestPath {
            let (rejection, manifest) = checkChildManifest(spec: spec, manifestPath: manifestPath, request: r,
                                                           isChild: { expected.contains($0) })
            if let rejection {
                return LoadedInput(batch: .rejectedUnread(path: spec.path, from: spec.from, rejection), childManifest: manifest)
            }
            childManifest = manifest
        }
        let options = SummaryFileReader.Options(forcedEncoding: r.forcedEncoding, requireRegisteringUnit: r.level != .county)
        var batch = FileBatch.read(path: spec.path, from: spec.from, options: options,
                                   context: r.validationContext(from: spec.from))
        if let m = childManifest {
            let summary = m.outputs?.summary
            // A file changed after its manifest was written is a mismatch even when the change also
            // broke its gzip or columns: the manifest (signed or not) says what was sent (SPEC 8.4).
            if summary?.sha256?.lowercased() != batch.sha256 {
                batch.reject(FileRejection(.fileManifestMismatch, "sha256与清单不符 sha256 differs from the manifest's outputs.summary"))
            } else if batch.rejection == nil, summary?.rows != batch.dataRows {
                batch.reject(FileRejection(.fileManifestMismatch, "行数\(batch.dataRows)与清单\(summary?.rows.map(String.init) ?? "?")不符 row count differs from the manifest"))
            }
        }
        return LoadedInput(batch: batch, childManifest: childManifest)
    }

    /// Checks a child's data file against its manifest before reading it (SPEC 3.2, 8.4): the
    /// signature first, then the manifest's unit, period, names and the child's report.
    static func checkChildManifest(spec: InputSpec, manifestPath: String, request r: MonthlyRun.RequestContext,
                                   isChild: (String) -> Bool) -> (FileRejection?, Manifest?) {
        let data: Data
        switch ChildSubmission.readManifest(manifestPath) {
        case .missing:
            return (FileRejection(.fileNoManifest, "缺少清单 missing manifest \(AtomicOutputDirectory.split(manifestPath).1)"), nil)
        case .rejected(let why):
            return (why, nil)
        case .bytes(let d):
            data = d
        }
        if let rejection = SubmissionSignature.rejection(manifest: [UInt8](data), sender: spec.from, config: r.config, isChild: isChild) {
            return (rejection, nil)  // SPEC 8.4: the signature first
        }
        guard let m = Manifest.parse(data), m.outputs?.summary != nil else {
            return (FileRejection(.fileManifestMismatch, "清单无法解析 manifest is not a valid huizong manifest"), nil)
        }
        let unit = m.unit ?? ""
        guard isChild(unit), unit == spec.from else {
            return (FileRejection(.fileForeignSender, "清单中的单位\(unit)不是\(r.unit)的下级 manifest unit \(unit) is not a child of \(r.unit)"), m)
        }
        guard m.period == r.period.description else {
            return (FileRejection(.fileManifestMismatch, "清单期别\(m.period ?? "?")不是\(r.period) manifest period is not \(r.period)"), m)
        }
        if let why = ChildSubmission.checkFiles(manifest: m, dataPath: spec.path, child: unit, period: r.period.description,
                                                config: r.config) {
            return (why, m)
        }
        return (nil, m)
    }
}
