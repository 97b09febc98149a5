import Testing
@testable import HuizongCore
import HuizongTestSupport

// The form rules of the columns 电子邮箱 … 登记单位 (contact, multi-choice, follow-up, time, unit)
// and the validator's buffers; 姓名 … 入学前户口所在地 are in RulesFieldTests.swift.

@Suite struct RulesContactTests {
    @Test func mobile() {
        for (input, canonical) in [("13812345678", "13812345678"), ("19912345678", "19912345678"),
                                   ("+8613812345678", "13812345678"), ("8613812345678", "13812345678"),
                                   ("１３８１２３４５６７８", "13812345678"), ("", "")] {
            let o = RulesFixture.check([.mobile: input])
            #expect(!o.codes.contains("MOBILE_INVALID"), "\(input)")
            #expect(o.value(.mobile) == canonical)
        }
        for bad in ["23289285347", "1803470991", "12812345678", "138123456789", "138-1234-5678", "+86 13812345678",
                    "010-38452984", "1381234567a", "+85213812345678"] {
            let o = RulesFixture.check([.mobile: bad])
            #expect(o.codes == ["MOBILE_INVALID"], "\(bad)")
            #expect(o.finding(.mobileInvalid)?.rawValue == "")
            #expect(o.finding(.mobileInvalid)?.severity == .flag)
        }
        // Stripped even when what is left is not a mobile number.
        #expect(RulesFixture.check([.mobile: "8612345"]).value(.mobile) == "12345")
    }

    @Test func landline() {
        for good in ["", "010-38452984", "01038452984", "0755-1234567", "07551234567", "0755-12345678",
                     "075512345678", "010-38452984-123", "01038452984-1", "0755-1234567-123456", "０１０-３８４５２９８４"] {
            #expect(RulesFixture.codes(.landline, good) == [], "\(good)")
        }
        for bad in ["38452984", "10-38452984", "010-384529", "010-384529841", "0755-123456789", "010123456",
                    "010384529841234", "010-38452984-", "010-38452984-1234567", "010 38452984", "(010)38452984",
                    "010-38452984ext1", "010--38452984", "13812345678"] {
            let o = RulesFixture.check([.landline: bad])
            #expect(o.codes == ["LANDLINE_INVALID"], "\(bad)")
            #expect(o.finding(.landlineInvalid)?.rawValue == "")
        }
    }

    @Test func noPhone() {
        let o = RulesFixture.check([.mobile: "", .landline: " "])
        #expect(o.codes == ["NO_PHONE"])
        #expect(o.finding(.noPhone)?.field == .mobile)
        #expect(o.finding(.noPhone)?.severity == .flag)
        #expect(RulesFixture.check([.mobile: "", .landline: "010-58666617"]).codes == [])
        #expect(RulesFixture.check([.mobile: "13812345678", .landline: ""]).codes == [])
        // A malformed number is not empty.
        #expect(RulesFixture.check([.mobile: "123", .landline: ""]).codes == ["MOBILE_INVALID"])
        #expect(RulesFixture.check([.mobile: "", .landline: "123"]).codes == ["LANDLINE_INVALID"])
        #expect(RulesFixture.check([.mobile: nil, .landline: nil]).codes == ["NO_PHONE"])
    }

    @Test func email() {
        for good in ["", "a@b.cn", "2038119496@qq.com", "renna1989@yahoo.com.cn", "first.last+tag@sub-domain.example.org",
                     "a_b%c@x-y.co", "Ｊｉａｎｇ@126.com", "x@mail.163.com"] {
            #expect(RulesFixture.codes(.email, good) == [], "\(good)")
        }
        for bad in ["a", "a@b", "@b.cn", "a@@b.cn", "a@b@c.cn", "a@.cn", "a@b..cn", "a@b.c", "a@b.c1", "a@-b.cn",
                    "a@b-.cn", "a b@c.cn", "a@b.cn.", "张三@qq.com", "a＠qq.com", "a@qq．com", "a@qq.com,b@qq.com",
                    "a@b_c.cn", "a@163.123"] {
            let o = RulesFixture.check([.email: bad])
            #expect(o.codes == ["EMAIL_INVALID"], "\(bad)")
            #expect(o.finding(.emailInvalid)?.rawValue == "")
        }
    }

    @Test func postcode() {
        for good in ["", "100000", "１０００００", " 108157 "] {
            #expect(RulesFixture.codes(.postcode, good) == [], "\(good)")
        }
        for bad in ["10000", "1000000", "10000a", "100 000"] {
            let o = RulesFixture.check([.postcode: bad])
            #expect(o.codes == ["POSTCODE_INVALID"], "\(bad)")
            #expect(o.finding(.postcodeInvalid)?.rawValue == bad) // not a contact value
        }
    }
}

@Suite struct RulesMultiChoiceTests {
    @Test func hardship() {
        for (input, canonical) in [("4", "4"), ("1", "1"), ("123", "123"), ("321", "123"), ("1、3", "13"),
                                   ("1,3", "13"), ("1，3", "13"), ("1 3", "13"), ("2、 3", "23"), ("１２", "12")] {
            let o = RulesFixture.check([.hardship: input])
            #expect(o.codes.isEmpty, "\(input)")
            #expect(o.value(.hardship) == canonical)
        }
        for bad in ["", "14", "4、1", "24", "5", "0", "A", "1;2", "1/2", "、"] {
            let o = RulesFixture.check([.hardship: bad])
            #expect(o.codes == ["HARDSHIP_INVALID"], "\(bad)")
            #expect(o.record.isRejected)
        }
    }

    @Test func repeatedOptionsAreDeduplicatedAndFlagged() {
        let o = RulesFixture.check([.hardship: "112", .intentions: "33", .serviceNeeds: "2、2、a、A"])
        #expect(o.codes == ["MULTI_REPEATED", "MULTI_REPEATED", "MULTI_REPEATED"])
        #expect(o.findings.map(\.field) == [.hardship, .intentions, .serviceNeeds])
        #expect(o.findings.map(\.rawValue) == ["112", "33", "2、2、a、A"])
        #expect(o.value(.hardship) == "12")
        #expect(o.value(.intentions) == "3")
        #expect(o.value(.serviceNeeds) == "2A")
        #expect(!o.record.isRejected)
        #expect(RulesFixture.check([.hardship: "44"]).codes == ["MULTI_REPEATED"])
        // An invalid field reports its own rule only.
        #expect(RulesFixture.codes(.hardship, "115") == ["HARDSHIP_INVALID"])
    }

    @Test func workplaceIntent() {
        for good in ["1", "2", "3", "３", " 2 "] {
            #expect(RulesFixture.codes(.workplaceIntent, good) == [], "\(good)")
        }
        for bad in ["", "0", "4", "12", "11", "1、2", "A", "本地"] {
            #expect(RulesFixture.codes(.workplaceIntent, bad) == ["WORKPLACE_INVALID"], "\(bad)")
        }
    }

    @Test func intentions() {
        for (input, canonical) in [("A", "A"), ("a", "A"), ("A1", "1A"), ("8、7、a", "78A"), ("A87654321", "12345678A"),
                                   ("3 5", "35"), ("３，５", "35")] {
            let o = RulesFixture.check([.intentions: input])
            #expect(o.codes.isEmpty, "\(input)")
            #expect(o.value(.intentions) == canonical)
        }
        for bad in ["", "0", "B", "1-2", "、"] {
            let o = RulesFixture.check([.intentions: bad])
            // Example 1-county batch-01 line 13: no needs finding beside an invalid 就业意向.
            #expect(o.codes == ["INTENT_INVALID"], "\(bad)")
        }
    }

    @Test func intentionNineCombined() {
        // Example 1-county batch-02 line 13.
        let o = RulesFixture.check([.intentions: "19", .serviceNeeds: "1"])
        #expect(o.codes == ["INTENT_9_COMBINED"])
        #expect(o.finding(.intent9Combined)?.field == .intentions)
        #expect(o.finding(.intent9Combined)?.rawValue == "19")
        #expect(o.value(.intentions) == "19")
        #expect(!o.record.isRejected)
        #expect(RulesFixture.check([.intentions: "9A", .serviceNeeds: "1"]).value(.intentions) == "9A")
        #expect(RulesFixture.check([.intentions: "123456789A", .serviceNeeds: "1"]).codes == ["INTENT_9_COMBINED"])
    }

    @Test func serviceNeeds() {
        for (input, canonical) in [("123456789A", "123456789A"), ("a", "A"), ("5,2", "25"), ("9", "9")] {
            let o = RulesFixture.check([.serviceNeeds: input])
            #expect(o.codes.isEmpty, "\(input)")
            #expect(o.value(.serviceNeeds) == canonical)
        }
        for bad in ["0", "B", "1;2", "全部"] {
            #expect(RulesFixture.codes(.serviceNeeds, bad) == ["NEEDS_INVALID"], "\(bad)")
        }
        // Only 9 (自愿暂时不就业): needs must be empty.
        #expect(RulesFixture.check([.intentions: "9", .serviceNeeds: ""]).codes == [])
        #expect(RulesFixture.check([.intentions: "9", .serviceNeeds: nil]).codes == [])
        let with9 = RulesFixture.check([.intentions: "9", .serviceNeeds: "12"])
        #expect(with9.codes == ["NEEDS_WITH_9"])
        #expect(with9.finding(.needsWith9)?.field == .serviceNeeds)
        #expect(with9.finding(.needsWith9)?.rawValue == "12")
        #expect(with9.value(.serviceNeeds) == "12")
        // Everyone else must say what they need.
        let missing = RulesFixture.check([.intentions: "3", .serviceNeeds: ""])
        #expect(missing.codes == ["NEEDS_MISSING"])
        #expect(missing.finding(.needsMissing)?.field == .serviceNeeds)
        #expect(missing.finding(.needsMissing)?.severity == .flag)
        #expect(RulesFixture.check([.intentions: "19", .serviceNeeds: ""]).codes == ["INTENT_9_COMBINED", "NEEDS_MISSING"])
        // Not when either field is invalid.
        #expect(RulesFixture.check([.intentions: "", .serviceNeeds: "23"]).codes == ["INTENT_INVALID"])
        #expect(RulesFixture.check([.intentions: "9", .serviceNeeds: "0"]).codes == ["NEEDS_INVALID"])
    }
}

@Suite struct RulesDestinationTests {
    @Test func destination() {
        for good in ["", "1", "9", "10", "11", "12", "13", "14", "15", "１２", " 7 "] {
            #expect(RulesFixture.codes(.destination, good) == [], "\(good)")
        }
        #expect(RulesFixture.check([.destination: "12"]).value(.destination) == "12") // 职业培训, not 1 and 2
        for bad in ["16", "0", "01", "00", "1、2", "1,2", "100", "A", "-1", "1.0", "职业培训"] {
            #expect(RulesFixture.codes(.destination, bad) == ["DEST_INVALID"], "\(bad)")
        }
    }
}

@Suite struct RulesUpdateTimeTests {
    @Test func canonicalForm() {
        for input in ["2012-08-07 14:52:17", "2012-08-07T14:52:17", "2012-08-07T14:52:17+08:00", "2012-08-07T06:52:17Z",
                      "2012-08-07T07:52:17+0100", "2012-08-07T01:52:17-05", " 2012-08-07 14:52:17 "] {
            let o = RulesFixture.check([.updatedAt: input])
            #expect(o.codes.isEmpty, "\(input)")
            #expect(o.value(.updatedAt) == "2012-08-07T14:52:17+08:00")
            #expect(o.record.updatedAt == 1_344_322_337)
        }
    }

    @Test func invalidForms() {
        for bad in ["", "2012-08-07", "2012.08.07 14:52:17", "2012/08/07 14:52:1", "2012-08-07 14:52:17.123", "2012-08-07 14:52",
                    "2012-08-32 00:00:00", "1344322337"] {
            let o = RulesFixture.check([.updatedAt: bad])
            #expect(o.codes == ["TIME_INVALID"], "\(bad)")
            #expect(o.record.updatedAt == nil)
            #expect(o.finding(.timeInvalid)?.rawValue == bad)
        }
    }

    @Test func range() {
        // Jan 1 00:00 of the cohort year, China time, is the earliest.
        #expect(RulesFixture.check([.updatedAt: "2012-01-01 00:00:00", .graduationDate: "20120101"]).codes.isEmpty)
        #expect(RulesFixture.codes(.updatedAt, "2011-12-31 23:59:59") == ["TIME_TOO_EARLY"])
        #expect(RulesFixture.check([.updatedAt: "2011-12-31T16:00:00Z", .graduationDate: "20120101"]).codes.isEmpty)
        #expect(RulesFixture.codes(.updatedAt, "2011-12-31T15:59:59Z") == ["TIME_TOO_EARLY"])
        // Not after --as-of.
        #expect(RulesFixture.codes(.updatedAt, "2012-10-04 12:00:00") == [])
        let future = RulesFixture.check([.updatedAt: "2012-10-04 12:00:01"])
        #expect(future.codes == ["TIME_FUTURE"])
        #expect(future.record.isRejected)
        #expect(future.record.updatedAt == nil)
        #expect(future.value(.updatedAt) == "2012-10-04T12:00:01+08:00")
        #expect(RulesFixture.codes(.updatedAt, "2012-10-04T04:00:01Z") == ["TIME_FUTURE"])
    }

    @Test func templateWithoutTheColumn() {
        // 填报时间 2012-09-05 → 00:00 China time.
        let day = ChinaTime.startOfDay(20120905)
        let o = RulesFixture.check([.updatedAt: nil], context: RulesFixture.context(defaultUpdateTime: day))
        #expect(o.codes.isEmpty)
        #expect(o.record.updatedAt == day)
        #expect(o.value(.updatedAt) == "2012-09-05T00:00:00+08:00")
        // The column, when present, wins (even empty).
        #expect(RulesFixture.check([.updatedAt: ""], context: RulesFixture.context(defaultUpdateTime: day)).codes
                == ["TIME_INVALID"])
        // Neither.
        let none = RulesFixture.check([.updatedAt: nil])
        #expect(none.codes == ["TIME_INVALID"])
        #expect(none.findings[0].rawValue == "")
        // The preamble's date is checked like any 更新时间.
        let late = RulesFixture.check([.updatedAt: nil],
                                      context: RulesFixture.context(defaultUpdateTime: ChinaTime.startOfDay(20121005)))
        #expect(late.codes == ["TIME_FUTURE"])
    }
}

@Suite struct RulesRegisteringUnitTests {
    @Test func county() {
        let policy = ValidationContext.UnitPolicy.county(110105)
        #expect(RulesFixture.check([.registeringUnit: nil], context: RulesFixture.context(policy)).value(.registeringUnit) == "110105")
        #expect(RulesFixture.check([.registeringUnit: ""], context: RulesFixture.context(policy)).value(.registeringUnit) == "110105")
        #expect(RulesFixture.check([.registeringUnit: "１１０１０５"], context: RulesFixture.context(policy)).codes == [])
        for bad in ["110108", "11010", "1101050", "朝阳区", "110105a"] {
            let o = RulesFixture.check([.registeringUnit: bad], context: RulesFixture.context(policy))
            #expect(o.codes == ["UNIT_FOREIGN"], "\(bad)")
            #expect(o.finding(.unitForeign)?.field == .registeringUnit)
            #expect(o.finding(.unitForeign)?.rawValue == bad)
            #expect(o.record.isRejected)
        }
    }

    @Test func under() {
        let policy = ValidationContext.UnitPolicy.under([110105, 110108])
        #expect(RulesFixture.check([.registeringUnit: "110108"], context: RulesFixture.context(policy)).codes == [])
        #expect(RulesFixture.check([.registeringUnit: "110108"], context: RulesFixture.context(policy)).value(.registeringUnit) == "110108")
        for bad: String? in ["", nil, "110112", "1101"] {
            #expect(RulesFixture.check([.registeringUnit: bad], context: RulesFixture.context(policy)).codes == ["UNIT_FOREIGN"])
        }
    }

    @Test func formOnly() {
        let ctx = RulesFixture.context(.formOnly)
        #expect(RulesFixture.check([.registeringUnit: ""], context: ctx).codes == [])
        #expect(RulesFixture.check([.registeringUnit: ""], context: ctx).line.hasSuffix("+08:00,"))
        #expect(RulesFixture.check([.registeringUnit: nil], context: ctx).codes == [])
        #expect(RulesFixture.check([.registeringUnit: "999999"], context: ctx).codes == [])
        #expect(RulesFixture.check([.registeringUnit: "99999"], context: ctx).codes == ["UNIT_FOREIGN"])
    }
}

/// The byte-level machinery under the rules: canonical line building, long rows, folding.
@Suite struct RulesBufferTests {
    /// The canonical line, rebuilt independently with CSVField from the canonical values.
    static func expectedLine(_ values: [String]) -> String { CSVField.line(values) }

    @Test func quotingMatchesCSVField() {
        for school in ["a,b", "a\"b", "\"", "\"\"", ",", "a\rb", "x", "大学,\"一\",二"] {
            let o = RulesFixture.check([.school: school])
            #expect(o.value(.school) == school)
            var fields = parseCSVLine(RulesFixture.baseCanonical)
            fields[Column.school.rawValue - 1] = school
            #expect(o.line == Self.expectedLine(fields), "\(school)")
        }
    }

    @Test func longRowsFallBackToTheHeap() {
        // Many quotes: the canonical line is much longer than the stack buffer.
        let quotes = String(repeating: "\"", count: 700)
        let o = RulesFixture.check([.major: quotes])
        #expect(o.codes == ["MAJOR_INVALID"])
        var fields = parseCSVLine(RulesFixture.baseCanonical)
        fields[Column.major.rawValue - 1] = quotes
        #expect(o.line == Self.expectedLine(fields))
        // Many full-width letters to fold: more than the stack scratch.
        let wide = String(repeating: "Ａ", count: 500)
        let w = RulesFixture.check([.school: wide, .major: "ｂ" + wide])
        #expect(w.value(.school) == String(repeating: "A", count: 500))
        #expect(w.value(.major) == "b" + String(repeating: "A", count: 500))
        #expect(w.codes == ["SCHOOL_INVALID", "MAJOR_INVALID"])
        // A long row of everything.
        let big = RulesFixture.check([.name: String(repeating: "张", count: 300), .school: String(repeating: "学", count: 400),
                                      .email: String(repeating: "a", count: 300) + "@qq.com",
                                      .landline: String(repeating: "，", count: 200)])
        #expect(big.codes == ["NAME_INVALID", "SCHOOL_INVALID", "LANDLINE_INVALID"])
        #expect(big.value(.landline) == String(repeating: ",", count: 200))
        #expect(big.value(.name) == String(repeating: "张", count: 300))
    }

    @Test func foldingInsideManyCells() {
        let o = RulesFixture.check([.citizenID: "１１０１０５１９８８０６２２５１９６", .graduationDate: "２０１２年６月３０日",
                                    .education: "（大学）本科", .hukou: "１１０１０５", .postcode: "１０８１５７",
                                    .mobile: "＋８６１８８２８２８０８５６", .landline: "０１０-３８４５２９８４",
                                    .hardship: "３", .workplaceIntent: "２", .intentions: "ａ",
                                    .serviceNeeds: "２，３", .updatedAt: "２０１２-０８-０７ １４:５２:１７",
                                    .registeringUnit: "１１０１０５"])
        // ＋ is not folded: the mobile number keeps it and is malformed.
        #expect(o.codes == ["MOBILE_INVALID"])
        #expect(o.value(.mobile) == "＋8618828280856")
        var fields = parseCSVLine(o.line)
        fields[Column.mobile.rawValue - 1] = "18828280856"
        #expect(CSVField.line(fields) == RulesFixture.baseCanonical)
    }

    @Test func emptyAndMissingColumns() {
        // A record with no cells at all still gives a line of 20 fields.
        var out = ValidatedRecord()
        var findings: [Finding] = []
        RecordValidator(context: RulesFixture.context(.formOnly)).validate(RawRecord(line: 9), into: &out, findings: &findings)
        let line = String(decoding: out.canonicalLine, as: UTF8.self)
        #expect(parseCSVLine(line).count == 20)
        #expect(out.isRejected)
        #expect(out.idText == "")
        #expect(out.nameText == "")
        #expect(findings.allSatisfy { $0.line == 9 && $0.rawValue == "" })
        #expect(Set(findings.map(\.rule)) == [.nameInvalid, .sexInvalid, .ethnicInvalid, .idFormat, .schoolInvalid,
                                               .graddateInvalid, .eduInvalid, .majorInvalid, .hukouInvalid, .noPhone,
                                               .hardshipInvalid, .workplaceInvalid, .intentInvalid, .timeInvalid])
    }
}
