import Foundation

/// The parts of `U-P.manifest.json` (SPEC 3.2) the database records. Unknown keys are ignored,
/// missing optional ones are tolerated; the raw JSON is kept in the database too.
public struct Manifest: Sendable, Codable {
    public struct Input: Sendable, Codable {
        public var file: String
        public var from: String?
        public var sha256: String?
        public var status: String?
        public var linesRead: Int?
        public var blank: Int?
        public var rejected: Int?
        public var merged: Int?
        public var superseded: Int?
        public var duplicate: Int?
    }

    public struct Accounting: Sendable, Codable {
        public var linesRead: Int?
        public var blank: Int?
        public var rejected: Int?
        public var merged: Int?
        public var superseded: Int?
        public var duplicate: Int?
        public var carriedForward: Int?
        public var outputRows: Int?
    }

    public struct Children: Sendable, Codable {
        public var expected: [String]?
        public var received: [String]?
        public var missing: [String]?
        public var late: [String]?
        public var rejected: [String]?
    }

    public struct Output: Sendable, Codable {
        public var file: String
        public var sha256: String
        public var rows: Int
    }

    public struct Outputs: Sendable, Codable {
        public var summary: Output
        public var discrepancies: Output
    }

    public var format: String?
    public var unit: String
    public var unitName: String?
    public var level: String?
    public var period: String
    public var asOf: String?
    public var tool: String?
    public var rules: String?
    public var inputs: [Input]?
    public var accounting: Accounting?
    public var children: Children?
    public var outputs: Outputs

    public static func read(path: String) throws -> (manifest: Manifest, json: String) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError("无法读取清单 cannot read manifest \(path)")
        }
        do {
            let m = try JSONDecoder().decode(Manifest.self, from: data)
            return (m, String(decoding: data, as: UTF8.self))
        } catch {
            throw LoadError("清单格式错误 malformed manifest \(path): \(error)")
        }
    }
}

/// A load that cannot go ahead; nothing was changed (the transaction rolled back).
public struct LoadError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ d: String) { description = d }
}
