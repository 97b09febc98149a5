import Testing
@testable import HuizongCore
import HuizongTestSupport

/// 公民身份号码: form, check digit, birth date, 15→18 upgrade, region, sex.
@Suite struct RulesCitizenIDTests {
    /// Independent reference for the check character: GB 11643-1999's weight table and its
    /// remainder → check-character table (not the code's Horner form).
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkForRemainder = Array("10X98765432")
    static func referenceCheck(_ body17: String) -> Character {
        let sum = zip(body17, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return checkForRemainder[sum % 11]
    }
    static func referenceKey(_ id: String) -> UInt64 {
        let body = UInt64(id.prefix(17))!
        let last = id.last!
        return body * 11 + (last == "X" ? 10 : UInt64(String(last))!)
    }

    @Test func referenceAgreesWithTheStandardsWorkedExample() {
        #expect(Self.referenceCheck("11010519491231002") == "X")
    }

    @Test func standardsWorkedExampleIsValid() {
        let o = RulesFixture.check([.citizenID: "11010519491231002X", .sex: "女",
                                    .graduationDate: "20120630"])
        // Born 1949: 62 at graduation, a plausible-age flag is expected, no ID rule.
        #expect(!o.codes.contains { $0.hasPrefix("ID_") })
        #expect(o.record.idText == "11010519491231002X")
        #expect(o.record.idKey == Self.referenceKey("11010519491231002X"))
        #expect(o.codes == ["AGE_IMPLAUSIBLE"])
    }

    @Test func manyIDsAgainstTheReference() {
        // Deterministic pseudo-random bodies: region 110105, birth dates 1960–1995, any sequence.
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        var sawX = false
        for _ in 0..<400 {
            let y = 1960 + next(36), m = 1 + next(12), d = 1 + next(28), seq = next(1000)
            let body = "110105" + String(y) + (m < 10 ? "0" : "") + String(m) + (d < 10 ? "0" : "")
                + String(d) + String(String(seq + 1000).dropFirst())
            let check = Self.referenceCheck(body)
            sawX = sawX || check == "X"
            let id = body + String(check)
            let sex = seq % 2 == 1 ? "男" : "女"
            let o = RulesFixture.check([.citizenID: id, .sex: sex])
            #expect(!o.codes.contains { $0.hasPrefix("ID_") }, "\(id)")
            #expect(o.record.idText == id)
            #expect(o.record.idKey == Self.referenceKey(id))
            // Every other check character is wrong.
            for wrong in "0123456789X" where wrong != check {
                let bad = body + String(wrong)
                let b = RulesFixture.check([.citizenID: bad, .sex: sex])
                #expect(b.codes == ["ID_CHECKSUM"], "\(bad)")
                #expect(b.record.idKey == nil)
                #expect(b.record.isRejected)
            }
        }
        #expect(sawX)
    }

    @Test func exampleIDsAreValid() {
        // IDs from the worked examples, with the sex written beside them there.
        for (id, sex) in [("110105198806225196", "男"), ("11010519880409919X", "男"), ("11010519910525516X", "女"),
                          ("110107199106253994", "男"), ("110102198805165962", "女"), ("11011119880121476X", "女"),
                          ("11022219901020955X", "男"), ("11022419890215138X", "女"), ("110101199102086617", "男")] {
            #expect(Self.referenceCheck(String(id.prefix(17))) == id.last!)
            let o = RulesFixture.check([.citizenID: id, .sex: sex])
            #expect(!o.codes.contains { $0.hasPrefix("ID_") && $0 != "ID_REGION_UNKNOWN" }, "\(id)")
            #expect(o.record.idKey == Self.referenceKey(id))
        }
    }

    @Test func lowercaseXBecomesUppercase() {
        let o = RulesFixture.check([.citizenID: "11010519491231002x", .sex: "女"])
        #expect(o.record.idText == "11010519491231002X")
        #expect(o.value(.citizenID) == "11010519491231002X")
        #expect(!o.codes.contains { $0.hasPrefix("ID_") })
        #expect(o.record.idKey == Self.referenceKey("11010519491231002X"))
    }

    @Test func fullWidthDigitsAndSpacesAreNormalised() {
        let o = RulesFixture.check([.citizenID: "\u{3000}１１０１０５１９８８０６２２５１９６ "])
        #expect(o.codes.isEmpty)
        #expect(o.record.idText == "110105198806225196")
        #expect(o.findings.isEmpty)
    }

    @Test func fifteenDigitsAreUpgraded() {
        // Example 1-county batch-02 line 3.
        let o = RulesFixture.check([.citizenID: "110107910625399", .hukou: "110105"])
        #expect(o.codes == ["ID_UPGRADED_15"])
        #expect(o.record.idText == "110107199106253994")
        #expect(o.value(.citizenID) == "110107199106253994")
        #expect(o.findings[0].rawValue == "110107910625399")
        #expect(o.findings[0].severity == .flag)
        #expect(o.findings[0].field == .citizenID)
        #expect(!o.record.isRejected)
        #expect(o.record.idKey == Self.referenceKey("110107199106253994"))
        // The upgrade computes the check digit with the reference for other numbers too.
        for legacy in ["110105880622519", "110105491231002", "110105960229123", "110105991231998"] {
            let full = String(legacy.prefix(6)) + "19" + String(legacy.dropFirst(6))
            let expected = full + String(Self.referenceCheck(full))
            let sex = Int(String(legacy.last!))! % 2 == 1 ? "男" : "女"
            let u = RulesFixture.check([.citizenID: legacy, .sex: sex])
            #expect(u.record.idText == expected)
            #expect(u.codes.filter { $0.hasPrefix("ID_") } == ["ID_UPGRADED_15"], "\(legacy)")
        }
    }

    @Test func fifteenDigitBirthDateIsStillChecked() {
        // 19 + 890230: February 30th.
        let o = RulesFixture.check([.citizenID: "110105890230123"])
        #expect(Set(o.codes) == ["ID_UPGRADED_15", "ID_BIRTHDATE"])
        #expect(o.record.idKey == nil)
        #expect(o.record.isRejected)
    }

    @Test(arguments: [
        "11010519901l04841X", "1101051991062368250", "11010519880622519", "110105198806225196X",
        "11010519880622519Y", "X10105198806225196", "1101051988062251", "11010588062251X",
        "110105 198806225196", "", "11010519880622519６６",
    ])
    func formErrors(_ id: String) {
        let o = RulesFixture.check([.citizenID: id])
        #expect(o.codes.filter { $0.hasPrefix("ID_") } == ["ID_FORMAT"], "\(id)")
        #expect(o.record.idKey == nil)
        #expect(o.record.isRejected)
    }

    @Test func formErrorKeepsTheTextButUppercasesX() {
        // Example 1-county batch-01 line 3: `l` is not folded to anything.
        let o = RulesFixture.check([.citizenID: "11010519901l04841x"])
        #expect(o.record.idText == "11010519901l04841X")
        #expect(o.findings.allSatisfy { $0.citizenID == "11010519901l04841X" })
        #expect(o.finding(.idFormat)?.rawValue == "11010519901l04841x")
        // Not checked against the sex when the form is wrong.
        #expect(!o.codes.contains("ID_SEX_MISMATCH"))
    }

    @Test func birthDates() {
        func codes(_ body: String) -> Set<String> {
            let id = body + String(Self.referenceCheck(body))
            let sex = Int(String(body.last!))! % 2 == 1 ? "男" : "女"
            return Set(RulesFixture.check([.citizenID: id, .sex: sex]).codes.filter { $0.hasPrefix("ID_") })
        }
        #expect(codes("11010520000229123") == [])                 // 2000-02-29
        #expect(codes("11010519920229123") == [])                 // 1992-02-29
        #expect(codes("11010519000229123") == ["ID_BIRTHDATE"])   // 1900 is not leap
        #expect(codes("11010519910229123") == ["ID_BIRTHDATE"])
        #expect(codes("11010519900230123") == ["ID_BIRTHDATE"])   // example 2-city 110108 line 3
        #expect(codes("11010519901301123") == ["ID_BIRTHDATE"])
        #expect(codes("11010519900100123") == ["ID_BIRTHDATE"])
        #expect(codes("11010518991231123") == ["ID_BIRTHDATE"])   // before 1900
        #expect(codes("11010519000101123") == [])                 // 1900 itself
        #expect(codes("11010520121004123") == [])                 // the as-of day
        #expect(codes("11010520121005123") == ["ID_BIRTHDATE"])   // after the as-of day
    }

    @Test func birthDateAndChecksumBothFire() {
        let body = "11010519900230493"
        let wrong: Character = Self.referenceCheck(body) == "0" ? "1" : "0"
        let o = RulesFixture.check([.citizenID: body + String(wrong), .sex: "男"])
        #expect(Set(o.codes) == ["ID_BIRTHDATE", "ID_CHECKSUM"])
        #expect(o.findings.allSatisfy { $0.field == .citizenID && $0.severity == .reject })
        #expect(o.record.idKey == nil)
        #expect(o.record.idText == body + String(wrong))
    }

    @Test func idKeyIsSetEvenWhenTheRowIsRejectedForAnotherReason() {
        let o = RulesFixture.check([.school: ""])
        #expect(o.codes == ["SCHOOL_INVALID"])
        #expect(o.record.isRejected)
        #expect(o.record.idKey == Self.referenceKey("110105198806225196"))
    }

    @Test func sexAgainstTheID() {
        // 17th digit 9: male. Example 1-county batch-01 line 10: 男 with an even 17th digit.
        #expect(RulesFixture.codes(.sex, "女") == ["ID_SEX_MISMATCH"])
        #expect(RulesFixture.codes(.sex, "2") == ["ID_SEX_MISMATCH"])
        #expect(RulesFixture.codes(.sex, "1") == [])
        let o = RulesFixture.check([.citizenID: "110107198911072489", .sex: "男", .hukou: "110105"])
        #expect(o.codes.filter { $0 != "ID_REGION_UNKNOWN" } == ["ID_SEX_MISMATCH"])
        let f = o.finding(.idSexMismatch)
        #expect(f?.field == .sex)
        #expect(f?.rawValue == "男")
        #expect(f?.severity == .reject)
        // An invalid sex is SEX_INVALID only.
        #expect(RulesFixture.codes(.sex, "9") == ["SEX_INVALID"])
        // A wrong check digit does not stop the comparison.
        let c = RulesFixture.check([.citizenID: "110105198806225197", .sex: "女"])
        #expect(Set(c.codes) == ["ID_CHECKSUM", "ID_SEX_MISMATCH"])
        // 15-digit: the last digit is the sequence's last.
        #expect(RulesFixture.codes(.citizenID, "110105880622519") == ["ID_UPGRADED_15"])
        #expect(RulesFixture.check([.citizenID: "110105880622518"]).codes.contains("ID_SEX_MISMATCH"))
    }

    @Test(.enabled(if: RulesFixture.realDivisions, "needs the real GB/T 2260 table"))
    func regionUnknownIsAFlag() {
        // Example 2-city 110105 line 17: 142255 is not a division code.
        let o = RulesFixture.check([.citizenID: "142255198712018723", .sex: "女"])
        #expect(o.codes == ["ID_REGION_UNKNOWN"])
        #expect(o.finding(.idRegionUnknown)?.severity == .flag)
        #expect(o.finding(.idRegionUnknown)?.rawValue == "142255198712018723")
        #expect(!o.record.isRejected)
        #expect(o.record.idKey != nil)
        // Historic codes are known, whatever the birth year (110227 was abolished in 2001).
        for id in ["11022719890427426X", "11020919790817384X", "220601199004215430", "232701198908264723",
                   "410724198902127396", "110229198905178627"] {
            let body = String(id.prefix(17))
            let full = body + String(Self.referenceCheck(body))
            let sex = Int(String(body.last!))! % 2 == 1 ? "男" : "女"
            #expect(!RulesFixture.check([.citizenID: full, .sex: sex]).codes.contains("ID_REGION_UNKNOWN"), "\(full)")
        }
        // Not a code at all.
        let body = "99999919900101123"
        #expect(RulesFixture.check([.citizenID: body + String(Self.referenceCheck(body))]).codes == ["ID_REGION_UNKNOWN"])
    }
}
