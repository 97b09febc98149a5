// MARK: - IDs (ISO 7064 MOD 11-2, written here independently of the product)

public enum IDs {
    public static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

    public static func checkChar(_ first17: String) -> Character {
        let digits = first17.map { Int(String($0))! }
        let sum = zip(digits, weights).map(*).reduce(0, +)
        return Array("10X98765432")[sum % 11]
    }

    /// region (6) + birth yyyymmdd (8) + sequence (3) + check digit.
    public static func make(_ region: String, _ birth: String, _ seq: Int) -> String {
        let s = String(seq + 1000).suffix(3)
        let first17 = region + birth + s
        precondition(first17.count == 17)
        return first17 + String(checkChar(first17))
    }

    /// The 18-digit form of a 15-digit legacy number: insert "19", add the check digit.
    public static func upgrade(_ id15: String) -> String {
        let first17 = String(id15.prefix(6)) + "19" + String(id15.dropFirst(6))
        return first17 + String(checkChar(first17))
    }

    /// 男 when the 17th character is odd.
    public static func sex(_ id: String) -> String {
        let d = Int(String(Array(id)[16]))!
        return d % 2 == 1 ? "男" : "女"
    }
}

/// A citizen ID: `first17` and its ISO 7064 MOD 11-2 check character.
public func citizenID(_ first17: String) -> String { first17 + String(IDs.checkChar(first17)) }

/// An ID of 朝阳区 (110105) born on `birth`, the `seq`-th of that day (odd = 男).
public func makeID(birth: String = "19900101", seq: Int) -> String { IDs.make("110105", birth, seq) }
