import Testing
@testable import HuizongCore
import HuizongTestSupport

@Suite struct RulesTextNormalizerTests {
    @Test(arguments: [
        ("  王伟\t", "王伟"),
        ("\u{3000}孙刚", "孙刚"),
        ("\u{3000} \t王 伟 \u{3000}", "王 伟"),
        ("王\u{3000}伟", "王\u{3000}伟"),                  // inner full-width space stays
        ("１２３４５６７８９０", "1234567890"),
        ("ＡＢＣＸＹＺａｂｃｘｙｚ", "ABCXYZabcxyz"),
        ("1，2，3", "1,2,3"),
        ("a＠b．com", "a＠b．com"),                         // other full-width punctuation stays
        ("（大学）本科", "（大学）本科"),
        ("、", "、"),
        ("", ""),
        ("\u{3000}\u{3000}", ""),
        ("   ", ""),
    ])
    func normalize(_ input: String, _ expected: String) {
        #expect(TextNormalizer.normalize(input) == expected)
    }

    @Test func scalarCount() {
        let s = Array("清华大学𠮷a·".utf8)
        s.withUnsafeBufferPointer { #expect(TextNormalizer.scalarCount($0) == 7) }
    }
}
