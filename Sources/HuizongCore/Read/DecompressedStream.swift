/// The decompressed bytes of an input file: gunzipped when it starts with the gzip magic bytes
/// (whatever its name), passed through otherwise (SPEC 3.1). Multi-member gzip is valid; a
/// truncated or corrupt stream is `FILE_GZIP`; inflating past 1 GiB at more than 100x the
/// compressed size is `FILE_INFLATE_LIMIT` — detected while streaming, never buffered.
///
/// A bomb is detected before its lines are processed: once a gzip has inflated past
/// `suspectAfterBytes` at more than 100x what it consumed (no real CSV compresses so well), the
/// whole file is inflated once more, counting bytes only (no lines, no findings), to see whether it
/// will pass the limit; if so the file is rejected at once. So 1.5 GB of `a,b` lines gzipped to
/// 1.5 MB is rejected in a second or two, instead of 400 million malformed lines being read,
/// spooled and thrown away (SPEC 3.1, 7, 8.5).
public final class DecompressedStream: ByteSource {
    public static let inflateLimitBytes: Int64 = 1 << 30
    public static let inflateLimitRatio: Int64 = 100
    /// Output before the ratio is checked (a short file may inflate 100x harmlessly).
    public static let suspectAfterBytes: Int64 = 1 << 20

    public let file: InputFile
    public private(set) var isGzip = false
    public private(set) var totalOut: Int64 = 0

    private var input: UnsafeMutableRawBufferPointer
    private var inputStart = 0
    private var inputEnd = 0
    private var inputEOF = false
    /// The gzip codec (`Gzip`), when the file is gzip.
    private var inflater: Gzip.Inflater?
    /// Between gzip members: the next bytes must start a new member or be the end.
    private var atMemberBoundary = false
    /// Compressed bytes consumed so far.
    private var totalIn: Int64 = 0
    /// The whole-file pre-count has run (at most once a file).
    private var prescanned = false

    public init(file: InputFile) throws(FileRejection) {
        self.file = file
        input = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 16)
        try fillInput()
        if inputEnd - inputStart >= 2, input[0] == 0x1f, input[1] == 0x8b {
            isGzip = true
            inflater = Gzip.Inflater()
        }
    }

    deinit {
        input.deallocate()
    }

    private func fillInput() throws(FileRejection) {
        if inputStart > 0 && inputStart == inputEnd {
            inputStart = 0
            inputEnd = 0
        }
        guard !inputEOF, inputEnd < input.count else { return }
        let n = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: input[inputEnd...]))
        if n == 0 { inputEOF = true }
        inputEnd += n
    }

    /// Moves the unread input to the front so that more can be read after it.
    private func compactInput() {
        guard inputStart > 0 else { return }
        let n = inputEnd - inputStart
        if n > 0 { input.baseAddress!.copyMemory(from: input.baseAddress! + inputStart, byteCount: n) }
        inputStart = 0
        inputEnd = n
    }

    /// Reads up to `buffer.count` decompressed bytes; 0 at the end of the content.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(FileRejection) -> Int {
        guard let s = inflater else {
            if inputStart == inputEnd { try fillInput() }
            let n = min(buffer.count, inputEnd - inputStart)
            if n > 0 {
                buffer.baseAddress!.copyMemory(from: input.baseAddress! + inputStart, byteCount: n)
                inputStart += n
            }
            totalOut += Int64(n)
            return n
        }
        var produced = 0
        while produced == 0 {
            if inputStart == inputEnd {
                inputStart = 0
                inputEnd = 0
                try fillInput()
            }
            if atMemberBoundary {
                if inputStart == inputEnd && inputEOF { return 0 }
                // Another member must follow; trailing zero padding (tape-style) is tolerated.
                if input[inputStart] == 0 {
                    while inputStart < inputEnd && input[inputStart] == 0 { inputStart += 1 }
                    continue
                }
                s.reset()
                atMemberBoundary = false
            }
            let step: Gzip.Inflater.Step
            do {
                step = try s.inflate(UnsafeRawBufferPointer(rebasing: input[inputStart..<inputEnd]), into: buffer)
            } catch {
                throw FileRejection(.fileGzip, "gzip数据损坏 corrupt gzip data: \(error.reason)")
            }
            inputStart += step.consumed
            totalIn += Int64(step.consumed)
            produced = step.produced
            if step.memberEnded {
                atMemberBoundary = true
            } else if step.consumed == 0 && produced == 0 {
                // No progress: the member needs bytes that are not there.
                if inputEOF {
                    throw FileRejection(.fileGzip, "gzip数据不完整（文件被截断） truncated gzip data")
                }
                compactInput()
                try fillInput()
            }
            totalOut += Int64(produced)
            if totalOut > Self.inflateLimitBytes && totalOut > Self.inflateLimitRatio * max(file.size, 1) {
                throw Self.inflateLimitRejection
            }
            if !prescanned && totalOut > Self.suspectAfterBytes && totalOut > Self.inflateLimitRatio * max(totalIn, 1) {
                prescanned = true
                if Self.inflatesPastLimit(path: file.path, compressedSize: file.size) { throw Self.inflateLimitRejection }
            }
        }
        return produced
    }

    static let inflateLimitRejection = FileRejection(
        .fileInflateLimit, "解压超过1 GiB且超过压缩大小的100倍 inflates past 1 GiB at more than 100x its size")

    /// Whether the file at `path` inflates past the limit: inflates it whole (all members),
    /// counting bytes, and stops as soon as the limit is passed. A corrupt stream answers false
    /// (the reading itself will reject it as FILE_GZIP at the same place).
    static func inflatesPastLimit(path: String, compressedSize: Int64) -> Bool {
        let limit = max(inflateLimitBytes, inflateLimitRatio * max(compressedSize, 1))
        guard let file = try? InputFile(path: path), let stream = try? DecompressedStream(file: file),
              stream.isGzip else { return false }
        stream.prescanned = true  // no recursion
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 16)
        defer { chunk.deallocate() }
        do {
            while try stream.read(into: chunk) > 0 {
                if stream.totalOut > limit { return true }
            }
        } catch {
            return error.rule == .fileInflateLimit
        }
        return false
    }
}
