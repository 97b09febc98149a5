import Testing
@testable import HuizongCore

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
            var fields = RulesFixture.split(RulesFixture.baseCanonical)
            fields[Column.school.rawValue - 1] = school
            #expect(o.line == Self.expectedLine(fields), "\(school)")
        }
    }

    @Test func longRowsFallBackToTheHeap() {
        // Many quotes: the canonical line is much longer than the stack buffer.
        let quotes = String(repeating: "\"", count: 700)
        let o = RulesFixture.check([.major: quotes])
        #expect(o.codes == ["MAJOR_INVALID"])
        var fields = RulesFixture.split(RulesFixture.baseCanonical)
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
        var fields = RulesFixture.split(o.line)
        fields[Column.mobile.rawValue - 1] = "18828280856"
        #expect(CSVField.line(fields) == RulesFixture.baseCanonical)
    }

    @Test func emptyAndMissingColumns() {
        // A record with no cells at all still gives a line of 20 fields.
        var out = ValidatedRecord()
        var findings: [Finding] = []
        RecordValidator(context: RulesFixture.context(.formOnly)).validate(RawRecord(line: 9), into: &out, findings: &findings)
        let line = String(decoding: out.canonicalLine, as: UTF8.self)
        #expect(RulesFixture.split(line).count == 20)
        #expect(out.isRejected)
        #expect(out.idText == "")
        #expect(out.nameText == "")
        #expect(findings.allSatisfy { $0.line == 9 && $0.rawValue == "" })
        #expect(Set(findings.map(\.rule)) == [.nameInvalid, .sexInvalid, .ethnicInvalid, .idFormat, .schoolInvalid,
                                               .graddateInvalid, .eduInvalid, .majorInvalid, .hukouInvalid, .noPhone,
                                               .hardshipInvalid, .workplaceInvalid, .intentInvalid, .timeInvalid])
    }
}
