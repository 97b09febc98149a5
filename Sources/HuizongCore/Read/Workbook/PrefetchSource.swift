import Foundation

/// Inflates a sheet on a second thread while the reader scans and validates on this one (the run
/// reads files in parallel, but a county's month is often one big workbook): chunks of 1 MiB
/// handed over through a queue of at most `depth`. Bytes and errors arrive in order; when the
/// reader stops early, the producer is told to stop and its thread ends.
final class PrefetchSource: ByteSource {
    /// What the two threads share.
    private final class Channel: @unchecked Sendable {  // guarded by `cond`
        let cond = NSCondition()
        var chunks: [[UInt8]] = []
        var finished = false
        var failure: FileRejection?
        var cancelled = false
    }

    /// The producer's end: the wrapped source, touched only by the producer thread.
    private final class Producer: @unchecked Sendable {
        let source: ByteSource
        init(_ source: ByteSource) { self.source = source }
    }

    static let chunkSize = 1 << 20
    static let depth = 3

    private let channel = Channel()
    private var current: [UInt8] = []
    private var offset = 0
    private var ended = false

    init(_ source: ByteSource) {
        let channel = self.channel
        let producer = Producer(source)
        let thread = Thread {
            let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
            defer { chunk.deallocate() }
            while true {
                channel.cond.lock()
                while channel.chunks.count >= Self.depth && !channel.cancelled { channel.cond.wait() }
                let stop = channel.cancelled
                channel.cond.unlock()
                if stop { return }
                var n = 0
                var failure: FileRejection?
                do throws(FileRejection) {
                    n = try producer.source.read(into: chunk)
                } catch {
                    failure = error
                }
                channel.cond.lock()
                if let failure {
                    channel.failure = failure
                } else if n == 0 {
                    channel.finished = true
                } else {
                    channel.chunks.append(Array(UnsafeRawBufferPointer(rebasing: chunk[0..<n])))
                }
                channel.cond.broadcast()
                channel.cond.unlock()
                if failure != nil || n == 0 { return }
            }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    deinit {
        channel.cond.lock()
        channel.cancelled = true
        channel.cond.broadcast()
        channel.cond.unlock()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(FileRejection) -> Int {
        if offset == current.count {
            if ended { return 0 }
            channel.cond.lock()
            while channel.chunks.isEmpty && !channel.finished && channel.failure == nil { channel.cond.wait() }
            if !channel.chunks.isEmpty {
                current = channel.chunks.removeFirst()
                offset = 0
                channel.cond.broadcast()
            }
            let failure = channel.chunks.isEmpty && current.count == offset ? channel.failure : nil
            let finished = channel.finished && channel.chunks.isEmpty && current.count == offset
            channel.cond.unlock()
            if let failure { throw failure }
            if finished { ended = true; return 0 }
        }
        let n = min(buffer.count, current.count - offset)
        current.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
        offset += n
        return n
    }
}
