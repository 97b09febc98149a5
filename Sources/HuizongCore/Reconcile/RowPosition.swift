/// Where a row came from: the input file's index in processing order and the physical line.
public struct RowPosition: Sendable, Hashable, Comparable {
    public var file: Int32
    public var line: Int32

    public init(file: Int, line: Int) {
        self.file = Int32(file)
        self.line = Int32(line)
    }

    public static func < (a: RowPosition, b: RowPosition) -> Bool {
        (a.file, a.line) < (b.file, b.line)
    }
}
