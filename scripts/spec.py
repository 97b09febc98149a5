"""The contract's constants, once, for every Python tool (generators, checkers, benches, Tests/e2e).

Written from ../shared/SPEC.md and the standards it names — never generated from, nor reading, the
Swift code: the tools that import this module are an independent oracle for the product.

    import spec   (scripts/ on sys.path)
"""
import datetime

# China time (SPEC 3.4, 5: 更新时间 without an offset is China time; deadlines are China time).
CHINA = datetime.timezone(datetime.timedelta(hours=8))

# SPEC 3.1: the summary file's columns, in output order (序号 first).
COLUMNS = ["序号", "姓名", "性别", "民族", "公民身份号码", "毕业院校", "毕业日期", "学历", "所学专业",
           "入学前户口所在地", "电子邮箱", "邮编", "手机号码", "固定电话", "困难状况", "就业地意向",
           "就业意向", "就业服务需求", "就业去向", "更新时间", "登记单位"]
# The 20 columns after 序号 (a row's body; what dedup compares, SPEC 6).
BODY_COLUMNS = COLUMNS[1:]
HEADER = ",".join(COLUMNS)
# SPEC 3.1: accepted header aliases -> canonical name (after trimming and full-width folding).
ALIASES = {"公民身份证号码": "公民身份号码", "身份证号码": "公民身份号码", "毕业学校": "毕业院校", "手机": "手机号码",
           "就业去向(回访结果)": "就业去向"}

# SPEC 3.3: the discrepancy report's columns.
REPORT_COLUMNS = ["发现单位", "来源单位", "来源文件", "行号", "公民身份号码", "姓名", "字段", "规则", "级别",
                  "说明", "原值"]
# SPEC 3.3: contact values are never copied into a report.
CONTACT_FIELDS = {"手机号码", "固定电话", "电子邮箱"}

# SPEC 3.2: the manifest's keys, in the order the SPEC shows them.
MANIFEST_KEYS = ["format", "unit", "unitName", "level", "period", "asOf", "tool", "rules", "inputs",
                 "accounting", "children", "outputs"]
# SPEC 3.2: `tool` and `rules` as this version writes them (Huizong.toolVersion, Huizong.rulesVersion);
# the generators write them into the child manifests they make.
TOOL = "huizong 0.1.0"
RULES_VERSION = "2012.1"
# SPEC 3.2: linesRead = blank + rejected + merged + superseded + duplicate.
LINE_PARTS = ("blank", "rejected", "merged", "superseded", "duplicate")

# SPEC 5.1 and 8.6: every code not listed here is a reject.
FLAGS = {"FILE_EXTRA_COLUMN", "CHILD_MISSING", "CHILD_LATE",
         "ID_UPGRADED_15", "ID_REGION_UNKNOWN", "AGE_IMPLAUSIBLE", "MOBILE_INVALID", "LANDLINE_INVALID",
         "NO_PHONE", "EMAIL_INVALID", "POSTCODE_INVALID", "INTENT_9_COMBINED", "NEEDS_WITH_9",
         "NEEDS_MISSING", "GRADDATE_AFTER_UPDATE", "MULTI_REPEATED",
         "CONFLICT", "IDENTITY_MISMATCH", "MULTIPLE_REGISTRATION", "DEST_EMPTIED", "VANISHED", "STALE",
         "REPORT_FOREIGN"}
INFOS = {"DUPLICATE", "SUPERSEDED", "NEWEST_REJECTED", "FILE_SKIPPED"}


def severity(code):
    """级别 of a rule code (SPEC 5.1, 8.6): reject, flag or info."""
    return "flag" if code in FLAGS else "info" if code in INFOS else "reject"


# GB/T 11643-1999 (公民身份号码), ISO 7064 MOD 11-2: weight of each of the first 17 digits, and the
# check character for the weighted sum mod 11.
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK_CHARS = "10X98765432"


def check_digit(first17):
    """The check character of an ID's first 17 digits."""
    return ID_CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def with_check_digit(first17):
    """An 18-character ID: the 17 digits and their check character."""
    return first17 + check_digit(first17)


def id_check_ok(pid):
    """An 18-character ID whose last character is its check character (format not checked)."""
    return len(pid) == 18 and check_digit(pid[:17]) == pid[17]


def upgrade_id15(pid15):
    """SPEC 5: a 15-digit legacy number upgraded to 18 (insert 19 before the year, check digit)."""
    return with_check_digit(pid15[:6] + "19" + pid15[6:])


# GB/T 3304-1991: the 56 groups in code order (01..56), then 97 and 98.
ETHNIC_GROUPS = ["汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族",
                 "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族",
                 "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族",
                 "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族",
                 "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族", "独龙族",
                 "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族"]
ETHNIC_OTHER = {97: "其他", 98: "外国血统中国籍人士"}
# SPEC 5: old names of two groups.
ETHNIC_OLD_NAMES = {"崩龙族": "德昂族", "毛难族": "毛南族"}

# SPEC 5: 学历 names -> code.
EDUCATION = {"博士研究生": "1", "博士": "1", "硕士研究生": "2", "硕士": "2", "大学本科": "3", "本科": "3",
             "大学专科": "4", "专科": "4", "其他": "5"}
# SPEC 5: the options of the multi-choice fields, in canonical order.
HARDSHIP_OPTIONS = "1234"
INTENT_OPTIONS = "123456789A"
