import Testing
@testable import HuizongCore
import HuizongTestSupport

@Suite struct RulesRecordTests {
    @Test func validRowHasNoFindingsAndItsCanonicalLine() {
        let o = RulesFixture.check()
        #expect(o.findings.isEmpty)
        #expect(!o.record.isRejected)
        #expect(o.line == RulesFixture.baseCanonical)
        #expect(o.record.idText == "110105198806225196")
        #expect(o.record.nameText == "王伟")
        #expect(o.record.updatedAt == 1_344_322_337)
        #expect(o.record.idKey == UInt64(11_010_519_880_622_519) * 11 + 6)
    }

    @Test func validatorResetsTheRecord() {
        let validator = RecordValidator(context: RulesFixture.context())
        var out = ValidatedRecord()
        var findings: [Finding] = []
        validator.validate(RawRecord(line: 2, values: [.name: "x1", .citizenID: "1"]), into: &out, findings: &findings)
        #expect(out.isRejected)
        let count = findings.count
        var values = RulesFixture.base
        values[.name] = "王伟"
        validator.validate(RawRecord(line: 3, values: values), into: &out, findings: &findings)
        #expect(findings.count == count) // appended to, never cleared
        #expect(!out.isRejected)
        #expect(String(decoding: out.canonicalLine, as: UTF8.self) == RulesFixture.baseCanonical)
    }

    @Test func everyFindingCarriesTheRowsIDNameLineAndRawCell() {
        let o = RulesFixture.check([.name: " 王伟 ", .sex: "9", .school: "", .postcode: "12345", .hardship: "14",
                                    .mobile: "12345", .email: "a@b"], line: 42)
        #expect(Set(o.codes) == ["SEX_INVALID", "SCHOOL_INVALID", "POSTCODE_INVALID", "HARDSHIP_INVALID",
                                 "MOBILE_INVALID", "EMAIL_INVALID"])
        for f in o.findings {
            #expect(f.line == 42)
            #expect(f.citizenID == "110105198806225196")
            #expect(f.name == "王伟")
        }
        #expect(o.finding(.sexInvalid)?.rawValue == "9")
        #expect(o.finding(.postcodeInvalid)?.rawValue == "12345")
        #expect(o.finding(.hardshipInvalid)?.rawValue == "14")
        // Contact values never reach a report.
        #expect(o.finding(.mobileInvalid)?.rawValue == "")
        #expect(o.finding(.emailInvalid)?.rawValue == "")
        // Column order.
        #expect(o.findings.map(\.field) == o.findings.map(\.field).sorted { $0! < $1! })
        #expect(o.record.isRejected)
    }

    @Test func rawValueIsTheCellAsWritten() {
        let o = RulesFixture.check([.education: "\u{3000}６ "])
        #expect(o.codes == ["EDU_INVALID"])
        #expect(o.findings[0].rawValue == "\u{3000}６ ")
        #expect(o.value(.education) == "6")
    }

    @Test func canonicalValuesAreQuotedWhereCSVNeedsIt() {
        let o = RulesFixture.check([.school: "北京大学,\"分校\"", .major: "法学，经济学"])
        #expect(o.codes.isEmpty)
        #expect(o.line.contains(",\"北京大学,\"\"分校\"\"\",20120630,3,\"法学,经济学\","))
        #expect(o.value(.school) == "北京大学,\"分校\"")
    }

    @Test func flaggedRowIsNotRejected() {
        let o = RulesFixture.check([.mobile: "123", .postcode: "1"])
        #expect(o.codes == ["POSTCODE_INVALID", "MOBILE_INVALID"])
        #expect(!o.record.isRejected)
        #expect(o.value(.mobile) == "123")
        #expect(o.value(.postcode) == "1")
    }
}

@Suite struct RulesNameTests {
    @Test(arguments: [
        ("王伟", "王伟"), ("　孙刚", "孙刚"), (" 欧阳 娜娜 ", "欧阳 娜娜"),
        ("阿依古丽·买买提", "阿依古丽·买买提"), ("阿依古丽•买买提", "阿依古丽·买买提"),
        ("阿依古丽・买买提", "阿依古丽·买买提"), ("阿依古丽．买买提", "阿依古丽·买买提"),
        ("阿依古丽.买买提", "阿依古丽·买买提"), ("A.B.C", "A·B·C"), ("John Smith", "John Smith"),
        ("ＪＯＨＮ", "JOHN"), ("𠮷野家", "𠮷野家"), ("李〇", "李〇"), ("·王", "·王"),
        ("丽", "丽"), (String(repeating: "张", count: 30), String(repeating: "张", count: 30)),
        ("艾力·", "艾力·"), ("龘䶮", "龘䶮"), ("\u{F900}", "\u{F900}"), ("\u{2F800}", "\u{2F800}"),
        ("\u{30000}\u{31350}\u{2B820}", "\u{30000}\u{31350}\u{2B820}"),
    ])
    func valid(_ input: String, _ canonical: String) {
        let o = RulesFixture.check([.name: input])
        #expect(o.codes.isEmpty, "\(input)")
        #expect(o.value(.name) == canonical)
        #expect(o.record.nameText == canonical)
    }

    @Test(arguments: [
        "", "  ", "\u{3000}", "张3", "张三.", ".张三", "张三•", "・张三", "王_伟", "王-伟", "王，伟", "王,伟",
        "Müller", "王伟😀", "王\t伟", "王\u{3000}伟", "ㄅㄆ", "キム", "김", String(repeating: "张", count: 31),
        "王＠伟", "王(伟)", "\u{2E80}",
    ])
    func invalid(_ input: String) {
        let o = RulesFixture.check([.name: input])
        #expect(o.codes == ["NAME_INVALID"], "\(input)")
        #expect(o.record.isRejected)
        #expect(o.finding(.nameInvalid)?.rawValue == input)
    }

    @Test func invalidNameIsReportedTrimmed() {
        let o = RulesFixture.check([.name: " 张3\u{3000}"])
        #expect(o.record.nameText == "张3")
        #expect(o.findings.allSatisfy { $0.name == "张3" })
        #expect(o.value(.name) == "张3")
    }

    @Test func nameWithACommaIsQuotedInTheLine() {
        let o = RulesFixture.check([.name: "王,伟"])
        #expect(o.line.hasPrefix("\"王,伟\",男,"))
    }
}

@Suite struct RulesSexEthnicTests {
    @Test func sex() {
        #expect(RulesFixture.check([.sex: "男"]).value(.sex) == "男")
        #expect(RulesFixture.check([.sex: "1"]).value(.sex) == "男")
        #expect(RulesFixture.check([.sex: "１"]).value(.sex) == "男")
        #expect(RulesFixture.check([.sex: " 男 "]).codes.isEmpty)
        let female = [Column.citizenID: "110105198703034709"]
        #expect(RulesFixture.check(female.merging([.sex: "女"]) { $1 }).value(.sex) == "女")
        #expect(RulesFixture.check(female.merging([.sex: "2"]) { $1 }).value(.sex) == "女")
        #expect(RulesFixture.check(female.merging([.sex: "2"]) { $1 }).codes.isEmpty)
        for bad in ["", "9", "0", "3", "M", "F", "男性", "man", "男女", "12"] {
            #expect(RulesFixture.codes(.sex, bad) == ["SEX_INVALID"], "\(bad)")
        }
        #expect(RulesFixture.check([.sex: "9"]).value(.sex) == "9")
    }

    @Test func ethnicGroup() {
        for good in ["汉族", "汉", "01", "０１", " 汉族 "] {
            let o = RulesFixture.check([.ethnicGroup: good])
            #expect(o.codes.isEmpty, "\(good)")
            #expect(o.value(.ethnicGroup) == "汉族")
        }
        for bad in ["", "汉人", "1", "00", "99", "Han"] {
            #expect(RulesFixture.codes(.ethnicGroup, bad) == ["ETHNIC_INVALID"], "\(bad)")
        }
    }

    @Test(.enabled(if: EthnicGroups.canonicalName(for: "崩龙族") != nil, "needs the real GB/T 3304 table"))
    func ethnicGroupsOfTheRealTable() {
        #expect(RulesFixture.check([.ethnicGroup: "崩龙族"]).value(.ethnicGroup) == "德昂族")
        #expect(RulesFixture.check([.ethnicGroup: "蒙古"]).value(.ethnicGroup) == "蒙古族")
        #expect(RulesFixture.check([.ethnicGroup: "其他"]).codes.isEmpty)
        #expect(RulesFixture.check([.ethnicGroup: "外国血统中国籍人士"]).codes.isEmpty)
    }
}

@Suite struct RulesSchoolMajorTests {
    @Test func lengths() {
        let sixty = String(repeating: "学", count: 60)
        #expect(RulesFixture.codes(.school, sixty) == [])
        #expect(RulesFixture.codes(.school, sixty + "院") == ["SCHOOL_INVALID"])
        #expect(RulesFixture.codes(.school, "") == ["SCHOOL_INVALID"])
        #expect(RulesFixture.codes(.school, " \u{3000} ") == ["SCHOOL_INVALID"])
        #expect(RulesFixture.codes(.school, nil) == ["SCHOOL_INVALID"])
        #expect(RulesFixture.codes(.major, String(repeating: "a", count: 60)) == [])
        #expect(RulesFixture.codes(.major, String(repeating: "a", count: 61)) == ["MAJOR_INVALID"])
        #expect(RulesFixture.codes(.major, "") == ["MAJOR_INVALID"])
        // Trimmed first: example 1-county batch-01 line 4, "北京工商大学 ".
        let o = RulesFixture.check([.school: "北京工商大学 "])
        #expect(o.codes.isEmpty)
        #expect(o.value(.school) == "北京工商大学")
    }

    @Test func longSchoolOfTheExample() {
        // Example 1-county batch-02 line 12.
        let school = "清华大学（原某某省某某市某某区某某职业技术学院继续教育学院函授部成人高等教育夜大学某某省某某市某某区某某职业技术学院继续教育学院函授部成人高等教育夜大学）"
        let o = RulesFixture.check([.school: school])
        #expect(o.codes == ["SCHOOL_INVALID"])
        #expect(o.findings[0].rawValue == school)
    }
}

@Suite struct RulesGraduationDateTests {
    @Test(arguments: [
        ("20120630", "20120630"), ("2012-06-30", "20120630"), ("2012/6/25", "20120625"), ("2012.7.1", "20120701"),
        ("2012年7月1日", "20120701"), ("２０１２０６３０", "20120630"), ("20120229", "20120229"),
        ("20120101", "20120101"), ("20121231", "20121231"),
    ])
    func valid(_ input: String, _ canonical: String) {
        let o = RulesFixture.check([.graduationDate: input, .updatedAt: "2012-12-31 10:00:00"],
                                   context: ValidationContext(cohortYear: 2012, graduationWindow: RulesFixture.window,
                                                              asOf: RulesFixture.asOf + 100 * 86400,
                                                              unitPolicy: .county(110105)))
        #expect(o.codes.isEmpty, "\(input)")
        #expect(o.value(.graduationDate) == canonical)
    }

    @Test(arguments: ["201207", "", "2012-6-30", "20120230", "20110229", "2012/2/30", "2012年6月", "June 2012",
                      "2012063", "201206300"])
    func invalid(_ input: String) {
        let o = RulesFixture.check([.graduationDate: input])
        #expect(o.codes == ["GRADDATE_INVALID"], "\(input)")
        #expect(o.finding(.graddateInvalid)?.rawValue == input)
        #expect(o.finding(.graddateInvalid)?.field == .graduationDate)
    }

    @Test func window() {
        let o = RulesFixture.check([.graduationDate: "20130628", .updatedAt: "2012-07-25 10:47:23"])
        #expect(o.codes == ["GRADDATE_WINDOW"]) // example 2-city 110108 line 9: no GRADDATE_AFTER_UPDATE
        #expect(o.value(.graduationDate) == "20130628")
        #expect(RulesFixture.codes(.graduationDate, "2011/12/31") == ["GRADDATE_WINDOW"])
        #expect(RulesFixture.check([.graduationDate: "2011/12/31"]).value(.graduationDate) == "20111231")
    }

    @Test func afterUpdate() {
        // Example 1-county batch-01 line 15.
        let o = RulesFixture.check([.graduationDate: "20121220", .updatedAt: "2012-09-01 15:38:20"])
        #expect(o.codes == ["GRADDATE_AFTER_UPDATE"])
        #expect(o.finding(.graddateAfterUpdate)?.field == .graduationDate)
        #expect(o.finding(.graddateAfterUpdate)?.rawValue == "20121220")
        #expect(!o.record.isRejected)
        // The same day is not after; China-time day of the update counts.
        #expect(RulesFixture.check([.graduationDate: "20120901", .updatedAt: "2012-09-01 00:00:00"]).codes.isEmpty)
        #expect(RulesFixture.check([.graduationDate: "20120901", .updatedAt: "2012-08-31T16:00:00Z"]).codes.isEmpty)
        #expect(RulesFixture.check([.graduationDate: "20120901", .updatedAt: "2012-08-31T15:59:59Z"]).codes
                == ["GRADDATE_AFTER_UPDATE"])
        // Not when 更新时间 is invalid.
        #expect(RulesFixture.check([.graduationDate: "20121220", .updatedAt: "2012-09-01"]).codes == ["TIME_INVALID"])
    }

    @Test func ageAtGraduation() {
        // Example 2-city 110105 line 4: born 1946-10-30, graduated 2012-07-01: 65.
        let o = RulesFixture.check([.citizenID: "110105194610309234", .graduationDate: "20120701"])
        #expect(o.codes == ["AGE_IMPLAUSIBLE"])
        #expect(o.finding(.ageImplausible)?.field == .graduationDate)
        #expect(o.finding(.ageImplausible)?.rawValue == "20120701")
        #expect(o.finding(.ageImplausible)?.severity == .flag)
        #expect(AgeRule.age(birth: 19461030, at: 20120701) == 65)
        #expect(AgeRule.age(birth: 19520630, at: 20120630) == 60)
        #expect(AgeRule.age(birth: 19520629, at: 20120630) == 60)
        #expect(AgeRule.age(birth: 19510630, at: 20120630) == 61)
        #expect(AgeRule.age(birth: 19510701, at: 20120630) == 60)
        #expect(AgeRule.age(birth: 19970630, at: 20120630) == 15)
        #expect(AgeRule.age(birth: 19970701, at: 20120630) == 14)
        #expect(AgeRule.age(birth: 19960229, at: 20120228) == 15)
        #expect(AgeRule.isPlausible(birth: 19520630, graduation: 20120630))
        #expect(!AgeRule.isPlausible(birth: 19510630, graduation: 20120630))
        #expect(AgeRule.isPlausible(birth: 19970630, graduation: 20120630))
        #expect(!AgeRule.isPlausible(birth: 19970701, graduation: 20120630))
        // Not when the graduation date is outside the window or the birth date invalid.
        #expect(RulesFixture.check([.citizenID: "110105194610309234", .graduationDate: "20130701"]).codes
                == ["GRADDATE_WINDOW"])
    }
}

@Suite struct RulesEducationHukouTests {
    @Test func education() {
        let names = [("1", "1"), ("5", "5"), ("５", "5"), ("博士研究生", "1"), ("博士", "1"), ("博士(研究生)", "1"),
                     ("博士（研究生）", "1"), ("硕士研究生", "2"), ("硕士", "2"), ("硕士(研究生)", "2"), ("大学本科", "3"),
                     ("本科", "3"), ("(大学)本科", "3"), ("（大学）本科", "3"), ("大学专科", "4"), ("专科", "4"),
                     ("(大学)专科", "4"), ("其他", "5"), (" 本科 ", "3")]
        for (input, code) in names {
            let o = RulesFixture.check([.education: input])
            #expect(o.codes.isEmpty, "\(input)")
            #expect(o.value(.education) == code)
        }
        for bad in ["", "0", "6", "12", "1.", "研究生", "大专", "本科生", "(大学本科)", "大学)本科", "其它", "博士（研究生)x"] {
            #expect(RulesFixture.codes(.education, bad) == ["EDU_INVALID"], "\(bad)")
        }
    }

    @Test func hukou() {
        #expect(RulesFixture.codes(.hukou, "110105") == [])
        #expect(RulesFixture.codes(.hukou, "１１０１０５") == [])
        #expect(RulesFixture.check([.hukou: " 110105 "]).value(.hukou) == "110105")
        for bad in ["", "11010", "1101050", "11010a", "999999", "000000", "北京市朝阳区"] {
            #expect(RulesFixture.codes(.hukou, bad) == ["HUKOU_INVALID"], "\(bad)")
        }
    }

    @Test(.enabled(if: RulesFixture.realDivisions, "needs the real GB/T 2260 table"))
    func hukouOfTheRealTable() {
        // Province, prefecture and county level; current and historic (in use up to 2012).
        for code in ["110000", "110100", "110111", "110112", "110229", "110227", "220601", "232701", "410724"] {
            #expect(RulesFixture.codes(.hukou, code) == [], "\(code)")
        }
        #expect(RulesFixture.codes(.hukou, "142255") == ["HUKOU_INVALID"])
    }
}
