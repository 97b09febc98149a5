#!/usr/bin/env python3
"""Generate a national month for the ministry's run, with its ground truth (issue 6).

    scripts/gen_national.py --rows 1000000 --seed 1 --out bench-data/national-1000000-s1
    scripts/gen_national.py --county-batch 110105 --rows 1000 --seed 1 --out batch.csv

python3 standard library only; two worker processes; deterministic for a seed (same --rows,
--seed, --level and division table: byte-identical files). The month is 2012-09 of the 2012
cohort, as the 32 province-level units would ship it to the ministry (000000):

  DIR/pipeline.json                               the real hierarchy (scripts/reference/divisions.tsv)
  DIR/data/000000/inbox/2012-09/PPPPPP-2012-09.csv.gz                 the province's summary table
  DIR/data/000000/inbox/2012-09/PPPPPP-2012-09.discrepancies.csv.gz  its report (carried upward)
  DIR/data/000000/inbox/2012-09/PPPPPP-2012-09.manifest.json         its manifest (SPEC 3.2)
  DIR/truth/PPPPPP-2012-09.lines.tsv.gz   per data line: line, ID, disposition, rule codes
  DIR/truth/merged.tsv.gz                 the expected merged set: ID -> winning file and line
  DIR/truth/expected-summary.csv.gz       the exact expected (decompressed) merged summary
  DIR/truth/summary.json                  expected counts (per input, accounting, report rows)

The generator is the authority for the ground truth: every row is made to break exactly the rules
its truth line names, and no other (see docs/benchmark-data.md). The truth assumes the ministry's
run uses --as-of 2012-10-05T12:00:00+08:00 (any as-of from 2012-10-01 to 2012-10-05 gives the same).
"""

import argparse
import datetime
import gzip
import hashlib
import heapq
import json
import os
import random
import shutil
import sys
import time
import zlib
from multiprocessing import Pool

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'scripts'))
from spec import (CHINA as CN, COLUMNS, ID_CHECK_CHARS as CHECK, ID_WEIGHTS as W,  # noqa: E402
                  REPORT_COLUMNS as DISC_COLUMNS, RULES_VERSION, TOOL, severity)
DEFAULT_DIVISIONS = os.path.join(ROOT, 'scripts', 'reference', 'divisions.tsv')
DEFAULT_ETHNIC = os.path.join(ROOT, 'scripts', 'reference', 'gbt3304.tsv')

PERIOD = '2012-09'
COHORT = 2012
AS_OF = '2012-10-05T12:00:00+08:00'
# Files shipped on 2012-10-04 18:00 China time: before the end of the 5th (deadlineDay 5).
SHIP_MTIME = int(datetime.datetime(2012, 10, 4, 18, 0, 0, tzinfo=CN).timestamp())
PROVINCE_ASOF = '2012-10-04T12:00:00+08:00'

HEADER = ','.join(COLUMNS) + '\n'
DISC_HEADER = ','.join(DISC_COLUMNS) + '\n'

# Field indexes in a row's body (the 20 columns after 序号, in output order).
NAME, SEX, ETH, ID, SCHOOL, GRAD, EDU, MAJOR, HUKOU, EMAIL, POST, MOBILE, LAND, HARD, WORK, \
    INTENT, NEEDS, DEST, TIME, UNIT = range(20)
FIELD_NAME = COLUMNS[1:]

# The province reports' 说明 (as the tool writes them; the ministry carries them unchanged).
MESSAGES = {
    'MOBILE_INVALID': '手机号码格式错误 mobile number malformed',
    'LANDLINE_INVALID': '固定电话格式错误 landline number malformed',
    'NO_PHONE': '手机号码和固定电话均为空，无法回访 no phone number; no way to follow up',
    'EMAIL_INVALID': '电子邮箱格式错误 e-mail address malformed',
    'POSTCODE_INVALID': '邮编须为6位数字 postcode must be 6 digits',
    'NEEDS_MISSING': '就业服务需求为空（仅自愿暂时不就业者可不填） service needs empty; only intention 9 may leave it empty',
    'NEEDS_WITH_9': '自愿暂时不就业者不用填写就业服务需求 service needs given with intention 9 only',
    'INTENT_9_COMBINED': '自愿暂时不就业与其他选项同选 option 9 with others',
    'MULTI_REPEATED': '重复选项已去重 repeated option removed',
    'AGE_IMPLAUSIBLE': '毕业时年龄不在15–60岁 age at graduation outside 15-60',
    'GRADDATE_AFTER_UPDATE': '毕业日期晚于更新时间（离校前登记） graduation after the row\'s update time',
    'ID_CHECKSUM': '身份证号校验码错误，请核对证件 ID check digit is wrong; check the ID card',
    'GRADDATE_INVALID': '毕业日期须为YYYYMMDD graduation date must be YYYYMMDD',
    'EDU_INVALID': '学历须为1–5 education must be 1-5',
    'HUKOU_INVALID': '入学前户口所在地须为6位行政区划代码 household must be a 6-digit GB/T 2260 code',
    'UNIT_FOREIGN': '登记单位不属于报送单位 registering unit is not under the sending unit',
    'TIME_FUTURE': '更新时间晚于本次汇总时间 update time is after the run\'s reference time',
    'TIME_TOO_EARLY': '更新时间早于届别年度 update time before the cohort year',
    'LINE_FIELDS': '列数与表头不符，请检查多余或缺少的逗号 field count differs from the header; check the commas',
    'NAME_INVALID': '姓名须为1–30个汉字、字母、空格或· name must be 1-30 Han characters, Latin letters, spaces or ·',
    'ETHNIC_INVALID': '民族须为GB/T 3304民族名称或代码 ethnic group must be a GB/T 3304 name or code',
    'ID_SEX_MISMATCH': '性别与身份证号不符 sex does not match the ID',
    'SEX_INVALID': '性别须为男/女或1/2 sex must be 男/女 or 1/2',
    'WORKPLACE_INVALID': '就业地意向须为1–3中的一项 workplace intent must be one of 1-3',
    'DEST_INVALID': '就业去向须为1–15中的一项 destination must be one of 1-15',
    'HARDSHIP_INVALID': '困难状况须为1–4，4只能单选 hardship must be 1-4, 4 only alone',
    'SCHOOL_INVALID': '毕业院校须为1–60字 毕业院校 must be 1-60 characters',
    'SUPERSEDED': '已被更新的记录取代 superseded by a newer row',
    'DUPLICATE': '内容重复 same content as an earlier row',
    'CHILD_MISSING': '下级单位未报送本期汇总表 child sent nothing for this period',
}

# Line-level flags (any line of a single or follow-up person) and their weights.
LINE_FLAGS = [('MOBILE_INVALID', 24), ('NEEDS_MISSING', 24), ('POSTCODE_INVALID', 10),
              ('EMAIL_INVALID', 10), ('MULTI_REPEATED', 10), ('LANDLINE_INVALID', 5),
              ('NO_PHONE', 5), ('INTENT_9_COMBINED', 4), ('NEEDS_WITH_9', 4)]
# Person-level flags (single persons only: the ID or graduation date is shared by all versions).
PERSON_FLAGS = [('AGE_IMPLAUSIBLE', 2), ('GRADDATE_AFTER_UPDATE', 2)]
REJECTS = [('ID_CHECKSUM', 20), ('GRADDATE_INVALID', 12), ('EDU_INVALID', 10), ('HUKOU_INVALID', 12),
           ('UNIT_FOREIGN', 12), ('TIME_FUTURE', 10), ('LINE_FIELDS', 8), ('NAME_INVALID', 3),
           ('ETHNIC_INVALID', 3), ('ID_SEX_MISMATCH', 3), ('WORKPLACE_INVALID', 2),
           ('DEST_INVALID', 2), ('HARDSHIP_INVALID', 1), ('SEX_INVALID', 1)]
# Not generated: TIME_TOO_EARLY (a row updated before 2012 is also updated before graduating, so it
# would need GRADDATE_AFTER_UPDATE as well, a pairing the SPEC leaves open), LINE_QUOTE (DuckDB's
# reader would swallow the rest of the file), ID_FORMAT/15-digit IDs, encodings, blank lines.

# Mix (see docs/benchmark-data.md). Persons: P ~ rows / 1.2. Multi-province persons: 5% of P.
# The other persons, by kind (probabilities): the rest are single clean/flagged rows.
MULTI_SHARE = 0.05
KINDS = [('follow', 0.158), ('reject', 0.0253), ('dup', 0.002), ('newrej', 0.0005),
         ('conflict', 0.0003), ('idmis', 0.0003), ('destemp', 0.0003)]
LINE_FLAG_P = 0.0335     # per line of single and follow-up persons
PERSON_FLAG_P = 0.0008   # per single person

# Approximate 2012 graduate shares (1e4 graduates) of the 32 province-level units.
WEIGHTS = {'11': 22, '12': 14, '13': 33, '14': 17, '15': 10, '21': 25, '22': 17, '23': 20, '31': 17,
           '32': 50, '33': 27, '34': 27, '35': 19, '36': 24, '37': 52, '41': 45, '42': 40, '43': 30,
           '44': 45, '45': 17, '46': 4, '50': 17, '51': 35, '52': 9, '53': 14, '54': 0.8, '61': 30,
           '62': 11, '63': 1.5, '64': 3, '65': 7, '66': 1.2}

XPCC = '660000'
XPCC_DIVISIONS = ['第一师', '第二师', '第三师', '第四师', '第五师', '第六师', '第七师', '第八师', '第九师',
                  '第十师', '第十一师', '第十二师', '第十三师', '第十四师']
XPCC_SEATS = ['阿拉尔市', '铁门关市', '图木舒克市', '可克达拉市', '双河市', '五家渠市', '胡杨河市',
              '石河子市', '白杨市', '北屯市', '建工师', '乌鲁木齐垦区', '新星市', '昆玉市']

SURNAMES = ('王' * 72 + '李' * 72 + '张' * 70 + '刘' * 54 + '陈' * 46 + '杨' * 32 + '黄' * 24 + '赵' * 23 +
            '吴' * 21 + '周' * 21 + '徐' * 17 + '孙' * 16 + '马' * 16 + '朱' * 15 + '胡' * 14 + '郭' * 13 +
            '何' * 12 + '高' * 12 + '林' * 12 + '罗' * 11 + '郑' * 10 + '梁' * 10 + '谢' * 9 + '宋' * 8 +
            '唐' * 8 + '许' * 8 + '韩' * 7 + '冯' * 7 + '邓' * 7 + '曹' * 7 + '彭' * 6 + '曾' * 6 + '肖' * 6 +
            '田' * 6 + '董' * 6 + '袁' * 5 + '潘' * 5 + '于' * 5 + '蒋' * 5 + '蔡' * 5 + '余' * 5 + '杜' * 5 +
            '叶' * 5 + '程' * 5 + '苏' * 4 + '魏' * 4 + '吕' * 4 + '丁' * 4 + '任' * 4 + '沈' * 4 + '姚' * 4 +
            '卢' * 4 + '姜' * 3 + '崔' * 3 + '钟' * 3 + '谭' * 3 + '陆' * 3 + '汪' * 3 + '范' * 3 + '金' * 3 +
            '石' * 3 + '廖' * 3 + '贾' * 3 + '夏' * 3 + '韦' * 3 + '付' * 3 + '方' * 3 + '白' * 2 + '邹' * 2 +
            '孟' * 2 + '熊' * 2 + '秦' * 2 + '邱' * 2 + '江' * 2 + '尹' * 2 + '薛' * 2 + '闫' * 2 + '段' * 2 +
            '雷' * 2 + '侯' * 2 + '龙' * 2 + '史' * 2 + '陶' * 2 + '黎' * 2 + '贺' * 2 + '顾' * 2 + '毛' * 2 +
            '郝' + '龚' + '邵' + '万' + '钱' + '严' + '覃' + '武' + '戴' + '莫' + '孔' + '向' + '汤' + '常' + '温' +
            '康' + '施' + '文' + '牛' + '樊' + '葛' + '邢' + '安' + '齐' + '易' + '乔' + '伍' + '庞' + '颜' +
            '倪' + '庄' + '聂' + '章' + '鲁' + '岳' + '翟' + '殷' + '詹' + '申' + '欧' + '耿' + '关' + '兰')
GIVEN = ('伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国斌宇浩凯'
         '健俊帆帅旭宁龙林欢阳佳婷雪琳晶颖倩慧婧璐瑶怡欣悦晨轩然子涵梓萱浩宇博文思雨嘉琪一诺志强'
         '海波春梅晓东丹凤亮云飞雯雅倩文静立新海燕志刚建平永红德华淑珍秀兰丽娟晓燕金凤小红')
SCHOOLS = ['北京大学', '清华大学', '中国人民大学', '北京师范大学', '北京交通大学', '北京工商大学', '首都师范大学',
           '北京电子科技职业学院', '南开大学', '天津大学', '天津职业大学', '河北大学', '河北师范大学', '燕山大学',
           '山西大学', '太原理工大学', '内蒙古大学', '内蒙古建筑职业技术学院', '辽宁大学', '大连理工大学',
           '东北大学', '辽宁省交通高等专科学校', '吉林大学', '东北师范大学', '长春工业大学', '黑龙江大学',
           '哈尔滨工业大学', '东北农业大学', '复旦大学', '上海交通大学', '同济大学', '华东师范大学',
           '上海电机学院', '南京大学', '东南大学', '苏州大学', '江南大学', '南京工业职业技术学院', '浙江大学',
           '浙江工业大学', '宁波大学', '杭州职业技术学院', '安徽大学', '安徽师范大学', '合肥工业大学',
           '厦门大学', '福州大学', '福建师范大学', '南昌大学', '江西师范大学', '江西财经大学', '山东大学',
           '中国海洋大学', '山东师范大学', '青岛科技大学', '山东商业职业技术学院', '郑州大学', '河南大学',
           '河南工业大学', '河南职业技术学院', '武汉大学', '华中科技大学', '湖北大学', '华中师范大学',
           '武汉职业技术学院', '湖南大学', '中南大学', '湖南师范大学', '长沙民政职业技术学院', '中山大学',
           '华南理工大学', '暨南大学', '广东工业大学', '深圳职业技术学院', '广西大学', '广西师范大学',
           '海南大学', '重庆大学', '西南大学', '重庆电子工程职业学院', '四川大学', '电子科技大学',
           '四川师范大学', '西南交通大学', '成都职业技术学院', '贵州大学', '贵州师范大学', '云南大学',
           '昆明理工大学', '云南师范大学', '西藏大学', '西安交通大学', '西北工业大学', '陕西师范大学',
           '西北大学', '陕西工业职业技术学院', '兰州大学', '西北师范大学', '青海大学', '宁夏大学', '新疆大学',
           '石河子大学', '塔里木大学', '新疆农业职业技术学院']
MAJORS = ['计算机科学与技术', '软件工程', '电子信息工程', '通信工程', '自动化', '机械设计制造及其自动化',
          '电气工程及其自动化', '土木工程', '建筑学', '工程造价', '环境工程', '化学工程与工艺', '材料科学与工程',
          '食品科学与工程', '生物技术', '应用数学', '物理学', '化学', '会计学', '会计电算化', '财务管理',
          '金融学', '国际经济与贸易', '市场营销', '工商管理', '企业管理', '人力资源管理', '行政管理',
          '公共事业管理', '旅游管理', '酒店管理', '电子商务', '物流管理', '法学', '社会工作', '汉语言文学',
          '英语', '商务英语', '日语', '新闻学', '历史学', '哲学', '思想政治教育', '学前教育', '小学教育',
          '体育教育', '音乐学', '美术学', '艺术设计', '动画', '临床医学', '护理', '护理学', '药学', '中医学',
          '农学', '园艺', '动物医学', '林学', '水利水电工程', '交通运输', '机电一体化技术', '数控技术',
          '汽车检测与维修技术', '计算机应用技术', '计算机网络技术', '建筑工程技术', '产业经济学', '统计学',
          '心理学']
SYLLABLES = ['zhang', 'wang', 'li', 'liu', 'chen', 'yang', 'huang', 'zhao', 'wu', 'zhou', 'xu', 'sun',
             'ma', 'zhu', 'hu', 'guo', 'he', 'gao', 'lin', 'luo', 'wei', 'fang', 'na', 'min', 'jing',
             'li', 'qiang', 'lei', 'jun', 'yang', 'yong', 'yan', 'jie', 'juan', 'tao', 'ming', 'chao',
             'xia', 'ping', 'gang', 'hua', 'yu', 'hao', 'kai', 'jian', 'bin', 'peng', 'hui', 'xin', 'yue']
MAIL_DOMAINS = ['163.com', '126.com', 'sina.com', 'sohu.com', 'yahoo.com.cn', 'hotmail.com', 'foxmail.com']
AREA_CODES = ['010', '020', '021', '022', '023', '024', '025', '027', '028', '029', '0311', '0351', '0371',
              '0431', '0451', '0471', '0531', '0551', '0571', '0591', '0731', '0771', '0791', '0851',
              '0871', '0891', '0898', '0931', '0951', '0971', '0991', '0512', '0532', '0755', '0757']
MOBILE_PREFIXES = ['130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '150', '151',
                   '152', '153', '155', '156', '157', '158', '159', '180', '181', '182', '183', '185',
                   '186', '187', '188', '189', '147', '177']
GRAD_DATES = ['20120601', '20120610', '20120615', '20120620', '20120625', '20120628', '20120630',
              '20120630', '20120630', '20120701', '20120701', '20120705', '20120710']
HARDSHIP = ['4'] * 85 + ['2'] * 8 + ['1'] * 3 + ['3'] + ['12'] * 2 + ['23']
EDU_VALUES = ['3'] * 45 + ['4'] * 40 + ['2'] * 9 + ['1'] * 2 + ['5'] * 4
INTENT_SINGLE = ['1', '2', '3', '3', '3', '3', '4', '5', '6', '7', '7', '8', 'A']
INTENT_MULTI = ['12', '13', '23', '35', '37', '13A', '123', '34', '25', '3A']
NEEDS_OPTS = '123456789A'

DAY0 = datetime.date(2012, 1, 1)
DAY_STR = [(DAY0 + datetime.timedelta(days=d)).isoformat() for d in range(400)]
HMS = ['T%02d:%02d:%02d+08:00' % (s // 3600, s // 60 % 60, s % 60) for s in range(86400)]
T_FIRST = 196 * 86400            # 2012-07-15 00:00 China time (seconds since 2012-01-01 00:00)
T_LAST = 274 * 86400 - 1         # 2012-09-30 23:59:59
T_FUTURE = (279, 365)            # days 2012-10-06 .. 2012-12-31: after the as-of


def fmt_time(t):
    return DAY_STR[t // 86400] + HMS[t % 86400]


def weighted(pairs):
    out = []
    for v, w in pairs:
        out += [v] * w
    return out


# --------------------------------------------------------------------------------------------
# Hierarchy

def load_divisions(path):
    rows = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            p = line.rstrip('\n').split('\t')
            if not p[0].isdigit() or len(p[0]) != 6:
                continue
            rows.append((p[0], p[1], int(p[2]), int(p[3]) if len(p) > 3 and p[3] else None))
    return rows


def build_hierarchy(divs):
    """Units of pipeline.json plus the lookups the generator needs."""
    current = {c: n for c, n, fy, ly in divs if ly is None}
    first_year = {}
    for c, n, fy, ly in divs:
        first_year[c] = min(fy, first_year.get(c, 9999))
    provinces = [(c, n) for c, n in sorted(current.items())
                 if c.endswith('0000') and c[:2] not in ('71', '81', '82')]
    prov_name = dict(provinces)
    cities = {}
    for c, n in sorted(current.items()):
        if c.endswith('00') and not c.endswith('0000') and c[:2] + '0000' in prov_name \
                and '直辖' not in n:
            cities[c] = n if n not in ('市辖区', '县') else prov_name[c[:2] + '0000'] + n
    counties = {}
    for c, n in sorted(current.items()):
        if c.endswith('00') or c[:2] + '0000' not in prov_name or n == '市辖区':
            continue
        parent = c[:4] + '00' if c[:4] + '00' in cities else c[:2] + '0000'
        counties[c] = (n, parent)
    with_children = {p for _, p in counties.values()}
    units = [{'code': '000000', 'name': '人力资源社会保障部', 'level': 'ministry'}]
    county_units = {}   # code -> (name, parent) of every unit of level county
    for pc, pn in provinces:
        units.append({'code': pc, 'name': pn, 'level': 'province', 'parent': '000000'})
    units.append({'code': XPCC, 'name': '新疆生产建设兵团', 'level': 'province', 'parent': '000000'})
    for c, n in sorted(cities.items()):
        prov = c[:2] + '0000'
        if c in with_children:
            units.append({'code': c, 'name': n, 'level': 'city', 'parent': prov})
        else:   # a prefecture without counties (东莞市, 中山市, ...) registers people itself
            units.append({'code': c, 'name': n, 'level': 'county', 'parent': prov})
            county_units[c] = (n, prov)
    for c, (n, parent) in sorted(counties.items()):
        units.append({'code': c, 'name': n, 'level': 'county', 'parent': parent})
        county_units[c] = (n, parent)
    for i, dname in enumerate(XPCC_DIVISIONS):
        dc = '66%02d00' % (i + 1)
        units.append({'code': dc, 'name': '新疆生产建设兵团' + dname, 'level': 'city', 'parent': XPCC})
        cc = '66%02d01' % (i + 1)
        units.append({'code': cc, 'name': dname + XPCC_SEATS[i], 'level': 'county', 'parent': dc})
        county_units[cc] = (dname + XPCC_SEATS[i], dc)
    units.sort(key=lambda u: u['code'])
    return units, county_units, first_year, current


def province_of(code):
    return XPCC if code.startswith('66') else code[:2] + '0000'


# --------------------------------------------------------------------------------------------
# Per-process context (built once per worker by init_worker)

CTX = {}



def birth_dates(first_year, last_year):
    """Every day of the years as (YYYYMMDD, its weighted sum in an ID: digits 7-14)."""
    out = []
    d = datetime.date(first_year, 1, 1)
    while d <= datetime.date(last_year, 12, 31):
        s = d.strftime('%Y%m%d')
        out.append((s, sum(int(s[i]) * W[6 + i] for i in range(8))))
        d += datetime.timedelta(days=1)
    return out


def init_worker(cfg):
    CTX.clear()
    CTX.update(cfg)
    divs = load_divisions(cfg['divisions'])
    units, county_units, first_year, current = build_hierarchy(divs)
    CTX['units'] = {u['code']: u for u in units}
    prov_codes = sorted(u['code'] for u in units if u['level'] == 'province')
    CTX['provinces'] = prov_codes
    # Registering units (level county) by province.
    reg = {p: [] for p in prov_codes}
    for c in sorted(county_units):
        reg[province_of(c)].append(c)
    CTX['reg'] = reg
    # Children of each province (what its manifest lists as inputs).
    children = {p: [] for p in prov_codes}
    for u in units:
        if u.get('parent') in children:
            children[u['parent']].append(u['code'])
    CTX['children'] = children
    top = {}
    for c in county_units:
        u = CTX['units'][c]
        while CTX['units'][u['parent']]['level'] != 'province':
            u = CTX['units'][u['parent']]
        top[c] = u['code'] if u['level'] != 'province' else c
    CTX['top'] = top   # county -> the child of its province it reports through
    # Codes for IDs and 入学前户口所在地: current county-level GB/T 2260 codes in use by 2012.
    region = {p: [] for p in prov_codes}
    for c, n in current.items():
        if c.endswith('00') or n == '市辖区' or first_year[c] > COHORT:
            continue
        p = '650000' if c[:2] == '65' else c[:2] + '0000'
        if p in region:
            region[p].append(c)
    region[XPCC] = list(region['650000'])
    for p in region:
        region[p].sort()
    all_regions = sorted({c for v in region.values() for c in v})
    prefectures = {p: sorted(c for c in current if c[:2] == p[:2] and c.endswith('00')
                             and not c.endswith('0000') and first_year[c] <= COHORT)
                   for p in prov_codes if p != XPCC}
    prefectures[XPCC] = prefectures['650000']
    CTX['region'] = region
    CTX['all_regions'] = all_regions
    CTX['prefectures'] = prefectures
    known = set(first_year)
    # HUKOU_INVALID values: codes absent from the table, and codes first used after 2012.
    bad = []
    for p in prov_codes:
        pp = '65' if p == XPCC else p[:2]
        for tail in ('9999', '8888', '7777', '9898'):
            if pp + tail not in known:
                bad.append(pp + tail)
                break
    late = sorted(c for c, fy in first_year.items() if fy > COHORT and c not in ('710000',))
    CTX['hukou_bad'] = bad + late[:len(bad)]
    CTX['region_sum'] = {c: sum(int(c[i]) * W[i] for i in range(6)) for c in all_regions}
    CTX['births'] = birth_dates(1985, 1992)
    CTX['old_births'] = birth_dates(1944, 1950)
    eth = []
    with open(cfg['ethnic'], encoding='utf-8') as f:
        for line in f:
            p = line.rstrip('\n').split('\t')
            if len(p) >= 2 and p[0].isdigit() and len(p[0]) == 2 and p[0] not in ('01', '97', '98'):
                eth.append(p[1])
    CTX['ethnic'] = ['汉族'] * 600 + [e for e in eth[:9] for _ in range(5)] + eth
    CTX['line_flags'] = weighted(LINE_FLAGS)
    CTX['person_flags'] = weighted(PERSON_FLAGS)
    CTX['rejects'] = weighted(REJECTS)


# --------------------------------------------------------------------------------------------
# Persons and rows

class Gen:
    """Makes persons and row variants for one province, from one random stream."""

    def __init__(self, rng, prov, partitions):
        self.rng = rng
        self.r = rng.random
        self.prov = prov
        self.partitions = partitions       # allowed values of the ID's 15th-16th digits
        self.seen = set()
        self.region = CTX['region'][prov] or CTX['all_regions']
        self.reg = CTX['reg'][prov]
        self.rsum = CTX['region_sum']

    def make_id(self, region, birth, male):
        r = self.r
        ab = self.partitions[int(r() * len(self.partitions))]
        c = int(r() * 5) * 2 + (1 if male else 0)
        total = self.rsum[region] + birth[1] + int(ab[0]) * 8 + int(ab[1]) * 4 + c * 2
        return '%s%s%s%d%s' % (region, birth[0], ab, c, CHECK[total % 11])

    def person(self, unit=None, old=False):
        """A clean, canonical row (list of the 20 body fields) of a new person."""
        r = self.r
        allr = CTX['all_regions']
        while True:
            region = self.region[int(r() * len(self.region))] if r() < 0.9 else allr[int(r() * len(allr))]
            births = CTX['old_births'] if old else CTX['births']
            birth = births[int(r() * len(births))]
            male = r() < 0.5
            pid = self.make_id(region, birth, male)
            if pid not in self.seen:
                self.seen.add(pid)
                break
        s = SURNAMES[int(r() * len(SURNAMES))]
        g = GIVEN[int(r() * len(GIVEN))]
        if r() < 0.6:
            g += GIVEN[int(r() * len(GIVEN))]
        eth = CTX['ethnic'][int(r() * len(CTX['ethnic']))]
        x = r()
        if x < 0.7:
            hukou = region
        elif x < 0.95:
            hukou = self.region[int(r() * len(self.region))]
        else:
            pref = CTX['prefectures'][self.prov]
            hukou = pref[int(r() * len(pref))] if pref else region
        x = r()
        if x < 0.5:
            email = '%d@qq.com' % int(100000 + r() * 3999900000)
        elif x < 0.88:
            email = '%s%s%d@%s' % (SYLLABLES[int(r() * 50)], SYLLABLES[int(r() * 50)], int(r() * 2000),
                                   MAIL_DOMAINS[int(r() * 7)])
        else:
            email = ''
        post = '%d%05d' % (1 + int(r() * 8), int(r() * 100000)) if r() < 0.8 else ''
        mobile = MOBILE_PREFIXES[int(r() * 30)] + '%08d' % int(r() * 100000000)
        land = ''
        if r() < 0.18:
            land = AREA_CODES[int(r() * len(AREA_CODES))] + '-%08d' % int(r() * 100000000)
            if r() < 0.15:
                mobile = ''
        x = r()
        if x < 0.05:
            intent, needs = '9', ''
        else:
            intent = INTENT_SINGLE[int(r() * 13)] if x < 0.85 else INTENT_MULTI[int(r() * 10)]
            a = int(r() * 10)
            needs = NEEDS_OPTS[a]
            if r() < 0.5:
                b = int(r() * 10)
                if b != a:
                    needs = NEEDS_OPTS[min(a, b)] + NEEDS_OPTS[max(a, b)]
        t = T_FIRST + int(r() * (T_LAST - T_FIRST - 20 * 86400))
        if unit is None:
            unit = self.reg[int(r() * len(self.reg))]
        return [s + g, '男' if male else '女', eth, pid, SCHOOLS[int(r() * len(SCHOOLS))],
                GRAD_DATES[int(r() * 13)], EDU_VALUES[int(r() * 100)], MAJORS[int(r() * len(MAJORS))],
                hukou, email, post, mobile, land, HARDSHIP[int(r() * 100)], '123'[int(r() * 3)],
                intent, needs, '', t, unit]

    def later(self, t, cap=T_LAST):
        """A time strictly after t (at most cap)."""
        r = self.r
        return min(cap, t + 3600 + int(r() * 25 * 86400)) if t + 1 < cap else cap

    def line_flag(self, f):
        """Break one line-level flag rule on row f; returns (code, canonical row or None)."""
        r = self.r
        code = CTX['line_flags'][int(r() * len(CTX['line_flags']))]
        canon = None
        if code == 'MOBILE_INVALID':
            f[MOBILE] = ('2' if r() < 0.5 else '1') + '%09d' % int(r() * 1e9)   # 2.. or 10 digits
            if f[MOBILE][0] == '2':
                f[MOBILE] += str(int(r() * 10))
        elif code == 'NEEDS_MISSING':
            if f[INTENT] == '9':
                f[INTENT] = '3'
            f[NEEDS] = ''
        elif code == 'POSTCODE_INVALID':
            f[POST] = '%05d' % int(r() * 100000)
        elif code == 'EMAIL_INVALID':
            f[EMAIL] = '%s%d.%s' % (SYLLABLES[int(r() * 50)], int(r() * 1000), MAIL_DOMAINS[int(r() * 7)])
        elif code == 'MULTI_REPEATED':
            if f[INTENT] in ('9', 'A'):
                f[INTENT] = '3'
                f[NEEDS] = f[NEEDS] or '2'
            canon = list(f)
            digits = [c for c in f[INTENT] if c != 'A']
            d = digits[int(r() * len(digits))]
            i = f[INTENT].index(d)
            f[INTENT] = f[INTENT][:i + 1] + d + f[INTENT][i + 1:]
        elif code == 'LANDLINE_INVALID':
            f[LAND] = AREA_CODES[int(r() * len(AREA_CODES))] + '-%04d' % int(r() * 10000)
            if not f[MOBILE]:
                f[MOBILE] = '13912345678'
        elif code == 'NO_PHONE':
            f[MOBILE] = f[LAND] = ''
        elif code == 'INTENT_9_COMBINED':
            f[INTENT] = ['19', '39', '79', '9A'][int(r() * 4)]
            if not f[NEEDS]:
                f[NEEDS] = '2'
        elif code == 'NEEDS_WITH_9':
            f[INTENT] = '9'
            f[NEEDS] = '12'[int(r() * 2)]
        return code, canon

    def person_flag(self, f):
        r = self.r
        code = CTX['person_flags'][int(r() * len(CTX['person_flags']))]
        if code == 'AGE_IMPLAUSIBLE':
            old = CTX['old_births'][int(r() * len(CTX['old_births']))]
            region = f[ID][:6]
            male = f[SEX] == '男'
            while True:
                pid = self.make_id(region, old, male)
                if pid not in self.seen:
                    self.seen.add(pid)
                    break
            f[ID] = pid
        else:   # GRADDATE_AFTER_UPDATE: graduates in December, registered in the summer
            f[GRAD] = '201212%02d' % (1 + int(r() * 28))
        return code

    def reject(self, f):
        """Break one reject rule on row f (a fresh single person); returns the code."""
        r = self.r
        code = CTX['rejects'][int(r() * len(CTX['rejects']))]
        if code == 'ID_CHECKSUM':
            good = f[ID][17]
            f[ID] = f[ID][:17] + CHECK[(CHECK.index(good) + 1 + int(r() * 10)) % 11]
        elif code == 'GRADDATE_INVALID':
            f[GRAD] = f[GRAD][:6]
        elif code == 'EDU_INVALID':
            f[EDU] = '6789'[int(r() * 4)]
        elif code == 'HUKOU_INVALID':
            f[HUKOU] = CTX['hukou_bad'][int(r() * len(CTX['hukou_bad']))]
        elif code == 'UNIT_FOREIGN':
            others = [p for p in CTX['provinces'] if p != self.prov]
            o = others[int(r() * len(others))]
            f[UNIT] = CTX['reg'][o][int(r() * len(CTX['reg'][o]))]
        elif code == 'TIME_FUTURE':
            f[TIME] = (T_FUTURE[0] + int(r() * (T_FUTURE[1] - T_FUTURE[0]))) * 86400 + int(r() * 86400)
        elif code == 'TIME_TOO_EARLY':
            f[TIME] = -int(1 + r() * 200 * 86400)
        elif code == 'LINE_FIELDS':
            f[SCHOOL] = f[SCHOOL] + ',' + ['继续教育学院', '成人教育学院', '分校', '校本部'][int(r() * 4)]
        elif code == 'NAME_INVALID':
            f[NAME] = f[NAME][0] + str(int(r() * 10)) + f[NAME][1:]
        elif code == 'ETHNIC_INVALID':
            f[ETH] = ['汉人', '未知', '火星族', '99'][int(r() * 4)]
        elif code == 'ID_SEX_MISMATCH':
            f[SEX] = '女' if f[SEX] == '男' else '男'
        elif code == 'WORKPLACE_INVALID':
            f[WORK] = '45'[int(r() * 2)]
        elif code == 'DEST_INVALID':
            f[DEST] = str(16 + int(r() * 5))
        elif code == 'HARDSHIP_INVALID':
            f[HARD] = ['45', '14', '5'][int(r() * 3)]
        elif code == 'SEX_INVALID':
            f[SEX] = ['未知', '3', 'M'][int(r() * 3)]
        return code


def body(f):
    t = f[TIME]
    if t < 0:
        ts = (datetime.datetime(2012, 1, 1, tzinfo=CN) + datetime.timedelta(seconds=t)).strftime(
            '%Y-%m-%dT%H:%M:%S+08:00')
    else:
        ts = fmt_time(t)
    return ','.join(f[:TIME]) + ',' + ts + ',' + f[UNIT]


def cs(*codes):
    return ';'.join('%s:%s' % (c, severity(c)) for c in codes if c)


# A row record: (sortkey, body, disposition, codes, canonical body or None, name, unit)

def rec(f, tie, disp, codes, canon=None):
    return (f[ID] + tie, body(f), disp, codes, body(canon) if canon is not None else None,
            f[NAME], f[UNIT])


def maybe_line_flag(g, f):
    if g.r() < LINE_FLAG_P:
        return g.line_flag(f)
    return None, None


def gen_multi(args):
    """Phase 1: the persons of province A registered in two provinces (A and B)."""
    a, plan, out_tmp = args
    rng = random.Random('%s/multi/%s' % (CTX['seed'], a))
    i = CTX['provinces'].index(a)
    g = Gen(rng, a, ['%02d' % (i * 3 + 2)])
    outs = {}
    for b, n in plan:
        for _ in range(n):
            f = g.person()
            fb = list(f)
            fb[UNIT] = CTX['reg'][b][int(g.r() * len(CTX['reg'][b]))]
            t1 = f[TIME]
            t2 = g.later(t1)
            if g.r() < 0.5:     # the second province's row is the newer one
                fb[TIME] = t2
                if g.r() < 0.5:
                    fb[DEST] = str(1 + int(g.r() * 15))
                newer, older, newer_p, older_p = fb, f, b, a
            else:
                f[TIME], fb[TIME] = t2, t1
                if g.r() < 0.5:
                    f[DEST] = str(1 + int(g.r() * 15))
                newer, older, newer_p, older_p = f, fb, a, b
            outs.setdefault(newer_p, []).append(rec(newer, '0', 'merged', cs('MULTIPLE_REGISTRATION')))
            outs.setdefault(older_p, []).append(rec(older, '0', 'superseded', cs('SUPERSEDED')))
    for p, recs in outs.items():
        d = os.path.join(out_tmp, 'multi', p)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, a + '.tsv'), 'w', encoding='utf-8') as fh:
            for x in recs:
                fh.write('\t'.join(v if v is not None else '' for v in x) + '\n')
    return a, len(g.seen)


class Sha256Writer:
    """gzip (mtime 0) + sha256 of the compressed bytes, written in chunks."""

    def __init__(self, path, level):
        self.fh = open(path, 'wb')
        self.z = zlib.compressobj(level, zlib.DEFLATED, 31, 9)
        self.h = hashlib.sha256()
        self.buf = []
        self.n = 0
        self.raw = 0

    def write(self, s):
        self.buf.append(s)
        self.n += len(s)
        if self.n > 1 << 20:
            self.flush_buf()

    def flush_buf(self):
        data = ''.join(self.buf).encode('utf-8')
        self.raw += len(data)
        c = self.z.compress(data)
        self.h.update(c)
        self.fh.write(c)
        self.buf, self.n = [], 0

    def close(self):
        self.flush_buf()
        c = self.z.flush()
        self.h.update(c)
        self.fh.write(c)
        self.fh.close()
        return self.h.hexdigest()


def csv_field(v):
    if any(ch in v for ch in ',"\r\n'):
        return '"' + v.replace('"', '""') + '"'
    return v


def gen_province(args):
    """Phase 2: one province's files, its truth and its sorted merged rows."""
    p, quota, out, tmp = args
    t0 = time.time()
    rng = random.Random('%s/main/%s' % (CTX['seed'], p))
    i = CTX['provinces'].index(p)
    g = Gen(rng, p, ['%02d' % (i * 3), '%02d' % (i * 3 + 1)])
    r = g.r
    recs = []
    mdir = os.path.join(tmp, 'multi', p)
    if os.path.isdir(mdir):
        for name in sorted(os.listdir(mdir)):
            with open(os.path.join(mdir, name), encoding='utf-8') as fh:
                for line in fh:
                    x = line.rstrip('\n').split('\t')
                    recs.append((x[0], x[1], x[2], x[3], x[4] or None, x[5], x[6]))
    budget = quota - len(recs)
    kinds = KINDS
    while budget > 0:
        x = r()
        kind = 'single'
        for k, pk in kinds:
            if x < pk:
                kind = k
                break
            x -= pk
        if budget < 2 and kind != 'reject':
            kind = 'single'
        if kind == 'single':
            f = g.person()
            code, canon = maybe_line_flag(g, f)
            if code is None and r() < PERSON_FLAG_P / (1 - LINE_FLAG_P):
                code = g.person_flag(f)
            recs.append(rec(f, '0', 'merged', cs(code), canon))
            budget -= 1
        elif kind == 'reject':
            f = g.person()
            code = g.reject(f)
            recs.append(rec(f, '0', 'rejected', cs(code)))
            budget -= 1
        elif kind == 'follow':
            f = g.person()
            f2 = list(f)
            f2[TIME] = g.later(f[TIME])
            f2[DEST] = str(1 + int(r() * 15))
            c1, k1 = maybe_line_flag(g, f)
            c2, k2 = maybe_line_flag(g, f2)
            t1, t2 = ('0', '1') if r() < 0.5 else ('1', '0')
            recs.append(rec(f, t1, 'superseded', cs(c1, 'SUPERSEDED')))
            recs.append(rec(f2, t2, 'merged', cs(c2), k2))
            budget -= 2
        elif kind == 'dup':
            f = g.person()
            recs.append(rec(f, '0', 'merged', ''))
            recs.append(rec(f, '1', 'duplicate', cs('DUPLICATE')))
            budget -= 2
        elif kind == 'newrej':
            f = g.person()
            f2 = list(f)
            f2[TIME] = g.later(f[TIME])
            f2[DEST] = str(1 + int(r() * 15))
            f2[EDU] = '6'
            recs.append(rec(f, '0', 'merged', ''))
            recs.append(rec(f2, '1', 'rejected', cs('EDU_INVALID', 'NEWEST_REJECTED')))
            budget -= 2
        elif kind == 'conflict':
            f = g.person()
            f[DEST] = str(1 + int(r() * 15))
            f2 = list(f)
            f2[DEST] = str(1 + (int(f[DEST]) + int(r() * 14)) % 15)
            w, l = (f, f2) if body(f) > body(f2) else (f2, f)
            t1, t2 = ('0', '1') if r() < 0.5 else ('1', '0')
            recs.append(rec(w, t1, 'merged', cs('CONFLICT')))
            recs.append(rec(l, t2, 'superseded', cs('SUPERSEDED')))
            budget -= 2
        elif kind == 'idmis':
            f = g.person()
            f2 = list(f)
            f2[TIME] = g.later(f[TIME])
            f2[DEST] = str(1 + int(r() * 15))
            while f2[NAME] == f[NAME]:
                f2[NAME] = f[NAME][0] + GIVEN[int(r() * len(GIVEN))] + f[NAME][2:]
            recs.append(rec(f, '0', 'superseded', cs('SUPERSEDED')))
            recs.append(rec(f2, '1', 'merged', cs('IDENTITY_MISMATCH')))
            budget -= 2
        elif kind == 'destemp':
            f = g.person()
            f[DEST] = str(1 + int(r() * 15))
            f2 = list(f)
            f2[TIME] = g.later(f[TIME])
            f2[DEST] = ''
            recs.append(rec(f, '0', 'superseded', cs('SUPERSEDED')))
            recs.append(rec(f2, '1', 'merged', cs('DEST_EMPTIED')))
            budget -= 2
    recs.sort(key=lambda x: x[0])
    t_gen = time.time() - t0

    base = '%s-%s' % (p, PERIOD)
    inbox = os.path.join(out, 'data', '000000', 'inbox', PERIOD)
    data_name = base + '.csv.gz'
    disc_name = base + '.discrepancies.csv.gz'
    w = Sha256Writer(os.path.join(inbox, data_name), CTX['level'])
    tw = Sha256Writer(os.path.join(out, 'truth', base + '.lines.tsv.gz'), 1)
    tw.write('line\tid\tdisposition\tcodes\n')
    mh = open(os.path.join(tmp, 'merged-%s.tsv' % p), 'w', encoding='utf-8')
    counts = {'rejected': 0, 'merged': 0, 'superseded': 0, 'duplicate': 0}
    codes_n = 0
    code_hist = {}
    w.write(HEADER)
    flagged = []
    per_child = {}
    top = CTX['top']
    for n, x in enumerate(recs, 1):
        key, b, disp, codes, canon = x[0], x[1], x[2], x[3], x[4]
        w.write('%d,%s\n' % (n, b))
        pid = key[:-1]
        tw.write('%d\t%s\t%s\t%s\n' % (n + 1, pid, disp, codes))
        counts[disp] += 1
        if codes:
            for c in codes.split(';'):
                codes_n += 1
                cc = c.split(':')[0]
                code_hist[cc] = code_hist.get(cc, 0) + 1
                if c.endswith(':flag') and cc not in ('MULTIPLE_REGISTRATION', 'CONFLICT',
                                                       'IDENTITY_MISMATCH', 'DEST_EMPTIED'):
                    flagged.append((n, pid, x[5], x[6], cc))
        if disp == 'merged':
            mh.write('%s\t%s\t%d\t%s\n' % (pid, data_name, n + 1, canon or b))
        u = x[6]
        ch = top.get(u) if province_of(u) == p else None
        if ch is None:
            ch = CTX['children'][p][n % len(CTX['children'][p])]
        per_child[ch] = per_child.get(ch, 0) + 1
    data_sha = w.close()
    tw.close()
    mh.close()
    rows = len(recs)
    raw_bytes = w.raw
    del recs

    # The province's discrepancy report, as its own run and its children's would have written it.
    drows = province_report(p, g, flagged, per_child)
    dw = Sha256Writer(os.path.join(inbox, disc_name), CTX['level'])
    dw.write(DISC_HEADER)
    for d in drows:
        dw.write(','.join(csv_field(v) for v in d) + '\n')
    disc_sha = dw.close()

    inputs = []
    acc = {'linesRead': 0, 'blank': 0, 'rejected': 0, 'merged': 0, 'superseded': 0, 'duplicate': 0}
    for ch in CTX['children'][p]:
        merged = per_child.get(ch, 0)
        sup = int(merged * 0.01 * r())
        dup = int(merged * 0.002 * r())
        e = {'file': '%s-%s.csv.gz' % (ch, PERIOD), 'from': ch,
             'sha256': '%064x' % rng.getrandbits(256), 'status': 'read',
             'linesRead': merged + sup + dup, 'blank': 0, 'rejected': 0, 'merged': merged,
             'superseded': sup, 'duplicate': dup}
        inputs.append(e)
        for k in acc:
            acc[k] += e[k]
    acc['carriedForward'] = 0
    acc['outputRows'] = acc['merged']
    u = CTX['units'][p]
    manifest = {
        'format': 'huizong-manifest/1', 'unit': p, 'unitName': u['name'], 'level': 'province',
        'period': PERIOD, 'asOf': PROVINCE_ASOF, 'tool': TOOL, 'rules': RULES_VERSION,
        'inputs': inputs, 'accounting': acc,
        'children': {'expected': list(CTX['children'][p]), 'received': list(CTX['children'][p]),
                     'missing': [], 'late': [], 'rejected': []},
        'outputs': {'summary': {'file': data_name, 'sha256': data_sha, 'rows': rows},
                    'discrepancies': {'file': disc_name, 'sha256': disc_sha, 'rows': len(drows)}},
    }
    mpath = os.path.join(inbox, base + '.manifest.json')
    with open(mpath, 'w', encoding='utf-8') as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=1)
        fh.write('\n')
    for name in (data_name, disc_name, base + '.manifest.json'):
        os.utime(os.path.join(inbox, name), (SHIP_MTIME, SHIP_MTIME))
    return {'unit': p, 'file': data_name, 'rows': rows, 'counts': counts, 'ownReportRows': codes_n,
            'codes': code_hist, 'reportRows': len(drows), 'rawBytes': raw_bytes,
            'gzBytes': os.path.getsize(os.path.join(inbox, data_name)),
            'discGzBytes': os.path.getsize(os.path.join(inbox, disc_name)),
            'seconds': round(time.time() - t0, 2), 'genSeconds': round(t_gen, 2)}


def province_report(p, g, flagged, per_child):
    """Plausible rows of a province's report: findings of its counties, cities and its own."""
    r = g.r
    units = CTX['units']
    rows = []
    reg = CTX['reg'][p]

    def chain(county):
        """county, its ancestors below the province, then the province."""
        out = [county]
        u = units[county]
        while u['parent'] != p and u.get('parent'):
            out.append(u['parent'])
            u = units[u['parent']]
        out.append(p)
        return out

    for n, pid, name, unit, code in flagged:
        if province_of(unit) != p or unit not in units:
            continue
        field = {'MOBILE_INVALID': '手机号码', 'NEEDS_MISSING': '就业服务需求', 'POSTCODE_INVALID': '邮编',
                 'EMAIL_INVALID': '电子邮箱', 'MULTI_REPEATED': '就业意向', 'LANDLINE_INVALID': '固定电话',
                 'NO_PHONE': '手机号码', 'INTENT_9_COMBINED': '就业意向', 'NEEDS_WITH_9': '就业服务需求',
                 'AGE_IMPLAUSIBLE': '毕业日期', 'GRADDATE_AFTER_UPDATE': '毕业日期'}.get(code, '')
        levels = chain(unit)
        src_file = 'batch-%02d.csv' % (1 + int(r() * 4))
        src_line = 2 + int(r() * 400)
        for j, finder in enumerate(levels):
            if j == 0:
                src, sfile, sline = unit, src_file, src_line
            else:
                src = levels[j - 1]
                sfile = '%s-%s.csv.gz' % (src, PERIOD)
                sline = 2 + int(r() * 3000)
            raw = ''
            rows.append([finder, src, sfile, str(sline), pid, name, field, code, 'flag',
                         MESSAGES.get(code, code), raw])
    # County-level rejects and superseded follow-ups on the intake batches.
    n_extra = int(sum(per_child.values()) * 0.06)
    codes = ['ID_CHECKSUM', 'GRADDATE_INVALID', 'EDU_INVALID', 'HUKOU_INVALID', 'SUPERSEDED',
             'SUPERSEDED', 'SUPERSEDED', 'SUPERSEDED', 'DUPLICATE', 'NAME_INVALID']
    for _ in range(n_extra):
        county = reg[int(r() * len(reg))]
        f = g.person(unit=county)
        code = codes[int(r() * len(codes))]
        field = {'ID_CHECKSUM': '公民身份号码', 'GRADDATE_INVALID': '毕业日期', 'EDU_INVALID': '学历',
                 'HUKOU_INVALID': '入学前户口所在地', 'NAME_INVALID': '姓名'}.get(code, '')
        raw = {'ID_CHECKSUM': f[ID], 'GRADDATE_INVALID': f[GRAD][:6], 'EDU_INVALID': '6',
               'HUKOU_INVALID': '999999', 'NAME_INVALID': f[NAME] + '1'}.get(code, '')
        if code == 'SUPERSEDED':
            msg = '已被batch-%02d.csv第%d行取代 superseded by a newer row' % (2, 2 + int(r() * 300))
        else:
            msg = MESSAGES.get(code, code)
        rows.append([county, county, 'batch-%02d.csv' % (1 + int(r() * 4)), str(2 + int(r() * 400)),
                     f[ID], f[NAME], field, code, severity(code), msg, raw])
    # Now and then a city found one of its counties missing.
    if r() < 0.3 and len(reg) > 1:
        county = reg[int(r() * len(reg))]
        parent = units[county]['parent']
        rows.append([parent, county, '', '', '', '', '', 'CHILD_MISSING', 'flag',
                     '下级单位%s未报送2012-09 child %s sent nothing for 2012-09' % (county, county), ''])
    rows.sort(key=lambda d: (d[0], d[2], int(d[3]) if d[3] else 0, d[7]))
    return rows


def gen_county_batch(args, cfg):
    """A county's intake batch (plain CSV, no 序号 order guarantees), for the county-run timing."""
    init_worker(cfg)
    unit = args.county_batch
    if unit not in CTX['units'] or CTX['units'][unit]['level'] != 'county':
        sys.exit('gen_national: %s is not a county of the hierarchy' % unit)
    p = province_of(unit)
    rng = random.Random('%s/county/%s' % (args.seed, unit))
    g = Gen(rng, p, ['%02d' % (CTX['provinces'].index(p) * 3)])
    rows = []
    while len(rows) < args.rows:
        f = g.person(unit=unit)
        x = g.r()
        if x < 0.02:
            g.reject(f)
            if f[UNIT] != unit:
                f[UNIT] = unit
        elif x < 0.05:
            g.line_flag(f)
        rows.append(body(f))
        if x > 0.85 and len(rows) < args.rows:
            f2 = list(f)
            f2[TIME] = g.later(f[TIME])
            f2[DEST] = str(1 + int(g.r() * 15))
            rows.append(body(f2))
    with open(args.out, 'w', encoding='utf-8') as fh:
        fh.write(HEADER)
        for n, b in enumerate(rows, 1):
            fh.write('%d,%s\n' % (n, b))
    print('wrote %s: %d rows for %s' % (args.out, len(rows), unit))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--rows', type=int, default=1000000, help='data lines in all (default 1,000,000)')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--out', required=True, help='output directory (replaced), or file with --county-batch')
    ap.add_argument('--divisions', default=DEFAULT_DIVISIONS)
    ap.add_argument('--ethnic', default=DEFAULT_ETHNIC)
    ap.add_argument('--level', type=int, default=6, help='gzip level of the province files (default 6)')
    ap.add_argument('--jobs', type=int, default=2, help='worker processes (default 2)')
    ap.add_argument('--county-batch', metavar='UNIT', help='write one intake batch CSV for this county')
    args = ap.parse_args()
    for path in (args.divisions, args.ethnic):
        if not os.path.exists(path):
            sys.exit('gen_national: %s not found' % path)
    cfg = {'seed': args.seed, 'divisions': os.path.abspath(args.divisions),
           'ethnic': os.path.abspath(args.ethnic), 'level': args.level}
    if args.county_batch:
        return gen_county_batch(args, cfg)

    t0 = time.time()
    out = os.path.abspath(args.out)
    if os.path.exists(out):
        shutil.rmtree(out)
    inbox = os.path.join(out, 'data', '000000', 'inbox', PERIOD)
    os.makedirs(inbox)
    os.makedirs(os.path.join(out, 'truth'))
    tmp = os.path.join(out, 'tmp')
    os.makedirs(tmp)

    init_worker(cfg)
    units = list(CTX['units'].values())
    pipeline = {
        'cohort': COHORT,
        'graduationWindow': {'from': '2012-01-01', 'to': '2012-12-31'},
        'reporting': {'firstPeriod': '2012-08', 'lastPeriod': '2013-06', 'deadlineDay': 5},
        'layout': {'inbox': 'data/{unit}/inbox/{period}', 'outbox': 'data/{unit}/outbox/{period}'},
        'units': units,
    }
    with open(os.path.join(out, 'pipeline.json'), 'w', encoding='utf-8') as fh:
        json.dump(pipeline, fh, ensure_ascii=False, indent=1)
        fh.write('\n')

    provs = CTX['provinces']
    wsum = sum(WEIGHTS[p[:2]] for p in provs)
    exact = [args.rows * WEIGHTS[p[:2]] / wsum for p in provs]
    quota = [int(e) for e in exact]
    for j in sorted(range(len(provs)), key=lambda j: -(exact[j] - quota[j]))[:args.rows - sum(quota)]:
        quota[j] += 1
    quota = dict(zip(provs, quota))
    # Plan the persons registered in two provinces: A (where generated) and B.
    persons = args.rows / 1.2
    prng = random.Random('%s/multi-plan' % args.seed)
    plans = {}
    for a in provs:
        n = int(round(persons * MULTI_SHARE * WEIGHTS[a[:2]] / wsum))
        others = [b for b in provs if b != a]
        ow = [WEIGHTS[b[:2]] for b in others]
        cnt = {}
        for b in prng.choices(others, weights=ow, k=n):
            cnt[b] = cnt.get(b, 0) + 1
        plans[a] = sorted(cnt.items())
    order = sorted(provs, key=lambda p: -quota[p])
    with Pool(args.jobs, initializer=init_worker, initargs=(cfg,)) as pool:
        list(pool.imap_unordered(gen_multi, [(a, plans[a], tmp) for a in order]))
        t1 = time.time()
        stats = list(pool.imap_unordered(gen_province, [(p, quota[p], out, tmp) for p in order]))
    t2 = time.time()
    stats.sort(key=lambda s: s['unit'])

    # Merge the provinces' merged rows (each sorted by ID) into the expected national summary.
    files = [open(os.path.join(tmp, 'merged-%s.tsv' % p), encoding='utf-8') for p in provs]
    mw = Sha256Writer(os.path.join(out, 'truth', 'merged.tsv.gz'), 1)
    ew = Sha256Writer(os.path.join(out, 'truth', 'expected-summary.csv.gz'), 1)
    mw.write('id\tfile\tline\n')
    ew.write(HEADER)
    n = 0
    prev = ''
    for line in heapq.merge(*files):
        pid, fname, ln, b = line.split('\t', 3)
        if pid == prev:
            sys.exit('gen_national: internal error: %s merged twice' % pid)
        prev = pid
        n += 1
        mw.write('%s\t%s\t%s\n' % (pid, fname, ln))
        ew.write('%d,%s' % (n, b))
    mw.close()
    ew.close()
    for fh in files:
        fh.close()
    shutil.rmtree(tmp)

    totals = {k: sum(s['counts'][k] for s in stats) for k in ('rejected', 'merged', 'superseded', 'duplicate')}
    codes = {}
    for s in stats:
        for c, k in s['codes'].items():
            codes[c] = codes.get(c, 0) + k
    own = sum(s['ownReportRows'] for s in stats)
    carried = sum(s['reportRows'] for s in stats)
    summary = {
        'format': 'huizong-bench-truth/1',
        'generator': 'scripts/gen_national.py', 'rows': args.rows, 'seed': args.seed,
        'unit': '000000', 'period': PERIOD, 'asOf': AS_OF,
        'command': 'aggregate run --config pipeline.json --unit 000000 --period %s --as-of %s' % (PERIOD, AS_OF),
        'exitStatus': 0,
        'inputs': [{'file': s['file'], 'from': s['unit'], 'status': 'read', 'linesRead': s['rows'],
                    'blank': 0, **s['counts']} for s in stats],
        'accounting': {'linesRead': sum(s['rows'] for s in stats), 'blank': 0, **totals, 'carriedForward': 0,
                       'outputRows': totals['merged']},
        'children': {'expected': provs, 'received': provs, 'missing': [], 'late': [], 'rejected': []},
        'report': {'ownRows': own, 'carriedRows': carried, 'rows': own + carried, 'byCode': dict(sorted(codes.items()))},
        'sizes': {'csvBytes': sum(s['rawBytes'] for s in stats), 'gzBytes': sum(s['gzBytes'] for s in stats),
                  'discrepanciesGzBytes': sum(s['discGzBytes'] for s in stats)},
    }
    with open(os.path.join(out, 'truth', 'summary.json'), 'w', encoding='utf-8') as fh:
        json.dump(summary, fh, ensure_ascii=False, indent=1)
        fh.write('\n')
    if n != totals['merged']:
        sys.exit('gen_national: internal error: %d merged rows, %d expected' % (n, totals['merged']))
    t3 = time.time()
    mb = 1e6
    print('gen_national: %d rows (%d merged, %d rejected, %d superseded, %d duplicate) in %d files; '
          '%.1f MB csv, %.1f MB gz (+ %.1f MB gz reports, %d rows); %.1f s (persons %.1f, provinces %.1f, '
          'truth %.1f)' % (args.rows, totals['merged'], totals['rejected'], totals['superseded'],
                           totals['duplicate'], len(stats), summary['sizes']['csvBytes'] / mb,
                           summary['sizes']['gzBytes'] / mb, summary['sizes']['discrepanciesGzBytes'] / mb,
                           carried, t3 - t0, t1 - t0, t2 - t1, t3 - t2))


if __name__ == '__main__':
    main()
