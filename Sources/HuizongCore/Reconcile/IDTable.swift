/// Citizen-ID key → Int32, an open-addressing hash table with linear probing. Hand-written
/// because Swift's Dictionary hashes UInt64 keys with SipHash and was ~10% of a national run;
/// here one multiply finds the slot. Keys are stored + 1 so that 0 marks an empty slot (packed
/// IDs are below 1.2e18). 12 bytes a slot, at most half full.
public struct IDTable {
    private var keys: UnsafeMutablePointer<UInt64>
    private var values: UnsafeMutablePointer<Int32>
    private var capacity: Int
    private var shift: UInt64
    public private(set) var count = 0

    public init(capacity initial: Int = 1 << 16) {
        var c = 16
        while c < initial { c <<= 1 }
        capacity = c
        shift = UInt64(64 - c.trailingZeroBitCount)
        keys = .allocate(capacity: c)
        keys.initialize(repeating: 0, count: c)
        values = .allocate(capacity: c)
    }

    /// Frees the storage (the table is a value type over manual memory; its owner calls this once).
    public func deallocate() {
        keys.deallocate()
        values.deallocate()
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    @inline(__always)
    public func find(_ key: UInt64) -> Int32? {
        let k = key &+ 1
        var i = slot(key)
        let mask = capacity - 1
        while true {
            let s = keys[i]
            if s == k { return values[i] }
            if s == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    /// Inserts or replaces.
    public mutating func set(_ key: UInt64, _ value: Int32) {
        if (count + 1) * 2 > capacity { grow() }
        let k = key &+ 1
        var i = slot(key)
        let mask = capacity - 1
        while true {
            let s = keys[i]
            if s == k { values[i] = value; return }
            if s == 0 {
                keys[i] = k
                values[i] = value
                count += 1
                return
            }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values, oldCapacity = capacity
        capacity *= 2
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        keys = .allocate(capacity: capacity)
        keys.initialize(repeating: 0, count: capacity)
        values = .allocate(capacity: capacity)
        count = 0
        for i in 0..<oldCapacity where oldKeys[i] != 0 {
            set(oldKeys[i] &- 1, oldValues[i])
        }
        oldKeys.deallocate()
        oldValues.deallocate()
    }

    /// Every (key, value), in no particular order.
    public func forEach(_ body: (UInt64, Int32) -> Void) {
        for i in 0..<capacity where keys[i] != 0 { body(keys[i] &- 1, values[i]) }
    }
}
