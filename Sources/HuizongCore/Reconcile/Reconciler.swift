/// Dedup on the citizen ID and reconciliation of follow-up updates (SPEC 6).
///
/// Accepted rows are added in (file, line) order — a county's base table first, then files by
/// basename. Rows of one ID with identical canonical content form a group; the first row of a
/// group counts and the others are `DUPLICATE` at once. When all input is in, `finish()` picks
/// each ID's winning group: the latest 更新时间, ties broken by the byte-wise greatest canonical
/// line (`CONFLICT`), so the winner never depends on file order. The losing groups' first rows
/// are `SUPERSEDED`.
///
/// Memory grows with distinct groups (≈ distinct IDs): per group one canonical line in a byte
/// arena plus a few integers in flat arrays; no per-row objects.
public final class Reconciler {
    /// What `add` decided for a row right away.
    public enum Admission: Equatable {
        /// First row of a new content group: merged or superseded, decided in `finish()`.
        case newGroup
        /// Same content as an earlier row: the first row of its group.
        case duplicate(of: RowPosition)
    }

    // Groups, structure of arrays. Canonical lines live in fixed 8 MiB blocks (never moved or
    // regrown, so the arena costs its size, not twice it while an array doubles).
    private static let blockSize = 8 << 20
    private var blocks: [UnsafeMutablePointer<UInt8>] = []
    private var blockUsed = Reconciler.blockSize
    /// Block index << 32 | offset in block.
    private var groupStart: [Int] = []
    private var groupLength: [Int32] = []
    private var groupTime: [Int64] = []
    private var groupFirst: [RowPosition] = []
    /// Next group of the same ID (-1 = none).
    private var groupNext: [Int32] = []
    /// ID key → its first group.
    private var firstGroup = IDTable()
    /// Newest rejected row per ID (with a valid ID and time), for NEWEST_REJECTED.
    private var newestRejected: [UInt64: (time: Int64, at: RowPosition, name: String)] = [:]

    public init() {}

    deinit {
        for b in blocks { b.deallocate() }
        firstGroup.deallocate()
    }

    @inline(__always)
    private func bytes(group g: Int) -> UnsafeBufferPointer<UInt8> {
        let s = groupStart[g]
        return UnsafeBufferPointer(start: blocks[s >> 32] + (s & 0xFFFF_FFFF), count: Int(groupLength[g]))
    }

    /// Copies a canonical line into the arena; returns its packed start.
    private func store(_ line: UnsafeBufferPointer<UInt8>) -> Int {
        if blockUsed + line.count > Self.blockSize {
            blocks.append(.allocate(capacity: max(Self.blockSize, line.count)))
            blockUsed = 0
        }
        let start = (blocks.count - 1) << 32 | blockUsed
        if line.count > 0 { (blocks[blocks.count - 1] + blockUsed).update(from: line.baseAddress!, count: line.count) }
        blockUsed += line.count
        return start
    }

    public var distinctIDs: Int { firstGroup.count }

    /// The arena keeps each line without the text of 公民身份号码 and 更新时间: both are already
    /// held as integers (the ID key, `groupTime`) and are written back on output. 43 bytes an ID.
    private var stripped: [UInt8] = []

    static func strip(_ line: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        let id = CanonicalLine.fieldRange(.citizenID, in: line)
        let time = CanonicalLine.fieldRangeFromEnd(.updatedAt, in: line)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: line[0..<id.lowerBound]))
        out.append(contentsOf: UnsafeBufferPointer(rebasing: line[id.upperBound..<time.lowerBound]))
        out.append(contentsOf: UnsafeBufferPointer(rebasing: line[time.upperBound..<line.count]))
    }

    /// Adds an accepted row.
    public func add(id: UInt64, time: Int64, line full: UnsafeBufferPointer<UInt8>, at position: RowPosition) -> Admission {
        Self.strip(full, into: &stripped)
        return stripped.withUnsafeBufferPointer { add(id: id, time: time, stripped: $0, at: position) }
    }

    private func add(id: UInt64, time: Int64, stripped canonical: UnsafeBufferPointer<UInt8>, at position: RowPosition) -> Admission {
        var last: Int32 = -1
        if let first = firstGroup.find(id) {
            var g = first
            while g >= 0 {
                let gi = Int(g)
                if Int(groupLength[gi]) == canonical.count && groupTime[gi] == time {
                    if canonical.count == 0 || memcmp(bytes(group: gi).baseAddress!, canonical.baseAddress!, canonical.count) == 0 { return .duplicate(of: groupFirst[gi]) }
                }
                last = g
                g = groupNext[gi]
            }
        }
        let g = Int32(groupStart.count)
        groupStart.append(store(canonical))
        groupLength.append(Int32(canonical.count))
        groupTime.append(time)
        groupFirst.append(position)
        groupNext.append(-1)
        if last >= 0 {
            groupNext[Int(last)] = g
        } else {
            firstGroup.set(id, g)
        }
        return .newGroup
    }

    /// Notes a rejected row that has a valid ID and 更新时间 (SPEC 6: a rejected row never
    /// replaces an accepted one; if it is the newest, NEWEST_REJECTED).
    public func addRejected(id: UInt64, time: Int64, at position: RowPosition, name: String) {
        if let existing = newestRejected[id], existing.time >= time { return }
        newestRejected[id] = (time, position, name)
    }

    /// Whether an accepted row exists for the ID.
    public func contains(id: UInt64) -> Bool { firstGroup.find(id) != nil }

    /// A group's stored line: the canonical line with 公民身份号码 and 更新时间 left empty. Every
    /// other field is where `CanonicalLine.field` finds it. Valid while the reconciler lives.
    private func storedLine(group g: Int) -> UnsafeBufferPointer<UInt8> { bytes(group: g) }

    /// The winning row's whole canonical line (every column but 序号, as the summary writes it),
    /// into `out`.
    public func writeWinningLine(of o: Outcome, into out: inout [UInt8]) {
        writeCanonicalLine(group: o.winner, id: o.id, into: &out)
    }

    /// A field of the winning row (any column but 公民身份号码 and 更新时间), as text.
    public func winnerField(_ c: Column, of o: Outcome) -> String {
        CanonicalLine.string(c, in: storedLine(group: o.winner))
    }

    /// A field of a superseded row (any column but 公民身份号码 and 更新时间), as text.
    public func field(_ c: Column, of row: Outcome.SupersededRow) -> String {
        CanonicalLine.string(c, in: storedLine(group: row.group))
    }

    /// Writes a group's whole canonical line (every column but 序号) into `out`.
    private func writeCanonicalLine(group g: Int, id: UInt64, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        let line = bytes(group: g)
        let idAt = CanonicalLine.fieldRange(.citizenID, in: line).lowerBound
        let timeAt = CanonicalLine.fieldRangeFromEnd(.updatedAt, in: line).lowerBound
        out.append(contentsOf: UnsafeBufferPointer(rebasing: line[0..<idAt]))
        CitizenIDKey.append(id, to: &out)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: line[idAt..<timeAt]))
        ChinaTime.appendFormatted(groupTime[g], to: &out)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: line[timeAt..<line.count]))
    }

    /// One ID's outcome.
    public struct Outcome {
        public var id: UInt64
        /// The winning group (its line is read through `writeWinningLine` and `winnerField`).
        fileprivate var winner: Int
        public var winnerPosition: RowPosition
        /// The losing groups' first rows, in (file, line) order.
        public var superseded: [SupersededRow]
        /// Two or more groups share the latest 更新时间.
        public var conflict: Bool
        public var identityMismatchField: Column?
        public var multipleRegistration: Bool
        public var destinationEmptied: Bool
        /// The newest row of the ID was rejected: where it is.
        public var newestRejected: (at: RowPosition, name: String)?

        /// A losing group's first row (its fields are read through `field(_:of:)`).
        public struct SupersededRow {
            public var at: RowPosition
            fileprivate var group: Int
        }
    }

    /// Buffers of one thread deciding IDs (`outcome`): the finish decides on both cores at once.
    public struct Scratch {
        var groups: [Int] = []
        var lineA: [UInt8] = []
        var lineB: [UInt8] = []
        public init() {}
    }

    /// Byte-wise comparison of two groups' whole canonical lines (the conflict tie-break).
    private func compareLines(_ a: Int, _ b: Int, id: UInt64, _ scratch: inout Scratch) -> Int {
        writeCanonicalLine(group: a, id: id, into: &scratch.lineA)
        writeCanonicalLine(group: b, id: id, into: &scratch.lineB)
        return scratch.lineA.lexicographicallyPrecedes(scratch.lineB) ? -1 : scratch.lineA == scratch.lineB ? 0 : 1
    }

    /// An ID to decide (an entry of `decisionOrder()`).
    public struct PendingID: Sendable {
        public let id: UInt64
        /// Its first group.
        fileprivate let first: Int32
    }

    /// Every ID, in ascending ID order (the output order). Call once, when all rows are in: it
    /// releases the ID index. Then `outcome` decides each entry; it only reads, so entries may be
    /// decided on several threads at once.
    public func decisionOrder() -> [PendingID] {
        var order: [PendingID] = []
        order.reserveCapacity(firstGroup.count)
        firstGroup.forEach { id, g in order.append(PendingID(id: id, first: g)) }
        // The table is not needed once the order is known: give its memory back before sorting.
        firstGroup.deallocate()
        firstGroup = IDTable(capacity: 16)
        order.sort { $0.id < $1.id }
        return order
    }

    /// Decides every ID, calling `body` in ascending ID order (the output order). Call once, last:
    /// it releases the ID index.
    public func finish(_ body: (Outcome) throws -> Void) rethrows {
        var scratch = Scratch()
        for entry in decisionOrder() {
            try body(outcome(entry, &scratch))
        }
    }

    /// The outcome of one ID (an entry of `decisionOrder()`). Reads only: safe on several threads,
    /// each with its own `scratch`.
    public func outcome(_ entry: PendingID, _ scratch: inout Scratch) -> Outcome {
        let id = entry.id, first = entry.first
        do {
            scratch.groups.removeAll(keepingCapacity: true)
            var g = first
            while g >= 0 {
                scratch.groups.append(Int(g))
                g = groupNext[Int(g)]
            }
            let groups = scratch.groups
            var winner = groups[0]
            var tied = false
            for gi in groups.dropFirst() {
                if groupTime[gi] > groupTime[winner] {
                    winner = gi
                    tied = false
                } else if groupTime[gi] == groupTime[winner] {
                    tied = true
                    if compareLines(gi, winner, id: id, &scratch) > 0 { winner = gi }
                }
            }
            // Re-check the tie against the final winner's time.
            let conflict = tied && groups.filter { groupTime[$0] == groupTime[winner] }.count > 1
            var outcome = Outcome(id: id, winner: winner, winnerPosition: groupFirst[winner],
                                  superseded: [], conflict: conflict, identityMismatchField: nil,
                                  multipleRegistration: false, destinationEmptied: false, newestRejected: nil)
            if groups.count > 1 {
                let w = storedLine(group: winner)
                var nameDiffers = false, ethnicDiffers = false
                for gi in groups where gi != winner {
                    outcome.superseded.append(Outcome.SupersededRow(at: groupFirst[gi], group: gi))
                    let o = storedLine(group: gi)
                    if !CanonicalLine.field(.name, in: o).elementsEqual(CanonicalLine.field(.name, in: w)) { nameDiffers = true }
                    if !CanonicalLine.field(.ethnicGroup, in: o).elementsEqual(CanonicalLine.field(.ethnicGroup, in: w)) { ethnicDiffers = true }
                    if !CanonicalLine.field(.registeringUnit, in: o).elementsEqual(CanonicalLine.field(.registeringUnit, in: w)) {
                        outcome.multipleRegistration = true
                    }
                    if CanonicalLine.field(.destination, in: w).isEmpty && !CanonicalLine.field(.destination, in: o).isEmpty {
                        outcome.destinationEmptied = true
                    }
                }
                outcome.superseded.sort { $0.at < $1.at }
                outcome.identityMismatchField = nameDiffers ? .name : ethnicDiffers ? .ethnicGroup : nil
            }
            if let r = newestRejected[id], r.time > groupTime[winner] {
                outcome.newestRejected = (r.at, r.name)
            }
            return outcome
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
