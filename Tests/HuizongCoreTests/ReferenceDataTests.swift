import Testing
@testable import HuizongCore
import HuizongTestSupport

// Expected values come from outside the code: the worked examples (shared/examples), loc.dat of
// python-stdnum 2.2 read by hand, the supplement's sources, and GB/T 3304 written out below.

/// `swift test --filter ReferenceDataTests` runs both suites.
@Suite enum ReferenceDataTests {}

extension ReferenceDataTests {
    @Suite struct DivisionTableTests {
        /// Every division code the worked examples use (IDs, 入学前户口所在地, units), cohort 2012.
        static let exampleCodes = [
            110105, 110227, 110229, 110209, 110111, 110116, 110114, 110112, 110103, 110102,
            110101, 110107, 110108, 110115, 220601, 232701, 410724, 110000, 110100,
        ]

        @Test(arguments: exampleCodes)
        func exampleCodeIsKnownAndInUseBy2012(code: Int) {
            #expect(DivisionTable.contains(code))
            #expect(DivisionTable.isInUse(code, upTo: 2012))
            #expect(DivisionTable.lookup(code) != nil)
        }

        @Test func exampleUnknownRegion() {
            // 1-county/batch-01.csv line 17: 142255198712018723 is flagged ID_REGION_UNKNOWN.
            #expect(!DivisionTable.contains(142255))
            #expect(!DivisionTable.isInUse(142255, upTo: 2025))
            #expect(DivisionTable.lookup(142255) == nil)
            #expect(DivisionTable.name(of: 142255) == nil)
        }

        @Test func names() {
            #expect(DivisionTable.name(of: 110105) == "朝阳区")
            #expect(DivisionTable.name(of: 110108) == "海淀区")
            #expect(DivisionTable.name(of: 110112) == "通州区")
            #expect(DivisionTable.name(of: 110000) == "北京市")
            #expect(DivisionTable.name(of: 110100) == "市辖区")  // loc.dat: `0100 county="市辖区"`
            #expect(DivisionTable.name(of: 710000) == "台湾省")
            #expect(DivisionTable.name(of: 810000) == "香港特别行政区")
        }

        /// Code, most recent name, first and last year of use, read by hand from loc.dat.
        static let historic: [(Int, String, Int, Int?)] = [
            (110103, "崇文区", 1980, 2010),        // 0103 county="[-2010]崇文区"
            (110110, "燕山区", 1980, 1986),        // 0110 county="[-1986]燕山区"
            (110112, "通州区", 1997, nil),         // 0112 county="[1997-]通州区"
            (410728, "长垣县", 1986, 2019),        // 0728 county="[1986-2019]长垣县"
            (410783, "长垣市", 2019, nil),         // 0783 county="[2019-]长垣市"
            (130502, "襄都区", 1983, nil),         // 0502 county="[1983-2019]桥东区,[2020-]襄都区"
            (232701, "漠河市", 1981, nil),         // 2701 county="[1981-2018]加格達奇區,[2018-]漠河市"
            (232723, "漠河县", 1981, 2018),        // 2723 county="[1981-2018]漠河县"
            (511422, "彭山县", 1995, 2014),        // 1422 county="[1995-1997]丰都县,[2000-2014]彭山县"
            (420400, "沙市市", 1980, 1994),        // 0400 county="[-1994]沙市市"
            (210200, "大连市", 1980, nil),         // 0200 county="[-1980]旅大市,[1981-]大连市"
        ]

        @Test func historicCodes() {
            for (code, name, first, last) in Self.historic {
                let d = DivisionTable.lookup(code)
                #expect(d == .init(code: code, name: name, firstYear: first, lastYear: last), "\(code)")
                #expect(d?.isCurrent == (last == nil), "\(code)")
            }
        }

        @Test func inUseUpToCohortYear() {
            // 入学前户口所在地: in use in some year up to the cohort year; abolished codes still count.
            #expect(DivisionTable.isInUse(110103, upTo: 2012))   // 崇文区, abolished 2010
            #expect(DivisionTable.isInUse(110112, upTo: 1997))
            #expect(!DivisionTable.isInUse(110112, upTo: 1996))  // 通州区 from 1997
            #expect(!DivisionTable.isInUse(110119, upTo: 2012))  // 延庆区 from 2015
            #expect(DivisionTable.isInUse(110119, upTo: 2015))
            #expect(DivisionTable.contains(110119))
            #expect(!DivisionTable.isInUse(330113, upTo: 2020))  // 临平区 from 2021
        }

        @Test func supplement() {
            // Missing from loc.dat, added by scripts/reference/division-supplement.tsv.
            #expect(DivisionTable.lookup(330113) == .init(code: 330113, name: "临平区", firstYear: 2021, lastYear: nil))
            #expect(DivisionTable.lookup(330114) == .init(code: 330114, name: "钱塘区", firstYear: 2021, lastYear: nil))
            #expect(DivisionTable.lookup(620201) == .init(code: 620201, name: "市辖区", firstYear: 2002, lastYear: nil))
            #expect(DivisionTable.lookup(460321)?.lastYear == 2020)
        }

        @Test func codesFromTheYearlyListsAlone() {
            // Not in loc.dat; the GB/T 2260 lists of 2002-2006 give 陵水 469034 (renumbered 469028 in 2007).
            #expect(DivisionTable.lookup(469034) == .init(code: 469034, name: "陵水黎族自治县", firstYear: 2002, lastYear: 2006))
            // loc.dat starts 三亚's 市辖区 in 2014; the lists have it from 2002.
            #expect(DivisionTable.isInUse(460201, upTo: 2012))
        }

        @Test func traditionalFormsAreSimplified() {
            // loc.dat: 2761 county="[2018-]加格達奇區", 2858 county="[1992-2018]冷湖行政委員會"
            #expect(DivisionTable.name(of: 232761) == "加格达奇区")
            #expect(DivisionTable.name(of: 232702) == "松岭区")
            #expect(DivisionTable.name(of: 632858) == "冷湖行政委员会")
        }

        @Test func notInTable() {
            #expect(!DivisionTable.contains(830000))  // Taiwan residence-permit region, not GB/T 2260
            #expect(DivisionTable.isResidencePermitRegion(830000))
            #expect(DivisionTable.isResidencePermitRegion(810000))
            #expect(!DivisionTable.isResidencePermitRegion(710000))
            for code in [0, -1, 1, 99_999, 999_999, 1_000_000, 110_105_1, Int.max, Int.min, 110199] {
                #expect(!DivisionTable.contains(code), "\(code)")
                #expect(DivisionTable.lookup(code) == nil, "\(code)")
                #expect(DivisionTable.level(of: code) == nil, "\(code)")
            }
        }

        @Test func levels() {
            #expect(DivisionTable.level(of: 110000) == .province)
            #expect(DivisionTable.level(of: 110100) == .prefecture)
            #expect(DivisionTable.level(of: 110105) == .county)
            #expect(DivisionTable.level(of: 232701) == .county)
            #expect(DivisionTable.lookup(441900)?.level == .prefecture)  // 东莞市
            #expect(DivisionTable.Level(patternOf: 142255) == .county)   // pattern only
            #expect(DivisionTable.Level(patternOf: 0) == nil)
        }

        @Test func hierarchy() {
            #expect(DivisionTable.parent(of: 110105)?.code == 110100)
            #expect(DivisionTable.parent(of: 110100)?.code == 110000)
            #expect(DivisionTable.parent(of: 110000) == nil)
            #expect(DivisionTable.parent(of: 419001)?.code == 419000)  // 济源市 under 省直辖县级行政区划
            let beijing = DivisionTable.children(of: 110000).map(\.code)
            #expect(beijing == [110100, 110200])  // loc.dat: 市辖区, [-2015]县
            let districts = DivisionTable.children(of: 110100).map(\.code)
            #expect(districts.contains(110105) && districts.contains(110119) && districts.contains(110103))
            #expect(!districts.contains(110100) && !districts.contains(110227))
            #expect(districts == districts.sorted())
            #expect(DivisionTable.children(of: 110105).isEmpty)
            #expect(DivisionTable.children(of: 142255).isEmpty)
        }

        @Test func wholeTable() {
            let all = DivisionTable.all
            #expect(all.count > 7_000 && all.count < 8_000)
            #expect(zip(all, all.dropFirst()).allSatisfy { $0.code < $1.code })
            #expect(all.allSatisfy { DivisionTable.lookup($0.code) == $0 })
            #expect(all.allSatisfy { d in d.lastYear.map { $0 >= d.firstYear } ?? true })
            #expect(all.allSatisfy { !$0.name.isEmpty && $0.firstYear >= 1980 })
            // every province of GB/T 2260 (11…65, 71, 81, 82) is there
            let provinces = all.filter { $0.level == .province }.map(\.code)
            #expect(provinces.count == 34)
        }

        @Test func concurrentFirstUse() async {
            // Static lets are initialised once; lookups from many tasks agree.
            await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<16 {
                    group.addTask { DivisionTable.name(of: 110105) == "朝阳区" && !DivisionTable.contains(142255) }
                }
                for await ok in group { #expect(ok) }
            }
        }
    }

    @Suite struct EthnicGroupsTests {
        /// GB/T 3304-1991, written out from the standard (not from scripts/reference/gbt3304.tsv).
        static let gbt3304: [(String, String)] = [
            ("01", "汉族"), ("02", "蒙古族"), ("03", "回族"), ("04", "藏族"), ("05", "维吾尔族"),
            ("06", "苗族"), ("07", "彝族"), ("08", "壮族"), ("09", "布依族"), ("10", "朝鲜族"),
            ("11", "满族"), ("12", "侗族"), ("13", "瑶族"), ("14", "白族"), ("15", "土家族"),
            ("16", "哈尼族"), ("17", "哈萨克族"), ("18", "傣族"), ("19", "黎族"), ("20", "傈僳族"),
            ("21", "佤族"), ("22", "畲族"), ("23", "高山族"), ("24", "拉祜族"), ("25", "水族"),
            ("26", "东乡族"), ("27", "纳西族"), ("28", "景颇族"), ("29", "柯尔克孜族"), ("30", "土族"),
            ("31", "达斡尔族"), ("32", "仫佬族"), ("33", "羌族"), ("34", "布朗族"), ("35", "撒拉族"),
            ("36", "毛南族"), ("37", "仡佬族"), ("38", "锡伯族"), ("39", "阿昌族"), ("40", "普米族"),
            ("41", "塔吉克族"), ("42", "怒族"), ("43", "乌孜别克族"), ("44", "俄罗斯族"), ("45", "鄂温克族"),
            ("46", "德昂族"), ("47", "保安族"), ("48", "裕固族"), ("49", "京族"), ("50", "塔塔尔族"),
            ("51", "独龙族"), ("52", "鄂伦春族"), ("53", "赫哲族"), ("54", "门巴族"), ("55", "珞巴族"),
            ("56", "基诺族"), ("97", "其他"), ("98", "外国血统中国籍人士"),
        ]

        @Test func tableMatchesTheStandard() {
            #expect(EthnicGroups.all.map { [$0.code, $0.name] } == Self.gbt3304.map { [$0.0, $0.1] })
        }

        @Test(arguments: gbt3304)
        func everySpelling(code: String, name: String) {
            #expect(EthnicGroups.canonicalName(for: name) == name)
            #expect(EthnicGroups.canonicalName(for: code) == name)
            #expect(EthnicGroups.code(for: name) == code)
            if name.hasSuffix("族") {
                #expect(EthnicGroups.canonicalName(for: String(name.dropLast())) == name)
            }
        }

        @Test func shortNames() {
            #expect(EthnicGroups.canonicalName(for: "汉") == "汉族")
            #expect(EthnicGroups.canonicalName(for: "维吾尔") == "维吾尔族")
            #expect(EthnicGroups.canonicalName(for: "水") == "水族")
            #expect(EthnicGroups.canonicalName(for: "土") == "土族")
            #expect(EthnicGroups.canonicalName(for: "土家") == "土家族")
        }

        @Test func formerNames() {
            #expect(EthnicGroups.canonicalName(for: "崩龙族") == "德昂族")
            #expect(EthnicGroups.canonicalName(for: "崩龙") == "德昂族")
            #expect(EthnicGroups.canonicalName(for: "毛难族") == "毛南族")
            #expect(EthnicGroups.canonicalName(for: "毛难") == "毛南族")
            #expect(EthnicGroups.code(for: "崩龙族") == "46")
            #expect(EthnicGroups.group(for: "毛难族")?.formerNames == ["毛难族"])
        }

        @Test(arguments: ["汉族族", "57", "1", "", "00", "99", "96", "01 ", " 汉族", "汉 族", "族", "其他族",
                          "外国血统中国籍人士族", "Han", "１", "漢族", "穿青人"])
        func rejected(input: String) {
            #expect(EthnicGroups.canonicalName(for: input) == nil)
            #expect(EthnicGroups.code(for: input) == nil)
        }
    }
}
