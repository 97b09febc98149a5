/// A load that cannot go ahead; nothing was changed (the transaction rolled back).
public struct LoadError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ d: String) { description = d }
}
