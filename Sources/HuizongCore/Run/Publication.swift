/// Stage 7b, publish (SPEC 3.2, 7, 8.4, 8.5): the manifest is written last into the staging
/// directory (signed when the unit's key is available), the output directory is checked again,
/// and the staging directory is swapped in with one `renameat2(RENAME_EXCHANGE)`.
struct Publication {
    let request: MonthlyRun.RequestContext
    let staging: AtomicOutputDirectory

    func publish(_ manifest: Manifest, inputs: [InputSpec]) throws {
        var bytes = try manifest.bytes()
        if let key = request.signingKey { bytes = SubmissionSignature.sign(manifest: bytes, with: key) }
        let file = try OutputFile(path: staging.path(request.manifestName))
        try file.write(bytes)
        try file.close()
        TestHook.reached("manifest-written")
        do { try request.checkOutputDirectory(inputs: inputs) } catch { throw OutputError.io(error.description) }
        try staging.commit()
        TestHook.reached("committed")
    }
}
