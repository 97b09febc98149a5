#!/usr/bin/env python3
"""Deterministic generator of county intake batches for the Huizong demo.

    python3 scripts/gen_demo.py [--root DIR] [--seed N] [--config pipeline.json]
                                [--periods 2012-08,2012-09,2012-10]
                                [--missing UNIT:PERIOD] [--late UNIT:PERIOD] [--force]

For every county of the configuration and every period it writes the registration batches its
intake desks keyed in that month, as the notice (人社厅发〔2012〕69号, 附件1/附件2/填写说明) and the
contract (SPEC 3.1, 5) describe them:

    ROOT/pipeline.json                           copy of the configuration used
    ROOT/data/{county}/inbox/{period}/batch-NN.csv   1-3 batches per county-month, 30-200 rows each
    ROOT/delivery.json                           how each child's monthly transfer goes (on time,
                                                 late, or not at all), read by scripts/demo

Only inputs are written: nothing here is computed the way the product computes it (no expected
outputs). The same seed gives byte-identical files (and identical mtimes).

What is in the batches
- New registrations every month (most in August, fewer later), with realistic names, valid
  18-digit IDs (region = real GB/T 2260 code, birth 1984-1992, 17th digit odd = male, ISO 7064
  MOD 11-2 check digit), schools and majors that fit the education level, graduation dates in
  2012 in several notations, hukou codes, contact data, and multi-choice answers that follow the
  填写说明 (needs empty only for intention 9).
- Follow-ups (回访): in later months a share of earlier registrations is re-keyed with a later
  更新时间 and 就业去向 1-15; some corrected re-keys of rows rejected the month before; a few
  re-imports of last month's rows (identical: DUPLICATE of the base table).
- Defects of every kind in small numbers (see DEFECTS below), exact duplicate lines, blank lines,
  an unterminated quote, a line with too many fields.
- Excel: 西湖区 (330106) keys its batches in Excel and sends .xlsx (one in the 附件2 template, with
  merged preamble cells; their CSV twins under ROOT/excel-twins/); 滨江区 (330108) leaves Excel's
  lock file `~$batch-01.xlsx` and a `说明.txt` in its September inbox.
- Odd files: one batch in GB18030 with CRLF (Excel), one made from the 附件2 template (title and
  preamble lines, no 更新时间 or 登记单位 column: its rows take 填报时间), one with reordered
  columns and header aliases (身份证号码, 手机, 毕业学校), one with an extra 备注 column, some with a
  UTF-8 BOM, some without 序号 or 登记单位.
- Record-level cases: a person registered in two counties (MULTIPLE_REGISTRATION), a follow-up
  keyed twice at the same instant with different results (CONFLICT), a follow-up with a different
  spelling of the name (IDENTITY_MISMATCH), a destination emptied by a later row (DEST_EMPTIED).

Python 3 standard library, and openpyxl for the Excel batches.
"""
import argparse
import calendar
import csv
import datetime as dt
import io
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from spec import CHINA, COLUMNS as CANON, check_digit  # noqa: E402

DEFAULT_SEED = 20120725  # the notice's date
DEFAULT_PERIODS = ["2012-08", "2012-09", "2012-10"]
DEFAULT_MISSING = ["110112:2012-09"]  # 通州区's September transfer never happens
DEFAULT_LATE = ["330212:2012-10"]  # 鄞州区 ships October's table after its deadline

# 附件2 汇总表: no 更新时间, no 登记单位; the destination column as the notice heads it.
TEMPLATE_HEADER = CANON[:18] + ["就业去向（回访结果）"]
TEMPLATE_TITLE = "2012届离校未就业高校毕业生信息汇总表"
# Reordered, with accepted aliases (SPEC 3.1): 身份证号码, 手机, 毕业学校.
REORDERED = [("姓名", "姓名"), ("公民身份号码", "身份证号码"), ("性别", "性别"), ("民族", "民族"),
             ("毕业院校", "毕业学校"), ("所学专业", "所学专业"), ("学历", "学历"), ("毕业日期", "毕业日期"),
             ("入学前户口所在地", "入学前户口所在地"), ("手机号码", "手机"), ("固定电话", "固定电话"),
             ("电子邮箱", "电子邮箱"), ("邮编", "邮编"), ("困难状况", "困难状况"),
             ("就业地意向", "就业地意向"), ("就业意向", "就业意向"), ("就业服务需求", "就业服务需求"),
             ("就业去向", "就业去向"), ("更新时间", "更新时间"), ("登记单位", "登记单位")]

# --------------------------------------------------------------------------------------------
# Reference lists (hard-coded so that the output never depends on other files; every division
# code below is a real GB/T 2260 code in use in 2012 unless marked historic, checked against
# scripts/reference/divisions.tsv when that file is present).

SURNAMES = [("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
            ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"),
            ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("高", "gao"),
            ("林", "lin"), ("罗", "luo"), ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"),
            ("唐", "tang"), ("许", "xu"), ("韩", "han"), ("冯", "feng"), ("邓", "deng"), ("曹", "cao"),
            ("彭", "peng"), ("曾", "zeng"), ("肖", "xiao"), ("田", "tian"), ("董", "dong"), ("袁", "yuan"),
            ("潘", "pan"), ("于", "yu"), ("蒋", "jiang"), ("蔡", "cai"), ("余", "yu"), ("杜", "du"),
            ("叶", "ye"), ("程", "cheng"), ("苏", "su"), ("魏", "wei"), ("吕", "lv"), ("丁", "ding"),
            ("任", "ren"), ("沈", "shen"), ("姚", "yao"), ("卢", "lu"), ("姜", "jiang"), ("崔", "cui"),
            ("钟", "zhong"), ("谭", "tan"), ("陆", "lu"), ("汪", "wang"), ("范", "fan"), ("金", "jin"),
            ("石", "shi"), ("廖", "liao"), ("贾", "jia"), ("夏", "xia"), ("方", "fang"), ("邹", "zou"),
            ("孟", "meng"), ("熊", "xiong"), ("秦", "qin"), ("邱", "qiu"), ("江", "jiang"), ("尹", "yin"),
            ("薛", "xue"), ("段", "duan"), ("雷", "lei"), ("侯", "hou"), ("龙", "long"), ("史", "shi"),
            ("陶", "tao"), ("贺", "he"), ("顾", "gu"), ("毛", "mao"), ("郝", "hao"), ("龚", "gong"),
            ("邵", "shao"), ("钱", "qian"), ("严", "yan"), ("戴", "dai"), ("应", "ying"), ("楼", "lou"),
            ("章", "zhang"), ("项", "xiang"), ("虞", "yu"), ("欧阳", "ouyang"), ("司马", "sima"),
            ("诸葛", "zhuge")]
MALE_CHARS = [("伟", "wei"), ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("勇", "yong"), ("杰", "jie"),
              ("涛", "tao"), ("斌", "bin"), ("超", "chao"), ("明", "ming"), ("刚", "gang"), ("平", "ping"),
              ("辉", "hui"), ("鹏", "peng"), ("华", "hua"), ("飞", "fei"), ("鑫", "xin"), ("波", "bo"),
              ("宇", "yu"), ("浩", "hao"), ("凯", "kai"), ("健", "jian"), ("俊", "jun"), ("帆", "fan"),
              ("帅", "shuai"), ("旭", "xu"), ("宁", "ning"), ("龙", "long"), ("林", "lin"), ("博", "bo"),
              ("亮", "liang"), ("晨", "chen"), ("阳", "yang"), ("峰", "feng"), ("文", "wen"), ("建", "jian"),
              ("志", "zhi"), ("海", "hai"), ("东", "dong"), ("成", "cheng"), ("立", "li"), ("振", "zhen"),
              ("天", "tian"), ("子", "zi"), ("家", "jia"), ("嘉", "jia"), ("晓", "xiao"), ("国", "guo"),
              ("永", "yong"), ("佳", "jia"), ("一", "yi"), ("泽", "ze"), ("豪", "hao"), ("航", "hang")]
FEMALE_CHARS = [("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"), ("艳", "yan"),
                ("娟", "juan"), ("霞", "xia"), ("婷", "ting"), ("雪", "xue"), ("琳", "lin"), ("洁", "jie"),
                ("颖", "ying"), ("倩", "qian"), ("玲", "ling"), ("萍", "ping"), ("红", "hong"), ("燕", "yan"),
                ("佳", "jia"), ("欣", "xin"), ("悦", "yue"), ("慧", "hui"), ("晶", "jing"), ("莉", "li"),
                ("丹", "dan"), ("蕾", "lei"), ("璐", "lu"), ("思", "si"), ("雨", "yu"), ("梦", "meng"),
                ("瑶", "yao"), ("雅", "ya"), ("妍", "yan"), ("月", "yue"), ("春", "chun"), ("秀", "xiu"),
                ("晓", "xiao"), ("文", "wen"), ("露", "lu"), ("琪", "qi"), ("婧", "jing"), ("蓉", "rong"),
                ("萱", "xuan"), ("怡", "yi"), ("然", "ran"), ("楠", "nan"), ("茜", "qian"), ("薇", "wei")]
# Homophone spellings keyed by mistake at a follow-up (IDENTITY_MISMATCH).
HOMOPHONES = {"伟": "玮", "静": "婧", "丽": "莉", "杰": "洁", "明": "铭", "华": "桦", "磊": "垒",
              "婷": "亭", "芳": "方", "军": "君", "峰": "锋", "琳": "林", "娜": "纳", "涛": "滔",
              "敏": "民", "鹏": "朋", "颖": "莹", "晶": "京", "健": "建", "超": "朝"}

# Ethnic groups: (canonical name, GB/T 3304 code, weight among non-Han).
MINORITIES = [("回族", "03", 6), ("满族", "11", 6), ("蒙古族", "02", 4), ("壮族", "08", 3),
              ("土家族", "15", 3), ("苗族", "06", 2), ("朝鲜族", "10", 2), ("畲族", "22", 3),
              ("维吾尔族", "05", 2), ("藏族", "04", 1), ("彝族", "07", 1)]
UYGHUR_NAMES = {"男": ["艾力·买买提", "买买提江·阿不都", "阿不都热合曼·吐尔逊", "艾合买提·依明",
                       "阿迪力·吾守尔", "伊力亚尔·艾海提"],
                "女": ["阿依古丽·买买提", "古丽米拉·吐尔逊", "热依拉·艾买提", "迪丽努尔·阿不都",
                       "米日古丽·依明", "努尔比亚·热合曼"]}
TIBETAN_NAMES = {"男": ["扎西顿珠", "次仁多吉", "格桑旺堆", "索朗平措"],
                 "女": ["卓玛", "次仁央宗", "德吉措姆", "拉姆"]}
BAD_ETHNIC = ["汉人", "穿青人", "99", "汉族人"]

# Schools, by kind.
UNIS_BJ = ["北京大学", "清华大学", "中国人民大学", "北京师范大学", "北京交通大学", "北京理工大学",
           "北京航空航天大学", "北京科技大学", "北京邮电大学", "北京化工大学", "北京工业大学", "北京工商大学",
           "首都师范大学", "首都经济贸易大学", "中央财经大学", "对外经济贸易大学", "中国政法大学",
           "北京林业大学", "中国农业大学", "北京语言大学", "北京信息科技大学", "北方工业大学", "北京联合大学"]
UNIS_ZJ = ["浙江大学", "浙江工业大学", "浙江师范大学", "宁波大学", "杭州电子科技大学", "浙江理工大学",
           "浙江工商大学", "杭州师范大学", "温州大学", "温州医学院", "中国计量学院", "浙江财经学院",
           "浙江海洋学院", "浙江农林大学", "浙江科技学院", "浙江传媒学院", "浙江万里学院", "宁波诺丁汉大学"]
UNIS_OTHER = ["武汉大学", "华中科技大学", "四川大学", "山东大学", "郑州大学", "湖南大学", "南京大学",
              "东南大学", "吉林大学", "南开大学", "天津大学", "西安交通大学", "中南大学", "河北师范大学",
              "安徽大学", "江西师范大学", "湖北大学", "黑龙江大学", "辽宁大学", "兰州大学", "新疆大学",
              "西藏大学", "延边大学", "广西大学"]
VOC_BJ = ["北京电子科技职业学院", "北京工业职业技术学院", "北京财贸职业学院", "北京信息职业技术学院",
          "北京劳动保障职业学院", "北京农业职业学院", "北京青年政治学院"]
VOC_ZJ = ["浙江金融职业学院", "浙江机电职业技术学院", "浙江经济职业技术学院", "宁波职业技术学院",
          "温州职业技术学院", "杭州职业技术学院", "浙江交通职业技术学院", "浙江商业职业技术学院",
          "浙江旅游职业学院", "浙江工贸职业技术学院", "宁波城市职业技术学院", "温州科技职业学院"]
VOC_OTHER = ["天津职业大学", "深圳职业技术学院", "武汉职业技术学院", "重庆电子工程职业学院",
             "长沙民政职业技术学院", "湖南铁道职业技术学院"]
OTHER_BJ = ["北京广播电视大学", "中央广播电视大学"]
OTHER_ZJ = ["浙江广播电视大学", "中央广播电视大学"]

MAJORS_UG = ["计算机科学与技术", "软件工程", "电子信息工程", "通信工程", "自动化", "机械设计制造及其自动化",
             "土木工程", "建筑学", "化学工程与工艺", "环境工程", "生物技术", "数学与应用数学", "物理学",
             "汉语言文学", "英语", "日语", "新闻学", "法学", "社会工作", "行政管理", "公共事业管理",
             "人力资源管理", "会计学", "财务管理", "金融学", "国际经济与贸易", "市场营销", "工商管理",
             "电子商务", "旅游管理", "物流管理", "临床医学", "护理学", "药学", "历史学", "哲学", "心理学",
             "教育学", "学前教育", "美术学", "音乐学", "艺术设计", "食品科学与工程", "农学", "动物医学",
             "材料科学与工程", "统计学", "经济学", "信息管理与信息系统", "广告学"]
MAJORS_VOC = ["计算机应用技术", "计算机网络技术", "软件技术", "电子商务", "会计电算化", "会计", "市场营销",
              "物流管理", "酒店管理", "旅游管理", "商务英语", "应用英语", "国际贸易实务", "机电一体化技术",
              "数控技术", "模具设计与制造", "汽车检测与维修技术", "建筑工程技术", "工程造价", "护理",
              "学前教育", "文秘", "电气自动化技术", "物业管理", "投资与理财", "金融管理与实务",
              "报关与国际货运", "服装设计", "动漫设计与制作", "环境艺术设计"]
MAJORS_GRAD = ["产业经济学", "企业管理", "计算机应用技术", "材料学", "应用数学", "马克思主义基本原理",
               "法学理论", "国际贸易学", "会计学", "金融学", "社会学", "教育学原理", "有机化学",
               "凝聚态物理", "结构工程", "通信与信息系统", "控制理论与控制工程", "中国古代文学",
               "新闻学", "行政管理", "环境科学", "生物化学与分子生物学"]

# Division codes (current in 2012 unless noted). ID regions of people born before a district was
# set up use the code in use then (e.g. 通县 110223 for 通州区), as real IDs do.
BJ_CODES = ["110101", "110102", "110105", "110106", "110107", "110108", "110109", "110111", "110112",
            "110113", "110114", "110115", "110116", "110117", "110228", "110229"]
BJ_HISTORIC = ["110103", "110104"]  # 崇文区, 宣武区 (until 2010)
ZJ_CODES = {
    "3301": ["330102", "330103", "330104", "330105", "330106", "330108", "330109", "330110", "330122",
             "330127", "330182", "330183", "330185"],
    "3302": ["330203", "330204", "330205", "330206", "330211", "330212", "330225", "330226", "330281",
             "330282", "330283"],
    "3303": ["330302", "330303", "330304", "330322", "330324", "330326", "330327", "330328", "330329",
             "330381", "330382"],
    "other": ["330402", "330411", "330421", "330424", "330481", "330482", "330483", "330502", "330503",
              "330521", "330522", "330523", "330602", "330621", "330624", "330681", "330682", "330683",
              "330702", "330703", "330723", "330781", "330782", "330783", "330784", "330802", "330803",
              "330822", "330881", "330902", "330903", "330921", "331002", "331003", "331004", "331081",
              "331082", "331102", "331121", "331181"],
}
PREFECTURES = ["110000", "330100", "330200", "330300", "330400", "330600", "330700", "331000"]
OTHER_PROV = ["120101", "130102", "140105", "150102", "210102", "220102", "230102", "310104", "320102",
              "320106", "340104", "342221", "350102", "360102", "370102", "370202", "410105", "420106",
              "430104", "440106", "450102", "500103", "510107", "520102", "530102", "610113", "620102"]
ERA_ID_REGION = {  # current code -> code in use when people born 1984-1992 got their number
    "110111": "110225", "110112": "110223", "110113": "110222", "110114": "110221", "110115": "110224",
    "110116": "110227", "110117": "110226", "330109": "330121", "330110": "330125", "330183": "330123",
    "330185": "330124", "330212": "330227", "330482": "330422", "330483": "330423",
}
UNKNOWN_REGION = "339999"  # not a division code: ID_REGION_UNKNOWN / HUKOU_INVALID

CITY_PROFILE = {  # by the first 4 digits of a county code: landline area code, postcode stem, schools
    "1101": dict(tel="010", post=["1000", "1001", "1000", "1011"], unis=UNIS_BJ, voc=VOC_BJ, other=OTHER_BJ),
    "3301": dict(tel="0571", post=["3100", "3100", "3101", "3112"], unis=UNIS_ZJ, voc=VOC_ZJ, other=OTHER_ZJ),
    "3302": dict(tel="0574", post=["3150", "3151", "3150", "3151"], unis=UNIS_ZJ, voc=VOC_ZJ, other=OTHER_ZJ),
    "3303": dict(tel="0577", post=["3250", "3250", "3252", "3250"], unis=UNIS_ZJ, voc=VOC_ZJ, other=OTHER_ZJ),
}
COUNTY_SIZE = {"110105": 190, "110108": 210, "110112": 90, "330106": 150, "330108": 80, "330203": 110,
               "330212": 140, "330302": 120, "330303": 60}
MONTH_FACTOR = [1.0, 0.55, 0.35, 0.3]  # new registrations: most right after leaving school
FOLLOW_SHARE = [0.0, 0.28, 0.30, 0.30]  # share of the county's open cases followed up each month

EMAIL_DOMAINS = ["163.com", "126.com", "sina.com", "sohu.com", "yahoo.com.cn", "hotmail.com", "gmail.com",
                 "139.com"]
MOBILE_PREFIXES = ["130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "147", "150",
                   "151", "152", "153", "155", "156", "157", "158", "159", "180", "182", "183", "186",
                   "187", "188", "189"]
# 就业去向 weights (1..15): 非国有企业 and 灵活就业 dominate; 见习/培训/升学出国 appear.
DEST_WEIGHTS = {"1": 3, "2": 7, "3": 9, "4": 30, "5": 4, "6": 3, "7": 3, "8": 1, "9": 14, "10": 1,
                "11": 8, "12": 5, "13": 5, "14": 2, "15": 5}
INTENT_WEIGHTS = {"1": 14, "2": 16, "3": 40, "4": 6, "5": 5, "6": 2, "7": 8, "8": 3, "A": 4}
NEEDS_WEIGHTS = {"1": 18, "2": 30, "3": 22, "4": 14, "5": 10, "6": 4, "7": 4, "8": 3, "9": 3, "A": 2}
EDU_NAMES = {"1": ["博士研究生", "博士"], "2": ["硕士研究生", "硕士"], "3": ["大学本科", "本科"],
             "4": ["大学专科", "专科"], "5": ["其他"]}

# --------------------------------------------------------------------------------------------
# Defect kinds: (name, applies to new/follow rows, column it needs, rejects the row, fixable later)
DEFECTS = [
    # rejects
    ("id_checksum", "new", None, True, False),
    ("id_format", "new", None, True, False),
    ("id_birthdate", "new", None, True, False),
    ("sex_mismatch", "new", None, True, True),
    ("sex_invalid", "new", None, True, True),
    ("ethnic_invalid", "new", None, True, True),
    ("name_invalid", "new", None, True, True),
    ("major_empty", "new", None, True, True),
    ("school_too_long", "both", None, True, True),
    ("grad_yyyymm", "new", None, True, True),
    ("grad_bad_date", "new", None, True, True),
    ("grad_window", "new", None, True, False),
    ("edu_invalid", "new", None, True, True),
    ("hukou_unknown", "new", None, True, True),
    ("hardship_14", "new", None, True, True),
    ("workplace_12", "new", None, True, True),
    ("intent_invalid", "new", None, True, True),
    ("needs_invalid", "new", None, True, True),
    ("dest_16", "follow", None, True, False),
    ("time_invalid", "both", "更新时间", True, True),
    ("time_too_early", "new", "更新时间", True, True),
    ("time_future", "both", "更新时间", True, False),
    ("unit_foreign", "new", "登记单位", True, False),
    ("line_quote", "new", None, True, True),
    ("line_fields", "new", None, True, True),
    # flags (row merged) and silent normalisations
    ("id_15", "new", None, False, False),
    ("id_lower_x", "new", None, False, False),
    ("id_region_unknown", "new", None, False, False),
    ("age_implausible", "new", None, False, False),
    ("mobile_invalid", "new", None, False, False),
    ("landline_invalid", "new", None, False, False),
    ("email_invalid", "new", None, False, False),
    ("postcode_invalid", "new", None, False, False),
    ("no_phone", "new", None, False, False),
    ("intent_9_combined", "new", None, False, False),
    ("needs_with_9", "new", None, False, False),
    ("needs_missing", "new", None, False, False),
    ("multi_repeated", "new", None, False, False),
    ("grad_after_update", "new", None, False, False),
]
DEFECT_INFO = {d[0]: d for d in DEFECTS}
RANDOM_DEFECT_RATE = 0.03
# County-months holding an odd file (see batch_style): GB18030, 附件2 template, reordered, 备注.
ODD_FILES = {("330203", "2012-09"), ("330106", "2012-09"), ("330302", "2012-10"), ("110108", "2012-10")}  # on top of the coverage schedule (every kind at least once)


# The county whose desks keep their batches in Excel (SPEC 8.2): every batch that a sheet can
# hold (no unterminated quote, no stray comma) is saved as .xlsx, typed as Excel holds what is
# keyed in (序号 a number, 毕业日期 and 更新时间 dates), the 附件2 template with merged preamble
# cells. The CSV it was made from is kept beside the data as its twin (ROOT/excel-twins/...),
# outside the inbox. Another office leaves an Excel lock file and a note in its inbox (SPEC 8.1).
EXCEL_COUNTY = "330106"
CLUTTER = ("330108", "2012-09")


def excel_batch(root, csv_path, b):
    """Saves the batch just written at csv_path as a workbook beside it (same rows, row i =
    line i) and moves the CSV to ROOT/excel-twins/; returns the workbook's path."""
    import openpyxl  # scripts/setup installs it
    with open(csv_path, "rb") as f:
        data = f.read()
    text = data.decode(b["encoding"])
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split(b["newline"])
    if lines and lines[-1] == "":
        lines.pop()
    rows = [next(csv.reader([ln]), []) for ln in lines]
    header_at = next(i for i, r in enumerate(rows) if "姓名" in r)
    header = rows[header_at]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "汇总表"
    for i, r in enumerate(rows, start=1):
        for j, v in enumerate(r, start=1):
            if v == "":
                continue
            name = header[j - 1] if i > header_at + 1 and j <= len(header) else None
            cell = ws.cell(row=i, column=j)
            if name == "序号" and v.isdigit():
                cell.value = int(v)
            elif name == "毕业日期" and re.fullmatch(r"20\d{6}", v) and valid_date(v):
                cell.value = dt.datetime.strptime(v, "%Y%m%d")
                cell.number_format = "yyyy/m/d"
            elif name == "更新时间" and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", v):
                cell.value = dt.datetime.strptime(v, "%Y-%m-%d %H:%M:%S")
                cell.number_format = "yyyy/m/d h:mm:ss"
            else:
                cell.value = v
    if b["kind"] == "template":  # title and preamble in merged cells, spread as the template has them
        width = len(header)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        pre = [v for v in rows[1] if v]
        for j in range(1, width + 1):
            ws.cell(row=2, column=j).value = None
        starts = [0, 3, 7, 11, 15][:len(pre)] + [width]
        for k, v in enumerate(pre):
            ws.cell(row=2, column=starts[k] + 1).value = v
            ws.merge_cells(start_row=2, start_column=starts[k] + 1, end_row=2, end_column=starts[k + 1])
    xlsx_path = csv_path[:-len(".csv")] + ".xlsx"
    wb.save(xlsx_path)
    normalise_zip_times(xlsx_path)
    st = os.stat(csv_path)
    os.utime(xlsx_path, (st.st_mtime, st.st_mtime))
    rel = os.path.relpath(csv_path, os.path.join(root, "data"))
    twin = os.path.join(root, "excel-twins", rel)
    os.makedirs(os.path.dirname(twin), exist_ok=True)
    os.replace(csv_path, twin)
    return xlsx_path


def valid_date(v):
    try:
        dt.datetime.strptime(v, "%Y%m%d")
        return True
    except ValueError:
        return False


def normalise_zip_times(path):
    """openpyxl stamps each part with the wall clock and docProps with now: rewrite both with
    fixed values so that the same seed gives byte-identical workbooks."""
    import zipfile
    with zipfile.ZipFile(path) as z:
        parts = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            if name == "docProps/core.xml":
                data = re.sub(rb"<dcterms:(created|modified)([^>]*)>[^<]*<",
                              rb"<dcterms:\1\2>2012-07-25T00:00:00Z<", data)
            info = zipfile.ZipInfo(name, date_time=(2012, 7, 25, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def write_clutter(inbox, period):
    """What an office leaves in its inbox: Excel's lock file of an open workbook (passed over)
    and a note for the next clerk (FILE_SKIPPED, info)."""
    mt = period_start(next_period(period)).replace(hour=8).timestamp()
    lock = os.path.join(inbox, "~$batch-01.xlsx")
    with open(lock, "wb") as f:
        f.write(bytes([6]) + "陈静".encode("utf-16-le") + b"\0" * (162 - 5))
    note = os.path.join(inbox, "说明.txt")
    with open(note, "w", encoding="utf-8") as f:
        f.write("9月批次：batch-01为窗口登记，其余为回访更新。原件存档于档案室。\n")
    for p in (lock, note):
        os.utime(p, (mt, mt))


# --------------------------------------------------------------------------------------------
class Person:
    """One registered graduate: the values of the last accepted row keyed for them."""

    def __init__(self, **kw):
        self.__dict__.update(kw)

    def copy(self):
        return Person(**dict(self.__dict__))


def weighted(rng, table):
    keys = list(table)
    return rng.choices(keys, weights=[table[k] for k in keys])[0]


def pick_options(rng, table, lo, hi):
    n = rng.choice(range(lo, hi + 1))
    keys = list(table)
    chosen = []
    while len(chosen) < n:
        k = rng.choices(keys, weights=[table[x] for x in keys])[0]
        if k not in chosen:
            chosen.append(k)
    return canon_options(chosen)


def canon_options(opts):
    order = "123456789A"
    return sorted(set(opts), key=order.index)


def china(y, m, d, hh=0, mm=0, ss=0):
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=CHINA)


def period_start(p):
    y, m = map(int, p.split("-"))
    return china(y, m, 1)


def next_period(p):
    y, m = map(int, p.split("-"))
    return f"{y + (m == 12)}-{(m % 12) + 1:02d}"


class Generator:
    def __init__(self, config, seed, periods, unshipped=()):
        self.config = config
        self.unshipped = set(unshipped)  # (county, period) whose output never reaches the parent
        self.rng = random.Random(seed)
        self.periods = periods
        units = config["units"]
        self.units = {u["code"]: u for u in units}
        self.counties = sorted(u["code"] for u in units if u.get("level") == "county")
        if not self.counties:
            raise SystemExit("gen_demo: the configuration has no county")
        self.used_ids = set()
        self.pool = {c: [] for c in self.counties}  # accepted persons, by county
        self.to_fix = {c: [] for c in self.counties}  # rejected last month, to be re-keyed
        self.coverage = [d[0] for d in DEFECTS]
        self.rng.shuffle(self.coverage)
        self.used_kinds = set()
        self.stats = {"files": 0, "lines": 0}

    # ---------------------------------------------------------------- people
    def profile(self, county):
        return CITY_PROFILE.get(county[:4]) or (CITY_PROFILE["1101"] if county.startswith("11")
                                                else CITY_PROFILE["3301"])

    def hukou_for(self, county):
        r = self.rng.random()
        if r < 0.58:
            return county
        if r < 0.60:
            return self.rng.choice(PREFECTURES)
        if county.startswith("11"):
            if r < 0.83:
                return self.rng.choice(BJ_CODES + BJ_HISTORIC[:1])
            if r < 0.88:
                return self.rng.choice(ZJ_CODES["3301"] + ZJ_CODES["other"])
        else:
            if r < 0.70:
                return self.rng.choice(ZJ_CODES.get(county[:4], ZJ_CODES["3301"]))
            if r < 0.86:
                return self.rng.choice(ZJ_CODES["other"] + ZJ_CODES["3301"] + ZJ_CODES["3302"]
                                       + ZJ_CODES["3303"])
            if r < 0.88:
                return self.rng.choice(BJ_CODES)
        return self.rng.choice(OTHER_PROV)

    def id_region_for(self, hukou):
        if len(hukou) == 6 and hukou.endswith("00"):  # a prefecture or province: born in one of its counties
            pool = [c for c in BJ_CODES + sum(ZJ_CODES.values(), []) if c.startswith(hukou[:4 if hukou[2:4] != "00" else 2])]
            hukou = self.rng.choice(pool or BJ_CODES)
        if self.rng.random() < 0.85:
            code = hukou
        else:
            code = self.rng.choice(BJ_CODES + BJ_HISTORIC + ZJ_CODES["other"] + OTHER_PROV)
        return ERA_ID_REGION.get(code, code)

    def make_id(self, region, birth, male, want_x=False):
        for _ in range(10000):
            seq = self.rng.randrange(1000)
            if (seq % 2 == 1) != male:
                seq ^= 1
            s17 = f"{region}{birth:%Y%m%d}{seq:03d}"
            full = s17 + check_digit(s17)
            if full in self.used_ids or (want_x and full[-1] != "X"):
                continue
            self.used_ids.add(full)
            return full
        raise RuntimeError("could not draw a fresh ID")

    def new_person(self, county, period, edu=None, ethnic=None, want_x=False, birth_year=None):
        rng = self.rng
        prof = self.profile(county)
        sex = rng.choice(["男", "女"])
        male = sex == "男"
        if edu is None:
            edu = rng.choices(["1", "2", "3", "4", "5"], weights=[2, 10, 50, 35, 3])[0]
        years = {"1": (1984, 1986), "2": (1985, 1989), "3": (1988, 1991), "4": (1989, 1992), "5": (1984, 1992)}[edu]
        by = birth_year or rng.randint(*years)
        birth = dt.date(by, rng.randint(1, 12), 1)
        birth = birth.replace(day=rng.randint(1, calendar.monthrange(by, birth.month)[1]))
        if ethnic is None:
            ethnic = "汉族" if rng.random() < 0.93 else rng.choices(
                [m[0] for m in MINORITIES], weights=[m[2] for m in MINORITIES])[0]
        hukou = self.hukou_for(county)
        region = self.id_region_for(hukou)
        if ethnic == "维吾尔族":
            name, pinyin = rng.choice(UYGHUR_NAMES[sex]), None
            region = rng.choice(["650102", "650103", "650104"]) if rng.random() < 0.7 else region
        elif ethnic == "藏族":
            name, pinyin = rng.choice(TIBETAN_NAMES[sex]), None
            region = "540102" if rng.random() < 0.7 else region
        else:
            sur = rng.choices(SURNAMES, weights=[1.0 / (i + 6) for i in range(len(SURNAMES))])[0]
            chars = MALE_CHARS if male else FEMALE_CHARS
            given = [rng.choice(chars) for _ in range(1 if rng.random() < 0.35 else 2)]
            name = sur[0] + "".join(g[0] for g in given)
            pinyin = sur[1] + "".join(g[1] for g in given)
        pid = self.make_id(region, birth, male, want_x=want_x)
        # school, major, graduation date fit the education level
        if edu in ("1", "2"):
            school = rng.choice(prof["unis"] * 2 + UNIS_BJ + UNIS_OTHER)
            major = rng.choice(MAJORS_GRAD)
            grad = rng.choice(["20120601", "20120615", "20120620", "20120625", "20120628", "20120630",
                               "20120110", "20120705"])
        elif edu == "3":
            school = rng.choice(prof["unis"] * 3 + UNIS_OTHER)
            major = rng.choice(MAJORS_UG)
            grad = rng.choice(["20120615", "20120620", "20120625", "20120628", "20120630", "20120630",
                               "20120701", "20120705", "20120710"])
        elif edu == "4":
            school = rng.choice(prof["voc"] * 3 + VOC_OTHER)
            major = rng.choice(MAJORS_VOC)
            grad = rng.choice(["20120615", "20120620", "20120625", "20120630", "20120701", "20120710"])
        else:
            school = rng.choice(prof["other"])
            major = rng.choice(MAJORS_VOC + MAJORS_UG)
            grad = rng.choice(["20120110", "20120630", "20120701"])
        email = ""
        r = rng.random()
        if r < 0.35:
            email = f"{rng.randint(10000, 2999999999)}@qq.com"
        elif r < 0.72:
            handle = pinyin or f"user{rng.randint(100, 999)}"
            if rng.random() < 0.6:
                handle += rng.choice([str(by)[2:], str(by), str(rng.randint(1, 999))])
            email = f"{handle}@{rng.choice(EMAIL_DOMAINS)}"
        post = (rng.choice(prof["post"]) + f"{rng.randint(0, 99):02d}") if rng.random() < 0.7 else ""
        mobile = (rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99999999):08d}") if rng.random() < 0.92 else ""
        landline = ""
        if not mobile or rng.random() < 0.22:
            landline = f"{prof['tel']}-{rng.choice('5678')}{rng.randint(0, 9999999):07d}"
        hardship = rng.choices([["4"], ["2"], ["1"], ["3"], ["1", "2"], ["2", "3"]],
                               weights=[85, 8, 2, 1, 3, 1])[0]
        workplace = rng.choices(["1", "2", "3"], weights=[20, 55, 25])[0]
        if rng.random() < 0.06:
            intent, needs = ["9"], []
        else:
            intent = pick_options(rng, INTENT_WEIGHTS, 1, 3)
            needs = pick_options(rng, NEEDS_WEIGHTS, 1, 3)
        return Person(county=county, name=name, sex=sex, ethnic=ethnic, id=pid, school=school, grad=grad,
                      edu=edu, major=major, hukou=hukou, email=email, post=post, mobile=mobile,
                      landline=landline, hardship=hardship, workplace=workplace, intent=intent,
                      needs=needs, dest="", time=None, registered=period)

    # ---------------------------------------------------------------- times
    def time_in(self, period, after=None):
        start = period_start(period)
        y, m = start.year, start.month
        ndays = calendar.monthrange(y, m)[1]
        lo = start if after is None else max(start, after + dt.timedelta(minutes=5))
        hi = china(y, m, ndays, 20, 0, 0)
        if lo >= hi:
            return hi
        span = int((hi - lo).total_seconds())
        for _ in range(50):
            t = lo + dt.timedelta(seconds=self.rng.randrange(span))
            if 8 <= t.hour < 20:
                return t
        return lo

    # ---------------------------------------------------------------- rendering
    def render(self, p, t, style, dest=None, noise=True):
        """The row's cells (canonical column -> text), in the notations a desk would type."""
        rng = self.rng
        q = (lambda prob: noise and rng.random() < prob)
        cells = {}
        name = p.name
        if "·" in name and q(0.4):
            name = name.replace("·", rng.choice(["•", "・", "."]))
        if q(0.01):
            name = "\u3000" + name
        elif q(0.01):
            name = name + " "
        cells["姓名"] = name
        cells["性别"] = ({"男": "1", "女": "2"}[p.sex]) if q(0.01) else p.sex
        eth = p.ethnic
        if q(0.03) and eth.endswith("族"):
            eth = eth[:-1]
        elif q(0.02):
            eth = {"汉族": "01", **{m[0]: m[1] for m in MINORITIES}}.get(eth, eth)
        cells["民族"] = eth
        cells["公民身份号码"] = p.id
        cells["毕业院校"] = p.school + (" " if q(0.01) else "")
        g = p.grad
        fmt = style.get("date", "compact")
        if noise:
            fmt = rng.choices([fmt, "dash", "slash", "dot", "cjk"], weights=[85, 6, 5, 2, 2])[0]
        y, mo, d = g[:4], int(g[4:6]), int(g[6:])
        cells["毕业日期"] = {"compact": g, "dash": f"{y}-{mo:02d}-{d:02d}", "slash": f"{y}/{mo}/{d}",
                           "dot": f"{y}.{mo}.{d}", "cjk": f"{y}年{mo}月{d}日"}[fmt]
        cells["学历"] = rng.choice(EDU_NAMES[p.edu]) if q(0.015) else p.edu
        cells["所学专业"] = p.major
        cells["入学前户口所在地"] = p.hukou
        cells["电子邮箱"] = p.email
        cells["邮编"] = p.post
        mob = p.mobile
        if mob and q(0.01):
            mob = "+86" + mob
        elif mob and q(0.005):
            mob = mob.translate({ord(c): 0xFF10 + int(c) for c in "0123456789"})  # full-width digits
        cells["手机号码"] = mob
        cells["固定电话"] = p.landline
        cells["困难状况"] = self.multi(p.hardship, noise)
        cells["就业地意向"] = p.workplace
        cells["就业意向"] = self.multi(p.intent, noise)
        cells["就业服务需求"] = self.multi(p.needs, noise)
        cells["就业去向"] = p.dest if dest is None else dest
        tfmt = style.get("time", "space")
        if noise and q(0.03):
            tfmt = rng.choice(["space", "iso", "t"])
        cells["更新时间"] = {"space": f"{t:%Y-%m-%d %H:%M:%S}", "iso": f"{t:%Y-%m-%dT%H:%M:%S}+08:00",
                          "t": f"{t:%Y-%m-%dT%H:%M:%S}"}[tfmt]
        cells["登记单位"] = "" if q(0.05) else p.county
        return cells

    def multi(self, opts, noise=True):
        if len(opts) <= 1 or not noise:
            s = "".join(opts)
        else:
            sep = self.rng.choices(["", "、", ",", " "], weights=[90, 5, 3, 2])[0]
            s = sep.join(opts)
        if noise and "A" in s and self.rng.random() < 0.1:
            s = s.replace("A", "a")
        return s

    # ---------------------------------------------------------------- defects
    def apply_defect(self, kind, row, county, period, batch):
        """Change row (a dict with 'cells', 'person', ...) to carry the defect. Returns False if it
        cannot be applied to this row."""
        rng = self.rng
        c = row["cells"]
        p = row["person"]
        info = DEFECT_INFO[kind]
        if info[2] and info[2] not in batch["columns"]:
            return False
        if info[1] == "new" and row["kind"] != "new":
            return False
        if info[1] == "follow" and row["kind"] != "follow":
            return False
        if row.get("special") or row.get("defect"):
            return False
        pid = p.id
        first = kind not in self.used_kinds  # the first of each kind uses the textbook value
        if kind == "id_checksum":
            wrong = [x for x in "0123456789X" if x != pid[-1]]
            c["公民身份号码"] = pid[:17] + rng.choice(wrong)
        elif kind == "id_format":
            c["公民身份号码"] = rng.choice([pid[:17], pid[:10] + "O" + pid[11:], pid + "1"])
        elif kind == "id_birthdate":
            s17 = pid[:6] + rng.choice([pid[6:10] + "0230", pid[6:10] + "0931", pid[6:10] + "1301"]) + pid[14:17]
            c["公民身份号码"] = s17 + check_digit(s17)
        elif kind == "sex_mismatch":
            c["性别"] = "女" if p.sex == "男" else "男"
        elif kind == "sex_invalid":
            c["性别"] = rng.choice(["未知", "M", "男性"])
        elif kind == "ethnic_invalid":
            c["民族"] = rng.choice(BAD_ETHNIC)
        elif kind == "name_invalid":
            if "·" in p.name:
                return False
            c["姓名"] = rng.choice([p.name + "（曾用名" + p.name[:1] + "某）", p.name[:1] + "2" + p.name[1:]])
        elif kind == "major_empty":
            c["所学专业"] = ""
        elif kind == "school_too_long":
            c["毕业院校"] = (p.school + "（原" + p.school + "继续教育学院成人高等教育函授站暨夜大学，"
                         "学历证书以教育部学信网电子注册备案信息为准，如有疑问请联系院校学籍管理部门）")
        elif kind == "grad_yyyymm":
            c["毕业日期"] = "201207" if first else p.grad[:6]
        elif kind == "grad_bad_date":
            c["毕业日期"] = "20121332" if first else rng.choice(["20121332", "20120631", "20120230"])
        elif kind == "grad_window":
            c["毕业日期"] = "2013-06-28" if first else rng.choice(["2013-06-28", "20110630", "2013/7/1"])
        elif kind == "edu_invalid":
            c["学历"] = rng.choice(["6", "0", "研究生班"])
        elif kind == "hukou_unknown":
            c["入学前户口所在地"] = rng.choice([UNKNOWN_REGION, "浙江省温州市", "1101", "110118"])
        elif kind == "hardship_14":
            c["困难状况"] = "14"
        elif kind == "workplace_12":
            c["就业地意向"] = "12"
        elif kind == "intent_invalid":
            c["就业意向"] = rng.choice(["0", "B", "3B"])
        elif kind == "needs_invalid":
            if not p.needs:
                return False
            c["就业服务需求"] = rng.choice(["0", "2B", "10"])
        elif kind == "dest_16":
            c["就业去向"] = "16"
        elif kind == "time_invalid":
            t = row["time"]
            c["更新时间"] = rng.choice([f"{t:%Y-%m-%d} 25:{t:%M:%S}", f"{t:%Y.%m.%d %H:%M}", f"{t:%Y%m%d}",
                                       f"{t:%Y-%m}-32 10:00:00"])
        elif kind == "time_too_early":
            c["更新时间"] = f"2011-{row['time']:%m-%d %H:%M:%S}"
        elif kind == "time_future":
            nxt = period_start(next_period(period))
            t = nxt + dt.timedelta(days=rng.randint(9, 20), hours=rng.randint(9, 17), minutes=rng.randint(0, 59))
            c["更新时间"] = f"{t:%Y-%m-%d %H:%M:%S}"
        elif kind == "unit_foreign":
            others = [x for x in self.counties if x != county]
            c["登记单位"] = rng.choice(others)
        elif kind in ("line_quote", "line_fields"):
            row["raw"] = kind  # done when the line is written
        elif kind == "id_15":
            if pid[6:8] != "19":
                return False
            c["公民身份号码"] = pid[:6] + pid[8:17]
        elif kind == "id_lower_x":
            q = self.new_person(county, period, want_x=True)
            q.time = p.time
            row["person"] = p = q
            row["cells"] = c = self.render(q, row["time"], batch["style"])
            c["公民身份号码"] = q.id[:17] + "x"
        elif kind == "id_region_unknown":
            q = p.copy()
            self.used_ids.discard(p.id)
            q.id = self.make_id(UNKNOWN_REGION, dt.date(int(p.id[6:10]), int(p.id[10:12]), int(p.id[12:14])),
                                p.sex == "男")
            row["person"] = p = q
            c["公民身份号码"] = q.id
        elif kind == "age_implausible":
            q = self.new_person(county, period, edu="5", birth_year=rng.choice([1949, 1950, 1951]))
            row["person"] = p = q
            row["cells"] = c = self.render(q, row["time"], batch["style"])
        elif kind == "mobile_invalid":
            if not p.mobile:
                return False
            p.mobile = rng.choice(["2" + p.mobile[1:], p.mobile[:10], p.mobile[:3] + "-" + p.mobile[3:7]
                                   + "-" + p.mobile[7:], "1" + p.mobile[2:] + "00"])
            c["手机号码"] = p.mobile
        elif kind == "landline_invalid":
            p.landline = rng.choice([f"{rng.choice('5678')}{rng.randint(0, 9999999):07d}", "0571-123", "转分机888"])
            c["固定电话"] = p.landline
        elif kind == "email_invalid":
            handle = p.email.split("@")[0] if p.email else f"ke{rng.randint(100, 999)}"
            p.email = rng.choice([f"{handle}@163", f"{handle}.163.com", f"{handle}@@qq.com", "无"])
            c["电子邮箱"] = p.email
        elif kind == "postcode_invalid":
            p.post = rng.choice(["31000", "3100123", "10008O", "无"])
            c["邮编"] = p.post
        elif kind == "no_phone":
            p.mobile = p.landline = ""
            c["手机号码"] = c["固定电话"] = ""
        elif kind == "intent_9_combined":
            p.intent = canon_options([rng.choice(["2", "3", "7"]), "9"])
            if not p.needs:
                p.needs = ["2"]
            c["就业意向"], c["就业服务需求"] = "".join(p.intent), "".join(p.needs)
        elif kind == "needs_with_9":
            p.intent, p.needs = ["9"], [rng.choice(["1", "2", "5"])]
            c["就业意向"], c["就业服务需求"] = "9", "".join(p.needs)
        elif kind == "needs_missing":
            if p.intent == ["9"]:
                return False
            p.needs = []
            c["就业服务需求"] = ""
        elif kind == "multi_repeated":
            if first or len(p.needs) < 2:
                p.needs = ["1", "2"]  # written 112
            c["就业服务需求"] = p.needs[0] + "".join(p.needs)
        elif kind == "grad_after_update":
            p.grad = "20121220"
            p.edu = rng.choice(["1", "2"])
            c["毕业日期"], c["学历"] = p.grad, p.edu
        else:
            raise ValueError(kind)
        row["defect"] = kind
        self.used_kinds.add(kind)
        return True

    # ---------------------------------------------------------------- one county, one month
    def county_month(self, county, pi, period, specials):
        rng = self.rng
        shipped = (county, period) not in self.unshipped
        busy = {id(r["person"]) for group in specials for r in group}
        base = COUNTY_SIZE.get(county, 100)
        n_new = max(20, int(base * MONTH_FACTOR[min(pi, len(MONTH_FACTOR) - 1)] * rng.uniform(0.8, 1.2)))
        rows = []
        # follow-ups of open (and a few closed) cases registered before this month
        earlier = [p for p in self.pool[county] if p.registered != period and id(p) not in busy]
        open_cases = [p for p in earlier if not p.dest]
        closed = [p for p in earlier if p.dest in ("11", "12")]  # 见习/培训 then a job
        n_follow = int(len(open_cases) * FOLLOW_SHARE[min(pi, len(FOLLOW_SHARE) - 1)])
        chosen = rng.sample(open_cases, min(n_follow, len(open_cases)))
        chosen += rng.sample(closed, len(closed) // 3)
        for p in chosen:
            t = self.time_in(period, after=p.time)
            dest = weighted(rng, DEST_WEIGHTS)
            if p.intent == ["9"] and rng.random() < 0.6:
                dest = "14"
            rows.append(dict(kind="follow", person=p, time=t, dest=dest))
        # corrected re-keys of rows rejected last month
        for p in self.to_fix[county]:
            if rng.random() < 0.6:
                rows.append(dict(kind="new", person=p, time=self.time_in(period), fix=True))
        self.to_fix[county] = []
        # new registrations
        n_new = max(n_new, 32 - len(rows))
        for _ in range(n_new):
            p = self.new_person(county, period)
            rows.append(dict(kind="new", person=p, time=self.time_in(period)))
        # re-imports of last month's sheet: identical rows (DUPLICATE of the base table)
        if pi > 0 and rng.random() < 0.5:
            for p in rng.sample(earlier, min(len(earlier), rng.randint(1, 3))):
                if not p.dest:
                    rows.append(dict(kind="reimport", person=p, time=p.time))
        rng.shuffle(rows)

        # batches: 1-3, each 30-200 rows
        total = len(rows)
        nb = max(1, min(3, -(-total // 170)))
        if nb < 3 and total > 90 and rng.random() < 0.4:
            nb += 1
        if (county, period) in ODD_FILES and total >= 60:
            nb = max(nb, 2)  # the odd file is one of the month's batches, not all of them
        sizes = self.split(total, nb)
        batches = [self.batch_style(county, period, bi, nb) for bi in range(nb)]
        pos = 0
        for bi, n in enumerate(sizes):
            batches[bi]["rows"] = rows[pos:pos + n]
            pos += n
        # the template batch has one time for every row (its 填报时间), and no re-imports
        for b in batches:
            if b["kind"] == "template":
                b["rows"] = [r for r in b["rows"] if r["kind"] != "reimport"]
                for r in b["rows"]:
                    r["time"] = b["fill_time"]
        # the record-level cases go, each group whole, into a batch that has a 更新时间 column
        timed = [b for b in batches if "更新时间" in b["columns"]] or batches
        for group in specials:
            b = rng.choice(timed)
            for r in group:
                b["rows"].insert(rng.randint(0, len(b["rows"])), r)
        # render
        for b in batches:
            for r in b["rows"]:
                p = r["person"]
                if r["kind"] == "follow":
                    r["cells"] = self.render(p, r["time"], b["style"], dest=r["dest"])
                elif r["kind"] == "reimport":
                    r["cells"] = self.render(p, r["time"], b["style"], noise=False)
                else:
                    r["cells"] = self.render(p, r["time"], b["style"])
                if r.get("name_variant"):
                    r["cells"]["姓名"] = r["name_variant"]
        # defects: the coverage schedule first (two kinds per county-month), then random ones
        wanted = []
        for _ in range(len(self.coverage) if shipped else 0):  # show every kind above county level too
            if len(wanted) >= 2:
                break
            wanted.append(self.coverage.pop(0))
        leftover = []
        candidates = [(b, r) for b in batches for r in b["rows"]]
        for kind in wanted:
            rng.shuffle(candidates)
            if not any(self.apply_defect(kind, r, county, period, b) for b, r in candidates):
                leftover.append(kind)
        self.coverage.extend(leftover)
        kinds = [d[0] for d in DEFECTS]
        for b, r in candidates:
            if rng.random() < RANDOM_DEFECT_RATE:
                self.apply_defect(rng.choice(kinds), r, county, period, b)
        # bookkeeping: what the county will have accepted
        for b in batches:
            for r in b["rows"]:
                p = r["person"]
                d = r.get("defect")
                rejected = bool(d and DEFECT_INFO[d][3])
                if r["kind"] == "new":
                    if rejected:
                        self.used_kinds.add(d)
                        if DEFECT_INFO[d][4] and not r.get("fix"):
                            self.to_fix[county].append(p)
                    else:
                        p.time = r["time"] if p.time is None else max(p.time, r["time"])
                        if p not in self.pool[county]:
                            self.pool[county].append(p)
                elif r["kind"] == "follow" and not rejected:
                    if p.time is None or r["time"] >= p.time:
                        p.time = r["time"]
                        p.dest = r["cells"]["就业去向"]
        return batches

    def split(self, total, nb):
        if nb == 1:
            return [total]
        cuts = []
        for _ in range(100):
            cuts = sorted(self.rng.sample(range(30, total - 29), nb - 1))
            sizes = [b - a for a, b in zip([0] + cuts, cuts + [total])]
            if all(30 <= s <= 200 for s in sizes):
                return sizes
        base = total // nb
        return [base] * (nb - 1) + [total - base * (nb - 1)]

    def batch_style(self, county, period, bi, nb):
        rng = self.rng
        style = {"date": rng.choices(["compact", "dash", "slash"], weights=[75, 15, 10])[0],
                 "time": rng.choices(["space", "iso"], weights=[80, 20])[0]}
        b = dict(kind="std", style=style, encoding="utf-8", newline="\n", columns=list(CANON),
                 header=None, blank=rng.random() < 0.35, extra=None)
        if rng.random() < 0.35:
            b["columns"].remove("序号")
        if rng.random() < 0.25:
            b["columns"].remove("登记单位")
        if rng.random() < 0.2:
            b["encoding"], b["newline"] = "utf-8-sig", "\r\n"  # Excel "CSV UTF-8"
        last = bi == nb - 1
        # the odd files, at fixed places
        if (county, period) == ("330203", "2012-09") and bi == 0:
            b.update(encoding="gb18030", newline="\r\n")
        if (county, period) == ("330106", "2012-09") and last:
            b.update(kind="template", columns=CANON[:19], header=TEMPLATE_HEADER,
                     fill_time=china(2012, 9, 3), encoding="utf-8-sig", newline="\r\n")
        if (county, period) == ("330302", "2012-10") and bi == 0:
            b.update(kind="reordered", columns=[c for c, _ in REORDERED], header=[h for _, h in REORDERED])
        if (county, period) == ("110108", "2012-10") and bi == 0:
            b["extra"] = "备注"
            if "登记单位" not in b["columns"]:
                b["columns"].append("登记单位")
        return b

    # ---------------------------------------------------------------- specials
    def specials_for(self, county, period):
        """Record-level cases at fixed places (only where their preconditions hold)."""
        rng = self.rng
        out = []
        pool = [p for p in self.pool[county] if p.registered != period and p.time is not None]
        if (county, period) == ("110105", "2012-09"):
            # a 海淀区 registration moves to 朝阳区: both counties keep them (MULTIPLE_REGISTRATION)
            src = [p for p in self.pool.get("110108", []) if not p.dest and p.intent != ["9"]]
            if src:
                p = src[0]
                self.pool["110108"].remove(p)
                q = p.copy()
                q.county, q.registered = county, period
                q.mobile = rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99999999):08d}"
                q.post = "1000" + f"{rng.randint(20, 29)}"
                q.time = None
                out.append([dict(kind="new", person=q, time=self.time_in(period), special="moved")])
        if (county, period) == ("330106", "2012-09") and pool:
            # the same follow-up keyed by two desks at the same instant, different results (CONFLICT)
            p = sorted((x for x in pool if not x.dest), key=lambda x: x.id)[0]
            t = self.time_in(period, after=p.time)
            out.append([dict(kind="follow", person=p, time=t, dest="4", special="conflict"),
                        dict(kind="follow", person=p, time=t, dest="3", special="conflict")])
        if (county, period) == ("330302", "2012-09") and pool:
            # a follow-up with the name spelt another way (IDENTITY_MISMATCH)
            for p in sorted(pool, key=lambda x: x.id):
                if not p.dest and any(ch in HOMOPHONES for ch in p.name[1:]):
                    variant = p.name[0] + "".join(HOMOPHONES.get(ch, ch) for ch in p.name[1:])
                    out.append([dict(kind="follow", person=p, time=self.time_in(period, after=p.time),
                                     dest="9", special="identity", name_variant=variant)])
                    break
        if (county, period) == ("330212", "2012-10"):
            # a closed case re-keyed later with the destination left empty (DEST_EMPTIED)
            closed = sorted((p for p in pool if p.dest), key=lambda x: x.id)
            if closed:
                p = closed[0]
                out.append([dict(kind="follow", person=p, time=self.time_in(period, after=p.time), dest="",
                                 special="emptied")])
        return out

    # ---------------------------------------------------------------- writing
    def write_batch(self, path, b, county, period):
        rng = self.rng
        cols = b["columns"]
        header = list(b["header"] or cols)
        if b["extra"]:
            header.append(b["extra"])
        lines = []
        ncols = len(header)
        if b["kind"] == "template":
            pad = "," * (ncols - 1)
            prov = self.units.get(county[:2] + "0000", {}).get("name", "")
            unit = self.units.get(county[:4] + "00", {}).get("name", "") + self.units[county]["name"]
            lines.append(TEMPLATE_TITLE + pad)
            pre = [f"填报省份：{prov}", f"填报单位：{unit}人力资源和社会保障局",
                   f"填报时间：{b['fill_time'].year}年{b['fill_time'].month}月{b['fill_time'].day}日",
                   "填报人：" + rng.choice(["陈静", "王芳", "李明", "章丽娟"]),
                   f"联系电话：{self.profile(county)['tel']}-8{rng.randint(0, 9999999):07d}"]
            lines.append(",".join(pre) + "," * (ncols - len(pre)))
        lines.append(csv_line(header))
        seq = 0
        for r in b["rows"]:
            seq += 1
            cells = dict(r["cells"])
            cells["序号"] = str(seq)
            values = [cells.get(c, "") for c in cols]
            if b["extra"]:
                values.append(rng.choice(["", "", "", "已电话回访", "本人来窗口登记", "家长代为登记"]))
            raw = r.get("raw")
            if raw == "line_quote":
                values = [v.replace(",", "、").replace('"', "") for v in values]
                k = cols.index("毕业院校")
                values[k] = '"' + values[k]
                line = ",".join(values)
            elif raw == "line_fields":
                values = [v.replace(",", "、").replace('"', "") for v in values]
                k = cols.index("毕业院校")
                values[k] = values[k] + rng.choice([",城市学院", ",继续教育学院"])
                line = ",".join(values)
            else:
                line = csv_line(values)
            lines.append(line)
            r["line"] = line
        # exact duplicate lines (a desk keyed the same form twice / pasted twice)
        body = lines[len(lines) - len(b["rows"]):]
        plain = [x for x, r in zip(body, b["rows"]) if not r.get("defect") and not r.get("special")]
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            if plain:
                dup = rng.choice(plain)
                at = rng.randint(lines.index(dup) + 1, len(lines))
                lines.insert(at, dup)
        if b["blank"]:
            head = lines.index(csv_line(header)) + 1
            for _ in range(rng.randint(1, 2)):
                at = rng.randint(head, len(lines))
                lines.insert(at, rng.choice(["", "," * (ncols - 1), " , ," + "," * (ncols - 3)]))
        text = b["newline"].join(lines) + b["newline"]
        data = text.encode(b["encoding"])
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        # keyed during the month; handed to the county's run on the 1st
        mt = period_start(next_period(period)).replace(hour=8).timestamp()
        os.utime(path, (mt, mt))
        self.stats["files"] += 1
        self.stats["lines"] += len(lines)

    def run(self, root):
        written = []
        for pi, period in enumerate(self.periods):
            for county in self.counties:
                specials = self.specials_for(county, period)
                batches = self.county_month(county, pi, period, specials)
                inbox = os.path.join(root, layout_path(self.config, "inbox", county, period))
                for bi, b in enumerate(batches):
                    path = os.path.join(inbox, f"batch-{bi + 1:02d}.csv")
                    self.write_batch(path, b, county, period)
                    if county == EXCEL_COUNTY and all(not r.get("raw") for r in b["rows"]):
                        path = excel_batch(root, path, b)
                    written.append(path)
                if (county, period) == CLUTTER:
                    write_clutter(inbox, period)
        missing = sorted(set(d[0] for d in DEFECTS) - self.used_kinds)
        if missing:
            raise SystemExit(f"gen_demo: internal error, defect kinds never placed: {missing}")
        return written


def csv_line(values):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(values)
    return buf.getvalue()


def layout_path(config, which, unit, period):
    tpl = config.get("layout", {}).get(which) or f"data/{{unit}}/{which}/{{period}}"
    return tpl.replace("{unit}", unit).replace("{period}", period)


def check_codes_against_reference():
    """Warn (on stderr) about hard-coded codes the project's division table does not know."""
    tsv = os.path.join(REPO, "scripts", "reference", "divisions.tsv")
    if not os.path.exists(tsv):
        return
    known = {}
    with open(tsv, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3 and parts[0].isdigit() and parts[2].isdigit():
                known[parts[0]] = int(parts[2])
    hukou = BJ_CODES + BJ_HISTORIC + sum(ZJ_CODES.values(), []) + PREFECTURES + OTHER_PROV
    bad = [c for c in hukou if c not in known or known[c] > 2012]
    bad += [c for c in ERA_ID_REGION.values() if c not in known]
    if bad:
        print(f"gen_demo: warning: codes not in {tsv} (or not in use by 2012): {sorted(set(bad))}",
              file=sys.stderr)


def parse_unit_period(items, what):
    out = []
    for it in items:
        if ":" not in it:
            raise SystemExit(f"gen_demo: --{what} takes UNIT:PERIOD, got {it!r}")
        out.append(tuple(it.split(":", 1)))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description="Generate deterministic demo intake batches for Huizong.")
    ap.add_argument("--root", default="demo", help="where to write (default ./demo)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    ap.add_argument("--config", default=os.path.join(REPO, "pipeline.json"),
                    help="hierarchy (default: the repository's pipeline.json); copied to ROOT/pipeline.json")
    ap.add_argument("--periods", default=",".join(DEFAULT_PERIODS), help="comma-separated YYYY-MM list")
    ap.add_argument("--missing", action="append", help="UNIT:PERIOD whose transfer never happens "
                    f"(repeatable; default {DEFAULT_MISSING[0]})")
    ap.add_argument("--late", action="append", help=f"UNIT:PERIOD shipped after its deadline "
                    f"(repeatable; default {DEFAULT_LATE[0]})")
    ap.add_argument("--force", action="store_true", help="write into ROOT even if it already holds data/")
    a = ap.parse_args(argv)

    with open(a.config, encoding="utf-8") as f:
        config = json.load(f)
    periods = [p.strip() for p in a.periods.split(",") if p.strip()]
    for p in periods:
        try:
            dt.datetime.strptime(p, "%Y-%m")
        except ValueError:
            raise SystemExit(f"gen_demo: bad period {p!r} (want YYYY-MM)")
    if len(periods) > len(MONTH_FACTOR):
        MONTH_FACTOR.extend([MONTH_FACTOR[-1]] * (len(periods) - len(MONTH_FACTOR)))
    root = a.root
    if os.path.isdir(os.path.join(root, "data")) and not a.force:
        raise SystemExit(f"gen_demo: {root}/data already exists; remove it (or pass --force to write into it)")
    os.umask(0o077)  # personal data, even made up: owner only, like the tool's own files
    os.makedirs(root, exist_ok=True)
    check_codes_against_reference()

    missing = parse_unit_period(a.missing if a.missing is not None else DEFAULT_MISSING, "missing")
    late = parse_unit_period(a.late if a.late is not None else DEFAULT_LATE, "late")
    gen = Generator(config, a.seed, periods, unshipped=missing)
    written = gen.run(root)
    with open(a.config, "rb") as src, open(os.path.join(root, "pipeline.json"), "wb") as dst:
        dst.write(src.read())
    delivery = {"about": "How each unit's monthly transfer to its parent goes in this demo "
                         "(default on-time; 'late' = after the deadline; 'none' = never shipped). "
                         "Read by scripts/demo; not a product output.",
                "seed": a.seed, "periods": periods, "transfers": {}}
    for unit, period in missing:
        delivery["transfers"].setdefault(period, {})[unit] = "none"
    for unit, period in late:
        delivery["transfers"].setdefault(period, {})[unit] = "late"
    with open(os.path.join(root, "delivery.json"), "w", encoding="utf-8") as f:
        json.dump(delivery, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")
    fixed = period_start(periods[0]).timestamp()  # deterministic mtimes for the two companions too
    for name in ("pipeline.json", "delivery.json"):
        os.utime(os.path.join(root, name), (fixed, fixed))
    print(f"gen_demo: seed {a.seed}: {len(written)} batches, {gen.stats['lines']} lines, "
          f"{len(gen.counties)} counties x {len(periods)} months under {os.path.join(root, 'data')}")


if __name__ == "__main__":
    main()
