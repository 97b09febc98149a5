/// Numbers distinct byte strings 0, 1, 2, … in the order first seen: the analyses count per
/// county or per major over millions of rows, and looking a cell's bytes up here costs no String
/// and no allocation per row (the keys live in one arena; open addressing, FNV-1a).
struct ByteKeyIndex {
    private var arena: [UInt8] = []
    /// Per key: start and end in `arena`.
    private var bounds: [(start: Int, end: Int)] = []
    /// Slots: key number + 1, 0 when empty.
    private var slots = [Int](repeating: 0, count: 64)
    private var hashes: [UInt64] = []

    var count: Int { bounds.count }

    /// The number of `bytes`, added if new.
    mutating func index(of bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        var mask = slots.count - 1
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let k = slots[s]
            if k == 0 { break }
            if hashes[k - 1] == h {
                let r = bounds[k - 1]
                if r.end - r.start == bytes.count && arena[r.start..<r.end].elementsEqual(bytes) { return k - 1 }
            }
            s = (s + 1) & mask
        }
        let n = bounds.count
        bounds.append((arena.count, arena.count + bytes.count))
        arena.append(contentsOf: bytes)
        hashes.append(h)
        slots[s] = n + 1
        if (n + 1) * 2 > slots.count {
            slots = [Int](repeating: 0, count: slots.count * 2)
            mask = slots.count - 1
            for (i, hh) in hashes.enumerated() {
                var t = Int(truncatingIfNeeded: hh) & mask
                while slots[t] != 0 { t = (t + 1) & mask }
                slots[t] = i + 1
            }
        }
        return n
    }

    /// Key number `i` as text.
    func key(_ i: Int) -> String {
        String(decoding: arena[bounds[i].start..<bounds[i].end], as: UTF8.self)
    }
}
