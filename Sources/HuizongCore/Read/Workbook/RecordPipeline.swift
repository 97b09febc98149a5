import Foundation

/// Reads a big sheet on two threads (issue 12: a 200k-row workbook in ≤ 1 s): a producer thread
/// scans the sheet's XML and turns its rows into the reader's events and records (`SheetLines`),
/// while the reader's thread validates them. The sheet's scan costs about what validation does,
/// so the two halves of the work overlap instead of adding up (the inflate runs ahead on a third,
/// `PrefetchSource`).
///
/// Events go across in batches of `batchSize`, at most `depth` waiting: one lock round trip a
/// batch, not a row. A record is handed over by swapping it with the reader's (`swap`), so the
/// records' storage goes round between the threads without a copy or an allocation per row.
/// Events, line numbers and an error arrive in the sheet's order, exactly as `SheetLines` gives
/// them on one thread. When the reader stops early (deinit), the producer is told to stop and its
/// thread ends at its next batch.
final class RecordPipeline {
    /// One batch of events with their records, owned by one thread at a time (handed over under
    /// the channel's lock).
    final class Batch: @unchecked Sendable {
        var records: [RawRecord]
        var events: [SummaryFileReader.Event]
        var lineNumbers: [Int]
        var linesRead: [Int]
        var count = 0
        /// The sheet could not be read past the batch's events.
        var failure: FileRejection?

        init(capacity: Int) {
            records = (0..<capacity).map { _ in RawRecord() }
            events = Array(repeating: .end, count: capacity)
            lineNumbers = Array(repeating: 0, count: capacity)
            linesRead = Array(repeating: 0, count: capacity)
        }
    }

    /// What the two threads share.
    private final class Channel: ProducerHandOff, @unchecked Sendable {  // guarded by `cond`
        var full: [Batch] = []
        var free: [Batch] = []
    }

    /// The producer's end: the sheet's rows, touched only by the producer thread once started.
    private final class Producer: @unchecked Sendable {
        var lines: SheetLines
        init(_ lines: SheetLines) { self.lines = lines }
    }

    static let batchSize = 256
    static let depth = 4

    private let channel = Channel()
    private var current: Batch?
    private var index = 0
    /// The last event handed out was `.end`: every later call gives it again.
    private var ended: (lineNumber: Int, linesRead: Int)?
    private var failure: FileRejection?

    init(_ lines: SheetLines) {
        let channel = self.channel
        let producer = Producer(lines)
        ProducerHandOff.startThread {
            while true {
                channel.cond.lock()
                while channel.full.count >= Self.depth && !channel.cancelled { channel.cond.wait() }
                if channel.cancelled {
                    channel.cond.unlock()
                    return
                }
                let batch = channel.free.popLast() ?? Batch(capacity: Self.batchSize)
                channel.cond.unlock()
                batch.count = 0
                batch.failure = nil
                var last = false
                while batch.count < Self.batchSize {
                    let i = batch.count
                    do throws(FileRejection) {
                        let event = try producer.lines.next(into: &batch.records[i])
                        batch.events[i] = event
                        batch.lineNumbers[i] = producer.lines.lineNumber
                        batch.linesRead[i] = producer.lines.linesRead
                        batch.count = i + 1
                        if case .end = event {
                            last = true
                            break
                        }
                    } catch {
                        batch.failure = error
                        last = true
                        break
                    }
                }
                channel.cond.lock()
                channel.full.append(batch)
                channel.cond.broadcast()
                channel.cond.unlock()
                if last { return }
            }
        }
    }

    deinit { channel.cancel() }

    /// The next event, the line it is about and the lines read so far; its record is swapped into
    /// `record` (the record given back goes round to the producer).
    func next(into record: inout RawRecord) throws(FileRejection) -> (SummaryFileReader.Event, Int, Int) {
        while true {
            if let failure { throw failure }
            if let ended { return (.end, ended.lineNumber, ended.linesRead) }
            if let batch = current {
                if index < batch.count {
                    let i = index
                    index += 1
                    swap(&record, &batch.records[i])
                    let event = batch.events[i]
                    if case .end = event { ended = (batch.lineNumbers[i], batch.linesRead[i]) }
                    return (event, batch.lineNumbers[i], batch.linesRead[i])
                }
                if let f = batch.failure {
                    failure = f
                    throw f
                }
            }
            channel.cond.lock()
            if let done = current {
                channel.free.append(done)
                current = nil
            }
            while channel.full.isEmpty { channel.cond.wait() }
            current = channel.full.removeFirst()
            index = 0
            channel.cond.broadcast()
            channel.cond.unlock()
        }
    }
}
