import Foundation

/// Inflates a sheet on a second thread while the reader scans and validates on this one (the run
/// reads files in parallel, but a county's month is often one big workbook): chunks of 1 MiB
/// handed over through a queue of at most `depth`. Bytes and errors arrive in order; when the
/// reader stops early, the producer is told to stop and its thread ends.
///
/// The chunk buffers go round: the producer inflates straight into a free one and the reader
/// hands it back once copied out, so a 124 MB sheet costs `depth + 1` allocations, not one fresh
/// 1 MiB array (and its page faults) per chunk.
final class PrefetchSource: ByteSource {
    typealias Chunk = (buffer: UnsafeMutableRawBufferPointer, count: Int)

    /// What the two threads share.
    private final class Channel: ProducerHandOff, @unchecked Sendable {  // guarded by `cond`
        var chunks: [Chunk] = []
        var free: [UnsafeMutableRawBufferPointer] = []
        var finished = false
        var failure: FileRejection?
        /// Buffers handed out; the last of the two ends to leave deallocates them.
        var all: [UnsafeMutableRawBufferPointer] = []
        var ends = 2

        func leave() {
            cond.lock()
            ends -= 1
            let last = ends == 0
            cond.unlock()
            if last { for b in all { b.deallocate() } }
        }
    }

    /// The producer's end: the wrapped source, touched only by the producer thread.
    private final class Producer: @unchecked Sendable {
        let source: ByteSource
        init(_ source: ByteSource) { self.source = source }
    }

    static let chunkSize = 1 << 20
    static let depth = 3

    private let channel = Channel()
    private var current: Chunk?
    private var offset = 0
    private var ended = false

    init(_ source: ByteSource) {
        let channel = self.channel
        let producer = Producer(source)
        ProducerHandOff.startThread {
            defer { channel.leave() }
            while true {
                channel.cond.lock()
                while channel.chunks.count >= Self.depth && !channel.cancelled { channel.cond.wait() }
                let stop = channel.cancelled
                var chunk = channel.free.popLast()
                if chunk == nil, !stop {
                    chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
                    channel.all.append(chunk!)
                }
                channel.cond.unlock()
                guard !stop, let chunk else { return }
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
                    channel.chunks.append((chunk, n))
                }
                if failure != nil || n == 0 { channel.free.append(chunk) }
                channel.cond.broadcast()
                channel.cond.unlock()
                if failure != nil || n == 0 { return }
            }
        }
    }

    deinit {
        channel.cancel()
        channel.leave()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(FileRejection) -> Int {
        if current == nil || offset == current!.count {
            if ended { return 0 }
            channel.cond.lock()
            if let done = current {
                channel.free.append(done.buffer)
                current = nil
            }
            while channel.chunks.isEmpty && !channel.finished && channel.failure == nil { channel.cond.wait() }
            if !channel.chunks.isEmpty {
                current = channel.chunks.removeFirst()
                offset = 0
                channel.cond.broadcast()
            }
            let failure = current == nil ? channel.failure : nil
            let finished = current == nil && channel.finished
            channel.cond.unlock()
            if let failure { throw failure }
            if finished || current == nil { ended = true; return 0 }
        }
        let chunk = current!
        let n = min(buffer.count, chunk.count - offset)
        buffer.baseAddress!.copyMemory(from: chunk.buffer.baseAddress! + offset, byteCount: n)
        offset += n
        return n
    }
}

/// The lock, condition and stop flag a reader shares with a producer thread working ahead of it
/// (`PrefetchSource`, `RecordPipeline`).
class ProducerHandOff: @unchecked Sendable {  // guarded by `cond`
    let cond = NSCondition()
    var cancelled = false

    /// Tells the producer to stop (the reader is gone); it ends at its next hand-off.
    func cancel() {
        cond.lock()
        cancelled = true
        cond.broadcast()
        cond.unlock()
    }

    /// Runs `body` on a thread of its own (1 MiB stack).
    static func startThread(_ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.stackSize = 1 << 20
        thread.start()
    }
}
