"""Demo data: a fictional county (河湾县) with offices, advisors and a lifecycle-true case load.

``build_demo_document`` returns a complete ``mediator-case/1`` document (see EXCHANGE.md) that the
importer can replay: every case's events follow the transition table, dates run forward and never
pass ``today``, identity numbers and credit codes carry valid check characters. Everything is
drawn from one ``random.Random(seed)``, so a seed always gives the same document.

As in the sample file, a case's ``track``, ``organization``, ``level`` and ``mediators`` are those
it was received with; ``transfer``, ``escalate`` and ``hand_down`` events move it from there.
"""
from __future__ import annotations

import gc
import random
from bisect import bisect
from datetime import date, timedelta
from itertools import accumulate
from typing import Any

from mediator.domain.enums import CaseStatus, Category, Level, OrganizationKind, VillageKind

FORMAT = "mediator-case/1"
COUNTY_CODE = "419902000000"
COUNTY_NAME = "河湾县"
ID_PREFIX = "419902"  # 身份证号 address code of the county
REF_PREFIX = "HW"

_HISTORY_DAYS = 730  # received_on spreads over about two years before today
_ISO_BEFORE = 1600  # the date table reaches this many days back from today…
_ISO_AFTER = 400  # …and this many ahead (agreement deadlines, extensions)

_U = VillageKind.URBAN_COMMUNITY.value
_R = VillageKind.RURAL_VILLAGE.value
_P = VillageKind.INDUSTRIAL_PARK.value

# (township digits 7–9, name, short). Ranges: 001–099 街道, 100–199 镇, 200–399 乡.
_TOWNSHIPS = (
    ("001", "河滨街道", "河滨"),
    ("101", "柳林镇", "柳林"),
    ("102", "石桥镇", "石桥"),
    ("201", "桃园乡", "桃园"),
)
# (township digits, village digits, name, kind, committee short or None when it has no committee).
# Village ranges: 001–199 communities, 200–399 villages, 400+ parks.
_VILLAGES = (
    ("001", "001", "滨江社区", _U, "滨江"),
    ("001", "002", "文昌社区", _U, "文昌"),
    ("001", "003", "新华社区", _U, "新华"),
    ("001", "004", "锦绣社区", _U, None),
    ("001", "201", "北湾村", _R, "北湾"),
    ("001", "401", "滨河科技园", _P, "科技园"),
    ("101", "001", "柳苑社区", _U, "柳苑"),
    ("101", "201", "东柳村", _R, "东柳"),
    ("101", "202", "西柳村", _R, "西柳"),
    ("101", "203", "大王庄村", _R, "大王庄"),
    ("101", "204", "杨树湾村", _R, "杨树湾"),
    ("101", "205", "马坊村", _R, None),
    ("102", "001", "桥东社区", _U, "桥东"),
    ("102", "201", "南石村", _R, "南石"),
    ("102", "202", "李家寨村", _R, "李家寨"),
    ("102", "203", "孙楼村", _R, "孙楼"),
    ("102", "204", "前进村", _R, "前进"),
    ("102", "205", "高庄村", _R, None),
    ("102", "401", "石桥食品产业园", _P, "食品园"),
    ("201", "201", "桃花村", _R, "桃花"),
    ("201", "202", "杏林村", _R, "杏林"),
    ("201", "203", "梨树沟村", _R, "梨树沟"),
    ("201", "204", "张湾村", _R, "张湾"),
    ("201", "205", "青龙村", _R, None),
)
_GRID_NAMES = {
    _U: ("东区网格", "西区网格", "南区网格", "北区网格"),
    _R: ("一网格", "二网格", "三网格", "四网格"),
    _P: ("一号网格", "二号网格", "三号网格", "四号网格"),
}

_COURT = "河湾县人民法院"
_TRIBUNAL = "河湾县人民法院柳林人民法庭"
_MEDICAL_COMMITTEE = "河湾县医疗纠纷人民调解委员会"
_COUNTY_BODIES = {  # administrative detail -> (name, short) of the county body
    "traffic": ("河湾县公安局交通警察大队", "交警"),
    "labor": ("河湾县人力资源和社会保障局", "人社"),
    "medical": ("河湾县卫生健康委员会", "卫健"),
    "other": ("河湾县住房和城乡建设局", "住建"),
}

# Advisors: (name, kind, firm, village indexes into _VILLAGES). Villages 2, 3, 15, 22 have none.
_ADVISORS = (
    ("陈立明", "lawyer", "河湾县正言律师事务所", (0, 1, 4)),
    ("周雅琴", "lawyer", "河湾县正言律师事务所", (5, 6)),
    ("郭志远", "lawyer", "河南滨河律师事务所", (7, 8, 9)),
    ("孙慧敏", "lawyer", "河南滨河律师事务所", (10, 11)),
    ("韩东升", "lawyer", "河湾县明理律师事务所", (12, 13, 14)),
    ("吕桂芳", "legal_worker", "河湾县石桥法律服务所", (16, 17, 18)),
    ("冯建业", "legal_worker", "河湾县桃园法律服务所", (19, 20)),
    ("谢文静", "legal_worker", "河湾县桃园法律服务所", (21, 23)),
)

# --- names --------------------------------------------------------------------------------

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤"
)
# Henan-flavoured frequencies: the common surnames first and heavier; 𠮷 (outside the BMP) is rare.
_SURNAME_LIST = tuple(_SURNAMES) + ("𠮷", "欧阳", "司马")
_SURNAME_WEIGHTS = tuple(
    [max(40 - i, 4) for i in range(len(_SURNAMES))] + [0.3, 0.5, 0.3]
)
_SURNAME_CUM = tuple(accumulate(_SURNAME_WEIGHTS))
_MALE_GIVEN = (
    "建国", "国强", "志刚", "伟", "磊", "军", "勇", "海涛", "明", "超", "红军", "建华", "德胜",
    "长林", "满仓", "大山", "文博", "浩然", "子轩", "宇航", "保国", "新民", "振华", "国庆",
    "春生", "永刚", "俊杰", "鹏飞", "晓东", "二宝", "铁柱", "金锁", "学军", "卫东", "立新",
    "广平", "志强", "天佑", "一鸣", "博文",
)
_FEMALE_GIVEN = (
    "秀英", "桂兰", "玉兰", "丽", "敏", "静", "红霞", "芳", "娟", "淑珍", "春梅", "小红",
    "雅婷", "欣怡", "梓涵", "凤英", "翠花", "素梅", "爱华", "丽娟", "晓燕", "海燕", "玉梅",
    "巧云", "彩霞", "雪梅", "婷婷", "佳怡", "桂芝", "慧", "艳", "淑芬", "月娥", "金凤",
    "若曦", "思雨", "丹", "萍", "琳", "瑶",
)
_ETHNICITIES = ("汉族",) * 46 + ("回族", "回族", "满族", "蒙古族")
_JOBS = {
    _R: ("农民",) * 6 + ("务工", "个体经营", "养殖户", "司机"),
    _U: ("企业职工", "个体经营", "教师", "自由职业", "无业", "司机", "公司职员"),
    _P: ("企业职工", "务工", "公司职员", "个体经营"),
}
_RELATIONS = ("儿子", "女儿", "配偶", "兄弟", "亲属", "律师")
_MOBILE_HEADS = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152",
    "153", "155", "156", "157", "158", "159", "166", "177", "180", "181", "182", "183", "185",
    "186", "187", "188", "189", "191", "198", "199",
)
_AREA_CODE = "0396"

# --- organisations appearing as parties -----------------------------------------------------

_COMPANY_WORDS = ("宏达", "鑫源", "恒信", "兴旺", "瑞丰", "金穗", "顺通", "华联", "永盛", "德润",
                  "泰和", "嘉禾", "天成", "聚力", "丰源", "汇通")
# (kind key, name pattern, registration+type digits of the credit code)
_ORG_PATTERNS = {
    "company": (("{w}建材有限公司", "{w}运输有限公司", "{w}农业开发有限公司", "{w}食品有限公司",
                 "{w}建筑劳务有限公司", "{w}机械制造有限公司", "{w}商贸有限公司"), "91"),
    "coop": (("{w}种植农民专业合作社", "{w}养殖农民专业合作社"), "93"),
    "property": (("{w}物业服务有限公司",), "91"),
    "shop": (("{w}家电商场有限公司", "{w}超市有限公司", "{w}健身服务有限公司", "{w}电子商务有限公司"), "91"),
    "travel": (("{w}旅行社有限公司",), "91"),
}
_HOSPITALS = ("河湾县人民医院", "河湾县中医院", "河湾县妇幼保健院", "柳林镇卫生院", "石桥镇卫生院",
              "桃园乡卫生院")
# category -> (probability that the respondent is an organisation, organisation kind)
_ORG_RESPONDENT = {
    "contract": (0.12, "company"), "business": (0.15, "coop"), "labor": (0.3, "company"),
    "medical": (0.9, "hospital"), "property_management": (0.45, "property"),
    "consumer": (0.5, "shop"), "tourism": (0.7, "travel"), "environment": (0.3, "company"),
    "internet": (0.4, "shop"), "ip": (0.4, "company"), "traffic": (0.08, "company"),
    "land_expropriation": (0.05, "coop"), "marriage_family": (0.0, "company"),
}
_ORG_RESPONDENT_OTHER = 0.02

# --- case texts --------------------------------------------------------------------------------
# Per category: entries (summary, request, a non-monetary agreement term or None, who pays: "b"
# the respondent or "a" the applicant[, what the money is for]) and what money is paid for. Placeholders: {a} applicant,
# {b} respondent, {v} village, {t} township, {m} amount in yuan, {n} a small number. Each category
# has entries without {m} for disputes where no money is at stake.

_TEXTS: dict[str, tuple[tuple[tuple[str, ...], ...], str]] = {
    "marriage_family": ((
        ("{a}与{b}系夫妻，婚后因家庭琐事长期争吵，{a}提出离婚，双方在子女抚养和共同财产分割上分歧较大。",
         "请求调解解决子女抚养及共同财产分割问题。",
         "子女由{a}抚养，{b}享有探望权，每月探望不少于两次。", "b", "共同财产折价款"),
        ("{a}之母年事已高，{a}与{b}等兄弟姐妹在赡养费分担上互相推诿，老人生活陷入困难。",
         "请求明确兄弟姐妹之间赡养费的分担方式并分担医疗费用。",
         "{a}与{b}轮流照顾老人起居，每人每月轮值一次。", "b", "赡养费"),
        ("{a}与{b}离婚后，{b}未按约定支付子女抚养费，累计拖欠约{m}元，双方多次争吵。",
         "请求{b}支付拖欠的抚养费{m}元。", "{b}今后按月支付子女抚养费，不得再拖欠。", "b", "抚养费"),
        ("{a}与{b}系亲属，因老宅居住和家务分工问题长期不和，矛盾逐步激化，经网格员发现后介入。",
         "请求调解家庭矛盾，恢复正常生活秩序。", "双方今后互相尊重，不得因家庭琐事辱骂、争吵。", "b", "房屋使用补偿款"),
    ), "赡养（抚养）费"),
    "neighbor": ((
        ("{a}与{b}系{v}邻居，因{b}在两家之间的通道堆放杂物影响通行，双方多次发生口角。",
         "请求{b}清除堆放物，恢复通道畅通。", "{b}于协议签订后三日内清理堆放在公共通道上的杂物。", "b"),
        ("{b}家屋檐滴水落入{a}院内，致{a}家院墙受潮开裂，双方协商未果，损失约{m}元。",
         "请求{b}赔偿损失{m}元并整改屋檐排水。", "{b}加装雨水管，将屋檐滴水引入自家排水沟。", "b"),
        ("{a}与{b}因共用排水沟堵塞互相指责，雨天积水倒灌{a}家中，双方情绪激动。",
         "请求{b}共同疏通排水沟并分担费用。", "双方共同出资疏通排水沟，今后各自做好门前清扫。", "b", "清淤费用"),
        ("{b}家饲养的犬只咬伤{a}，{a}花去医疗费约{m}元，双方就赔偿数额争执不下。",
         "请求{b}赔偿医疗费等损失{m}元。", "{b}今后拴养犬只，出门遛狗佩戴牵引绳。", "b", "医疗费等损失"),
        ("{a}反映{b}夜间经营烧烤摊噪音扰民，双方多次争吵，网格员上门劝解未果。",
         "请求{b}停止夜间经营，不再影响邻居休息。", "{b}每晚22时前结束经营，不再影响邻居休息。", "b"),
    ), "财物损失费"),
    "housing_homestead": ((
        ("{a}与{b}宅基地相邻，{b}翻建房屋时占用{a}宅基地约{n}平方米，双方对界址各执一词。",
         "请求确认宅基地界址，{b}拆除越界部分。",
         "双方以宅基地使用证记载的四至为准，现场共同确认界址并埋设界桩，{b}于一个月内拆除越界搭建的围墙。", "b",
         "补偿款"),
        ("{a}将位于{v}的房屋出租给{b}，{b}拖欠房租约{m}元，且房屋设施损坏，双方发生纠纷。",
         "请求{b}支付拖欠房租及维修费用{m}元。", "双方租赁合同于本月底解除，{b}按期腾退房屋。", "b",
         "房租及维修费用"),
        ("{a}与{b}系兄弟姐妹，因父母遗留老宅的分割问题意见不一，{b}强行居住并更换门锁。",
         "请求依法分割老宅使用权。", "老宅东屋归{a}使用，西屋归{b}使用，院落共同使用。", "b", "房屋折价款"),
        ("{b}建房时开挖地基导致{a}房屋墙体出现裂缝，{a}要求赔偿修缮费用约{m}元。",
         "请求{b}赔偿房屋修缮费用{m}元。", "{b}施工时采取支护措施，避免再次损坏{a}的房屋。", "b"),
    ), "房屋修缮费用"),
    "contract": ((
        ("{a}向{b}出售玉米等农产品，货款{m}元经多次催要未付，双方发生争执。",
         "请求{b}支付货款{m}元。", "{a}收到全部款项后出具收条，双方债权债务结清。", "b", "货款"),
        ("{b}承包{a}的房屋装修工程，{a}认为工程质量不合格拒付尾款{m}元，双方协商未果。",
         "请求{b}返修不合格部位后再结算尾款。",
         "{b}于协议签订后十日内对存在质量问题的部位进行返工维修，经{a}验收合格。", "a", "工程尾款"),
        ("{b}向{a}借款{m}元，约定一年内归还，到期后{b}以经营困难为由拒不还款。",
         "请求{b}返还借款{m}元。", "{a}收到全部还款后退还借条，双方债权债务结清。", "b", "借款"),
        ("{a}与{b}签订土地流转合同，{b}拖欠流转费{m}元，双方多次争吵。",
         "请求{b}支付土地流转费{m}元。", "双方继续履行原土地流转合同。", "b", "土地流转费"),
        ("{a}与{b}就农机作业服务的质量和收费标准发生分歧，双方均认为对方违约。",
         "请求{b}按合同约定履行义务并赔偿损失。", "双方签订的原合同自本协议签订之日起解除。", "b"),
    ), "欠款"),
    "business": ((
        ("{a}与{b}合伙经营养殖场，因经营亏损后账目不清，双方对投资款分担发生纠纷，涉及金额{m}元。",
         "请求清算合伙账目并返还投资款{m}元。", "双方合伙关系自本协议签订之日起终止，合伙财产按清点结果分配。", "b"),
        ("{b}在{v}经营的加工厂与{a}的门店因共用场地和水电费分摊问题产生矛盾。",
         "请求明确场地和水电费用的分担办法。", "今后共用场地的水电费按各自计量表读数分摊。", "b"),
        ("{a}从{b}处购进化肥、种子，使用后出现减产，{a}认为农资质量有问题，要求赔偿损失约{m}元。",
         "请求{b}赔偿减产损失{m}元。", None, "b"),
    ), "经营损失款"),
    "damages": ((
        ("{a}与{b}因琐事发生推搡，{a}摔倒受伤，花去医疗费约{m}元，双方就赔偿问题争执不下。",
         "请求{b}赔偿医疗费、误工费等损失{m}元。", "{b}向{a}赔礼道歉。", "b"),
        ("{b}驾驶农用三轮车倒车时撞坏{a}家院墙和门楼，损失约{m}元。",
         "请求{b}修复院墙门楼或赔偿损失{m}元。", "{b}于协议签订后十五日内将受损院墙修复原状。", "b",
         "财产损失费"),
        ("{b}在{a}承包地旁焚烧秸秆引燃{a}的麦秸垛，造成损失约{m}元。",
         "请求{b}赔偿损失{m}元。", None, "b", "财产损失费"),
        ("{a}的孩子在{b}经营的场所玩耍时受伤，双方对责任划分意见不一。",
         "请求{b}承担相应责任并赔礼道歉。", "{b}在经营场所危险部位加装防护设施。", "b"),
    ), "医疗费、误工费等各项损失"),
    "land_forest": ((
        ("{a}与{b}因承包地界址不清发生争执，{b}耕种时越过地界约{n}米。",
         "请求确认承包地界址。", "双方以承包经营权证记载的四至为准，由村组干部现场确定地界并埋设界桩。", "b"),
        ("{a}与{b}因{v}后山林地林木权属发生争议，{b}砍伐了争议林地内的杨树{n}棵，折价约{m}元。",
         "请求确认林木权属并赔偿损失{m}元。", "争议林地内的林木由双方共同管护，待确权后按结果处理。", "b"),
        ("{a}与{b}因灌溉用水先后顺序及机井使用问题多次发生争吵，影响农时。",
         "请求明确机井使用和灌溉轮次。", "机井由双方轮流使用，灌溉按地块远近依次进行。", "b"),
    ), "青苗及林木补偿款"),
    "land_expropriation": ((
        ("{a}与{b}同属{v}一个村民小组，对道路建设征地补偿款的分配方案有异议，多次到{t}反映。",
         "请求重新核算征地补偿款并公开分配方案。", "村民小组于协议签订后十日内公示补偿款分配明细。", "b"),
        ("{a}对其房屋拆迁评估价格不满，认为补偿款较同类房屋少{m}元，与{b}协商未果。",
         "请求提高补偿标准或调整安置方式。", "安置房按评估结果优先选房。", "b"),
        ("{a}与{b}系同户家庭成员，因征地补偿款{m}元的内部分配问题发生争执。",
         "请求依法分割征地补偿款{m}元。", None, "b"),
    ), "征地补偿款"),
    "environment": ((
        ("{b}经营的养殖场粪污直排，污染{a}等村民的鱼塘，造成鱼苗死亡，损失约{m}元。",
         "请求{b}停止排污并赔偿损失{m}元。", "{b}于一个月内建设粪污处理设施，不得再直排。", "b"),
        ("{b}的石料加工厂粉尘和噪声较大，影响周边村民生活，{a}等人多次投诉。",
         "请求{b}采取降尘降噪措施。", "{b}安装除尘设备，每日22时至次日6时停止高噪声作业。", "b"),
        ("{b}的厂房排放异味气体，{a}等附近居民反映强烈，担心影响身体健康。",
         "请求{b}整改异味排放问题。", "{b}于一个月内完成废气收集处理设施改造。", "b"),
    ), "污染损失补偿款"),
    "labor": ((
        ("{a}在{b}务工期间，{b}拖欠其工资{m}元，经多次催要未果。",
         "请求{b}支付拖欠工资{m}元。", None, "b"),
        ("{a}在{b}工作时受伤，双方就工伤待遇及医疗费用承担发生争议。",
         "请求确认工伤待遇并支付医疗费。", "{b}协助{a}办理工伤认定手续。", "b"),
        ("{b}以经营调整为由解除与{a}的劳动关系，未支付经济补偿，{a}要求支付{m}元。",
         "请求{b}支付经济补偿金{m}元。", "{b}为{a}出具解除劳动关系证明并办理社保转移手续。", "b"),
    ), "工资及经济补偿"),
    "medical": ((
        ("{a}在{b}住院治疗期间病情加重，家属认为医院存在诊疗过错，要求赔偿{m}元。",
         "请求{b}赔偿医疗费、护理费等损失{m}元。", "双方同意以医疗损害鉴定意见作为责任划分依据。", "b"),
        ("{a}在{b}接受手术后出现并发症，双方对医疗行为是否存在过错意见分歧。",
         "请求{b}承担后续治疗费用。", "{b}为{a}提供后续免费复查。", "b"),
        ("{a}在{b}输液后出现不良反应，家属情绪激动，要求医院给出说法。",
         "请求{b}说明诊疗经过并承担相应责任。", "{b}向{a}及家属说明诊疗经过并致歉。", "b"),
    ), "医疗损害赔偿款"),
    "property_management": ((
        ("{a}认为{b}对小区环境卫生和安保服务不到位，拒交物业费，{b}催缴{m}元未果。",
         "请求{b}改进服务并减免部分物业费。", "{b}加强小区保洁和门岗管理，{a}按减免后的金额补交物业费。", "a",
         "物业费"),
        ("{a}家楼顶渗水，{b}以不属于服务范围为由拒绝维修，双方争执不下。",
         "请求{b}维修渗水部位。", "{b}于十五日内完成楼顶防水维修。", "b", "室内损失补偿款"),
        ("{a}停放在小区内的车辆被高空坠物砸坏，认为{b}管理不到位，要求赔偿{m}元。",
         "请求{b}赔偿车辆维修费{m}元。", None, "b"),
    ), "物业相关费用"),
    "traffic": ((
        ("{b}驾驶电动车与{a}的摩托车在{v}村道相撞，{a}受伤住院，花去医疗费约{m}元。",
         "请求{b}赔偿医疗费、误工费、护理费等共计{m}元。", "{a}放弃其他赔偿请求。", "b"),
        ("{b}驾驶的货车在{t}集镇路口刮蹭{a}停放的轿车，双方对维修费用争执不下。",
         "请求{b}承担车辆维修费用。", "{b}承担本次事故车辆维修费用，保险理赔部分由{b}负责办理。", "b"),
        ("{a}骑电动自行车被{b}驾驶的小型客车撞伤，交警认定{b}负主要责任，双方就赔偿数额协商未果。",
         "请求{b}赔偿各项损失{m}元。", None, "b"),
    ), "医疗费、误工费、护理费等各项赔偿"),
    "consumer": ((
        ("{a}在{b}购买的冰箱使用不到一个月即出现故障，要求退货遭拒。",
         "请求{b}退货退款。", "{a}退回所购商品，{b}收到后办理退货手续。", "b"),
        ("{a}在{b}办理健身卡后，该店突然停业，剩余费用{m}元未退。",
         "请求{b}退还预付费用{m}元。", None, "b"),
        ("{a}在{b}购买的农药使用后出现药害，造成作物减产。",
         "请求{b}赔偿作物减产损失。", "{b}为{a}免费提供补种所需种子和技术指导。", "b"),
    ), "退款"),
    "tourism": ((
        ("{a}等人参加{b}组织的旅游团，行程中擅自增加购物点并缩短景点游览时间。",
         "请求{b}赔礼道歉并赔偿损失。", "{b}向{a}书面致歉。", "b"),
        ("{a}报名{b}的旅游线路后因故取消，{b}拒绝退还团费{m}元。",
         "请求{b}退还团费{m}元。", None, "b"),
    ), "旅游费用"),
    "ip": ((
        ("{b}在其门店招牌上使用与{a}注册商标近似的标识，{a}认为构成侵权。",
         "请求{b}停止使用侵权标识。", "{b}于十日内更换门店招牌，停止使用近似标识。", "b"),
        ("{b}未经许可在其网店使用{a}拍摄的产品图片，{a}要求赔偿{m}元。",
         "请求{b}删除侵权图片并赔偿{m}元。", "{b}删除网店中使用的涉案图片。", "b"),
    ), "侵权赔偿款"),
    "internet": ((
        ("{a}通过{b}的直播间购买土特产，收到的货物与宣传严重不符。",
         "请求{b}退货退款。", "{a}退回所购货物，{b}承担退货运费。", "b"),
        ("{a}在{b}网购的家电迟迟未发货，{b}拒绝退款{m}元。",
         "请求{b}退款{m}元。", None, "b"),
        ("{a}与{b}因在微信群中发布涉及对方的不实言论发生纠纷，影响恶劣。",
         "请求{b}删除不实言论并公开道歉。", "{b}删除网上涉及{a}的内容，并在原微信群中公开道歉。", "b"),
    ), "退款及赔偿"),
    "other": ((
        ("{a}与{b}因红白事操办费用分摊问题发生争执。",
         "请求调解解决费用分摊问题。", "红白事剩余物品按双方出资比例分配。", "b"),
        ("{a}反映{b}在公共区域私搭乱建，影响邻里出行，双方多次争吵。",
         "请求{b}拆除私搭乱建设施。", "{b}于十日内拆除私搭乱建设施。", "b"),
        ("{a}与{b}因合伙购买的农机具使用顺序发生纠纷，涉及费用约{m}元。",
         "请求{b}分担费用{m}元。", "双方按约定轮流使用农机具。", "b"),
    ), "相关费用"),
}
_CLOSING_TERMS = ("双方就本纠纷再无其他争议，今后互不追究。", "双方今后和睦相处，不得再因此事发生争执。",
                  "本协议履行完毕后，双方就本纠纷再无其他争议。")

# category -> (probability of no money at stake, low, high yuan)
_AMOUNTS = {
    "neighbor": (0.5, 200, 8000), "marriage_family": (0.3, 2000, 60000),
    "housing_homestead": (0.4, 2000, 80000), "contract": (0.0, 3000, 300000),
    "business": (0.2, 5000, 200000), "damages": (0.0, 500, 60000),
    "land_forest": (0.5, 1000, 30000), "land_expropriation": (0.2, 20000, 600000),
    "environment": (0.3, 2000, 80000), "labor": (0.0, 3000, 120000),
    "medical": (0.0, 10000, 500000), "property_management": (0.2, 600, 20000),
    "traffic": (0.0, 2000, 250000), "consumer": (0.0, 200, 20000), "tourism": (0.0, 800, 12000),
    "ip": (0.0, 5000, 100000), "internet": (0.2, 100, 20000), "other": (0.5, 500, 10000),
}

# --- weights ----------------------------------------------------------------------------------

_PEOPLE_CATEGORY_WEIGHTS = {
    "neighbor": 18, "marriage_family": 16, "housing_homestead": 13, "contract": 10,
    "damages": 10, "land_forest": 6, "business": 4, "land_expropriation": 3, "environment": 2,
    "labor": 3, "medical": 2, "property_management": 4, "traffic": 3, "consumer": 2,
    "tourism": 0.4, "ip": 0.3, "internet": 1.2, "other": 2,
}
_JUDICIAL_CATEGORY_WEIGHTS = {
    "contract": 20, "damages": 14, "marriage_family": 12, "housing_homestead": 10, "neighbor": 6,
    "business": 6, "labor": 5, "traffic": 8, "property_management": 4, "medical": 3,
    "land_forest": 3, "land_expropriation": 2, "environment": 1, "consumer": 2, "tourism": 0.5,
    "ip": 1, "internet": 2, "other": 1,
}
# administrative detail -> categories it handles (with weights)
_ADMIN_CATEGORIES = {
    "police": {"neighbor": 5, "damages": 5, "marriage_family": 2, "other": 1},
    "traffic": {"traffic": 1},
    "labor": {"labor": 1},
    "land": {"land_forest": 5, "housing_homestead": 3, "land_expropriation": 2},
    "consumer": {"consumer": 6, "tourism": 1, "internet": 2},
    "medical": {"medical": 1},
    "other": {"property_management": 4, "environment": 2, "land_expropriation": 2, "business": 1,
              "other": 1},
}
_ADMIN_DETAIL_WEIGHTS = {"police": 30, "traffic": 20, "labor": 15, "land": 12, "consumer": 12,
                         "medical": 5, "other": 6}
_JUDICIAL_DETAIL_WEIGHTS = {"pre_litigation": 45, "delegated": 25, "entrusted": 15,
                            "in_litigation": 15}
_TRACK_WEIGHTS = {"people": 70, "administrative": 18, "judicial": 12}
_STATUS_WEIGHTS = {"archived": 48, "performed": 10, "agreed": 8, "failed": 6, "withdrawn": 3,
                   "rejected": 3, "mediating": 12, "accepted": 5, "registered": 5}
_ARCHIVED_FROM = {"performed": 62, "agreed": 8, "failed": 15, "withdrawn": 8, "rejected": 7}
_PEOPLE_SOURCES = {"application": 45, "grid_report": 20, "ex_officio": 12, "referral_police": 7,
                   "referral_petition": 4, "hotline": 8, "referral_court": 2, "other": 2}
_ADMIN_SOURCES = {"application": 62, "hotline": 15, "ex_officio": 8, "referral_petition": 5,
                  "grid_report": 5, "other": 5}

# The first cases cycle through these so that a small document shows every track and detail.
_COMBOS = (
    ("people", None), ("administrative", "police"), ("judicial", "pre_litigation"),
    ("people", None), ("administrative", "traffic"), ("judicial", "delegated"),
    ("people", None), ("administrative", "labor"), ("judicial", "entrusted"),
    ("people", None), ("administrative", "land"), ("judicial", "in_litigation"),
    ("administrative", "consumer"), ("administrative", "medical"), ("administrative", "other"),
)
_STATUS_CYCLE = tuple(s.value for s in CaseStatus)
_CATEGORY_CYCLE = tuple(c.value for c in Category)
_CYCLED_CASES = 60

# --- lifecycle texts --------------------------------------------------------------------------

_REJECT_REASONS = ("被申请人明确拒绝调解（《人民调解法》第十七条）", "纠纷已诉至人民法院并已立案受理",
                   "纠纷涉嫌刑事犯罪，不属于人民调解受理范围", "纠纷已由劳动人事争议仲裁委员会受理")
_FAIL_REASONS = ("双方分歧较大，经多次调解未能达成协议，已告知当事人可通过仲裁、行政、诉讼途径解决",
                 "被申请人拒绝继续调解，已告知当事人依法维权途径",
                 "双方对赔偿数额差距过大，调解终止，已告知可向人民法院起诉")
_WITHDRAW_REASONS = ("双方自行和解，申请人撤回调解申请", "申请人决定直接向人民法院起诉，撤回调解申请",
                     "申请人因个人原因撤回申请")
_EXTEND_REASONS = ("案情复杂，需补充调查取证，经双方当事人同意延长调解期限", "当事人需时间筹措款项，双方同意延期调解",
                   "需等待损失评估结果，经双方同意延长调解期限")
_ESCALATE_REASONS = {
    "village": "网格内调处未果，上报村（社区）调委会",
    "township": "涉及人数较多，村级调处难度大，报请乡镇（街道）调委会协调",
    "county": "纠纷有激化风险，上报县矛盾纠纷多元化解中心督办",
}
_HAND_DOWN_REASON = "属村内邻里纠纷，交由村（社区）就地化解"
_PAUSE_REASON = "委托医疗损害鉴定，鉴定期间不计入调解期限"
_RESUME_REASON = "鉴定意见书已送达双方，恢复调解"
_INVESTIGATION_RECORDS = ("调解员走访{a}、{b}及周边群众，查看现场，了解纠纷起因。",
                          "调取相关票据、合同及照片等证据材料，核实损失情况。",
                          "分别听取{a}、{b}陈述，制作询问笔录，核实争议焦点。")
_MEDIATION_RECORDS = ("调解员释明相关法律规定，双方充分表达意见，约定再次协商。",
                      "背靠背做双方工作，{b}同意适当让步，{a}表示考虑。",
                      "邀请村干部和双方亲属参与调解，气氛趋于缓和，双方同意继续协商。")
_AGREE_RECORDS = ("经耐心疏导，双方各让一步，当场达成调解协议。", "调解员释法说理，双方自愿达成协议并签字确认。")
_FAIL_RECORDS = ("双方分歧较大，经反复调解未能达成一致。", "{b}坚持己见，拒绝接受调解方案。")
_FOLLOW_UP_NOTES = {
    "full": ("协议已全部履行，双方关系缓和。", "款项已结清，当事人表示满意。", "回访时双方均表示纠纷已彻底化解。"),
    "partial": ("已履行部分义务，余款约定近期付清，已督促履行。", "部分条款尚未履行，调解员已电话督促。"),
    "none": ("协议尚未履行，已督促义务人按期履行。", "义务人称经济困难暂未履行，已告知不履行的法律后果。"),
}
_PERFORMANCE_WAYS = ("一次性现金支付", "银行转账", "微信转账", "按协议约定期限自行履行")


def _cum(weights: dict[str, float]) -> tuple[tuple[str, ...], tuple[float, ...]]:
    return tuple(weights), tuple(accumulate(weights.values()))


class _Village:
    __slots__ = ("code", "name", "kind", "township", "grids", "committee", "pool", "place")

    def __init__(self, code: str, name: str, kind: str, township: _Township, grids: list[str]):
        self.code, self.name, self.kind = code, name, kind
        self.township, self.grids = township, grids
        self.place = township.name + name  # the start of every address here
        self.committee: str | None = None
        self.pool: list[dict[str, Any]] = []  # persons already seen here (repeat disputes)


class _Township:
    __slots__ = ("code", "name", "short", "committee", "police", "market", "land", "villages")

    def __init__(self, code: str, name: str, short: str):
        self.code, self.name, self.short = code, name, short
        self.committee = f"{name}人民调解委员会"
        self.police = f"河湾县公安局{short}派出所"
        self.market = f"河湾县市场监督管理局{short}市场监管所"
        self.land = f"河湾县自然资源局{short}自然资源所"
        self.villages: list[_Village] = []


class _County:
    """Regions, organisations, mediators and advisors of 河湾县 (drawn in a fixed order)."""

    def __init__(self, rng: random.Random, today: date, names: _Names) -> None:
        self.regions: list[dict[str, Any]] = [
            {"code": COUNTY_CODE, "name": COUNTY_NAME, "level": "county", "parent": None}]
        self.organizations: list[dict[str, Any]] = []
        self.org_kind: dict[str, str] = {}
        self.org_level: dict[str, str] = {}  # the level at which the organisation handles cases
        self.townships: dict[str, _Township] = {}
        self.villages: list[_Village] = []
        for digits, name, short in _TOWNSHIPS:
            tw = _Township(COUNTY_CODE[:6] + digits + "000", name, short)
            self.townships[digits] = tw
            self.regions.append({"code": tw.code, "name": name, "level": "township",
                                 "parent": COUNTY_CODE})
        for index, (tdigits, vdigits, name, kind, _short) in enumerate(_VILLAGES):
            tw = self.townships[tdigits]
            grids = list(_GRID_NAMES[kind][: 2 + index % 3])
            v = _Village(tw.code[:9] + vdigits, name, kind, tw, grids)
            tw.villages.append(v)
            self.villages.append(v)
            self.regions.append({"code": v.code, "name": name, "level": "village", "kind": kind,
                                 "parent": tw.code, "grids": grids})

        county_level = Level.COUNTY.value
        for tw in self.townships.values():
            self._org(tw.committee, OrganizationKind.TOWNSHIP_COMMITTEE, tw.code, tw.short,
                      "township")
            self._org(f"河湾县司法局{tw.short}司法所", OrganizationKind.JUDICIAL_OFFICE, tw.code,
                      tw.short + "司法", "township")
        for v, (_t, _v, _n, _k, short) in zip(self.villages, _VILLAGES, strict=True):
            if short is not None:
                v.committee = f"{v.name}人民调解委员会"
                self._org(v.committee, OrganizationKind.VILLAGE_COMMITTEE, v.code, short, "village")
        self._org(_MEDICAL_COMMITTEE, OrganizationKind.PROFESSIONAL_COMMITTEE, COUNTY_CODE, "医调",
                  county_level)
        admin = OrganizationKind.ADMINISTRATIVE
        for tw in self.townships.values():
            self._org(tw.police, admin, tw.code, tw.short + "派", "township")
            self._org(tw.market, admin, tw.code, tw.short + "市监", "township")
            self._org(tw.land, admin, tw.code, tw.short + "资源", "township")
        for name, short in _COUNTY_BODIES.values():
            self._org(name, admin, COUNTY_CODE, short, county_level)
        # Courts handle cases at county level wherever their seat is (DOMAIN: court → county).
        self._org(_COURT, OrganizationKind.COURT, COUNTY_CODE, "县法院", county_level)
        self._org(_TRIBUNAL, OrganizationKind.COURT, self.townships["101"].code, "柳林庭",
                  county_level)

        for advisor in _ADVISORS:
            names.reserve(advisor[0])
        self.mediators: list[dict[str, str]] = []
        self.org_mediators: dict[str, list[str]] = {}
        for org in self.organizations:
            if org["kind"] == OrganizationKind.JUDICIAL_OFFICE.value:
                continue  # the 司法所 hosts the township committee; its cases are the committee's
            staff = []
            for _ in range(rng.randint(2, 4)):
                person = names.unique_name(rng)
                staff.append(person)
                self.mediators.append({"name": person, "organization": org["name"],
                                       "phone": names.mobile(rng)})
            self.org_mediators[org["name"]] = staff

        self.advisors = self._advisors(rng, today, names)

    def _org(self, name: str, kind: OrganizationKind, region: str, short: str, level: str) -> None:
        self.organizations.append({"name": name, "kind": kind.value, "region": region,
                                   "short": short})
        self.org_kind[name] = kind.value
        self.org_level[name] = level

    def _advisors(self, rng: random.Random, today: date, names: _Names) -> list[dict[str, Any]]:
        year = today.year
        ending = today + timedelta(days=20)  # one appointment runs out within the warning month
        out = []
        for index, (name, kind, firm, villages) in enumerate(_ADVISORS):
            first_year = year - rng.randint(2, 12)
            head = "1" if kind == "lawyer" else "3"
            license_no = f"{head}4199{first_year}{rng.randint(1, 2)}{rng.randrange(10**7):07d}"
            terms = []
            for j, vi in enumerate(villages):
                to = ending if (index, j) == (3, 1) else date(year, 12, 31)
                terms.append({"code": self.villages[vi].code, "from": f"{year}-01-01",
                              "to": to.isoformat()})
            out.append({"name": name, "kind": kind, "firm": firm, "license_no": license_no,
                        "phone": names.mobile(rng), "villages": terms})
        return out


class _Names:
    """Names, phone numbers and identity numbers, each new one distinct where it must be."""

    def __init__(self) -> None:
        self._taken_names: set[str] = set()
        self._taken_ids: set[str] = set()
        self._taken_phones: set[str] = set()

    def reserve(self, name: str) -> None:
        self._taken_names.add(name)

    @staticmethod
    def name(rng: random.Random, male: bool) -> str:
        r = rng.random
        surname = _SURNAME_LIST[bisect(_SURNAME_CUM, r() * _SURNAME_CUM[-1])]
        given = _MALE_GIVEN if male else _FEMALE_GIVEN
        return surname + given[int(r() * len(given))]

    def unique_name(self, rng: random.Random) -> str:
        while True:
            candidate = self.name(rng, rng.random() < 0.6)
            if candidate not in self._taken_names:
                self._taken_names.add(candidate)
                return candidate

    def mobile(self, rng: random.Random) -> str:
        r, taken = rng.random, self._taken_phones
        while True:
            head = _MOBILE_HEADS[int(r() * len(_MOBILE_HEADS))]
            phone = head + str(100000000 + int(r() * 1e8))[1:]
            if phone not in taken:
                taken.add(phone)
                return phone

    def id_number(self, rng: random.Random, birth_iso: str, male: bool, check_char) -> str | None:
        """A new number for a birth date (None when that day's sequence numbers look used up)."""
        head = ID_PREFIX + birth_iso.replace("-", "")
        r, taken = rng.random, self._taken_ids
        for _ in range(20):
            seq = int(r() * 500) * 2 + male  # the 17th digit is odd for men
            first17 = head + str(1000 + seq)[1:]
            if first17 not in taken:
                taken.add(first17)
                return first17 + check_char(first17)
        return None


def _org_code(rng: random.Random) -> str:
    """A 9-character organisation code (GB 11714) with its own check character."""
    body = f"{rng.randrange(10**8):08d}"
    total = sum(int(c) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def _money(fen: int) -> str:
    if fen == 0:
        return "0"
    return f"{fen // 100}.{fen % 100:02d}"


def _amount_text(fen: int) -> str:
    yuan, cents = divmod(fen, 100)
    return f"{yuan}" if not cents else f"{yuan}.{cents:02d}"


class _CaseFactory:
    """Draws one case after another from the county and the shared random stream."""

    def __init__(self, rng: random.Random, today: date, county: _County, names: _Names) -> None:
        from mediator.domain.formatting import rmb_upper
        from mediator.domain.validators import credit_code_check_char, id_number_check_char

        self.rng, self.today, self.county, self.names = rng, today, county, names
        self.rmb_upper = rmb_upper
        self.id_check = id_number_check_char
        base = today - timedelta(days=_ISO_BEFORE)
        self.iso = [(base + timedelta(days=k)).isoformat() for k in range(_ISO_BEFORE + _ISO_AFTER)]
        self.today_index = _ISO_BEFORE
        first = date(today.year - 82, 1, 1).toordinal()
        last = date(today.year - 18, 1, 1).toordinal()
        self.birth_iso = [date.fromordinal(k).isoformat() for k in range(first, last + 1)]
        self.people_categories = _cum(_PEOPLE_CATEGORY_WEIGHTS)
        self.judicial_categories = _cum(_JUDICIAL_CATEGORY_WEIGHTS)
        self.admin_categories = {k: _cum(w) for k, w in _ADMIN_CATEGORIES.items()}
        self.admin_details = _cum(_ADMIN_DETAIL_WEIGHTS)
        self.judicial_details = _cum(_JUDICIAL_DETAIL_WEIGHTS)
        self.tracks = _cum(_TRACK_WEIGHTS)
        self.statuses = _cum(_STATUS_WEIGHTS)
        self.archived_from = _cum(_ARCHIVED_FROM)
        self.people_sources = _cum(_PEOPLE_SOURCES)
        self.admin_sources = _cum(_ADMIN_SOURCES)
        self.texts = {}
        for cat, (entries, what) in _TEXTS.items():
            moneyless = tuple(e for e in entries if "{m}" not in e[0] + e[1])
            self.texts[cat] = (entries, moneyless, what)
        self.all_persons: list[tuple[_Village, dict[str, Any]]] = []
        self.party_orgs = self._party_orgs(credit_code_check_char)
        self.category_counter = 0

    # -- small draws ------------------------------------------------------------------------

    def _pick(self, table: tuple[tuple[str, ...], tuple[float, ...]]) -> str:
        keys, cum = table
        return keys[bisect(cum, self.rng.random() * cum[-1])]

    def _ri(self, lo: int, hi: int) -> int:
        return lo + int(self.rng.random() * (hi - lo + 1))

    def _choice(self, seq):
        return seq[int(self.rng.random() * len(seq))]

    def _party_orgs(self, check) -> dict[str, list[dict[str, Any]]]:
        """Companies, co-operatives and hospitals that appear as parties (each name once)."""
        out: dict[str, list[dict[str, Any]]] = {}
        seen: set[str] = set()
        for kind, (patterns, head) in _ORG_PATTERNS.items():
            out[kind] = []
            while len(out[kind]) < 6:
                name = COUNTY_NAME + self._choice(patterns).format(w=self._choice(_COMPANY_WORDS))
                if name not in seen:
                    seen.add(name)
                    out[kind].append(self._party_org(name, head, check))
        out["hospital"] = [self._party_org(name, "12", check) for name in _HOSPITALS]
        return out

    def _party_org(self, name: str, head: str, check) -> dict[str, Any]:
        village = self._choice(self.county.villages)
        first17 = head + ID_PREFIX + _org_code(self.rng)
        return {"name": name, "credit_code": first17 + check(first17),
                "representative": self.names.name(self.rng, self.rng.random() < 0.75),
                "phone": f"{_AREA_CODE}-{self._ri(2000000, 8999999)}",
                "address": f"{village.township.name}{village.name}{self._ri(1, 88)}号"}

    # -- people ------------------------------------------------------------------------------

    def _new_person(self, village: _Village, male: bool | None = None) -> dict[str, Any]:
        r = self.rng.random
        if male is None:
            male = r() < 0.52
        id_number = None
        while id_number is None:
            birth_iso = self.birth_iso[int(r() * len(self.birth_iso))]
            id_number = self.names.id_number(self.rng, birth_iso, male, self.id_check)
        kind = village.kind
        place = village.place
        if kind == _R:
            address = f"{place}{1 + int(r() * 9)}组{1 + int(r() * 120)}号"
        elif kind == _U:
            address = (f"{place}{1 + int(r() * 30)}号楼{1 + int(r() * 4)}单元"
                       f"{1 + int(r() * 18)}0{1 + int(r() * 4)}室")
        else:
            address = f"{place}{1 + int(r() * 12)}号宿舍楼"
        if self.today.year - int(birth_iso[:4]) >= 62 and r() < 0.5:
            occupation = "退休"
        else:
            jobs = _JOBS[kind]
            occupation = jobs[int(r() * len(jobs))]
        person = {
            "kind": "person", "name": self.names.name(self.rng, male),
            "gender": "male" if male else "female",
            "ethnicity": _ETHNICITIES[int(r() * len(_ETHNICITIES))],
            "birth_date": birth_iso, "id_number": id_number,
            "phone": self.names.mobile(self.rng), "address": address, "occupation": occupation,
            "credit_code": None, "representative": None,
        }
        village.pool.append(person)
        if len(self.all_persons) < 2000:  # only the first cases draw repeat parties from here
            self.all_persons.append((village, person))
        return person

    def _person_party(self, role: str, village: _Village, taken: set[str],
                      person: dict[str, Any] | None = None,
                      male: bool | None = None) -> dict[str, Any]:
        if person is None and male is not None:
            person = self._new_person(village, male)  # a spouse: the other sex, someone new
        if person is None:
            pool = village.pool
            if len(pool) >= 4 and self.rng.random() < 0.07:
                person = self._choice(pool)
                if person["id_number"] in taken:
                    person = None
            if person is None:
                person = self._new_person(village)
        taken.add(person["id_number"])
        agent = None
        if self.rng.random() < 0.05:
            agent = {"name": self.names.name(self.rng, self.rng.random() < 0.5),
                     "phone": self.names.mobile(self.rng), "relation": self._choice(_RELATIONS)}
        return {"role": role, **person, "agent": agent}

    def _org_party(self, role: str, kind: str) -> dict[str, Any]:
        org = self._choice(self.party_orgs[kind])
        agent = None
        if self.rng.random() < 0.3:
            agent = {"name": self.names.name(self.rng, self.rng.random() < 0.5),
                     "phone": self.names.mobile(self.rng),
                     "relation": self._choice(("员工", "律师", "法务人员"))}
        return {"role": role, "kind": "organization", "name": org["name"], "gender": None,
                "ethnicity": None, "birth_date": None, "id_number": None, "phone": org["phone"],
                "address": org["address"], "occupation": None, "credit_code": org["credit_code"],
                "representative": org["representative"], "agent": agent}

    # -- one case ----------------------------------------------------------------------------

    def case(self, i: int) -> dict[str, Any]:
        rng, county = self.rng, self.county
        r = rng.random
        cycled = i < _CYCLED_CASES
        forced_person = None
        if cycled:
            track, detail = _COMBOS[i % len(_COMBOS)]
            target = _STATUS_CYCLE[i % len(_STATUS_CYCLE)]
            if i % 12 == 11 and self.all_persons:  # make sure repeat disputes show up early
                village, forced_person = self._choice(self.all_persons)
            else:
                village = self._choice(county.villages)
        else:
            track = self._pick(self.tracks)
            detail = None
            if track == "administrative":
                detail = self._pick(self.admin_details)
            elif track == "judicial":
                detail = self._pick(self.judicial_details)
            target = self._pick(self.statuses)
            village = self._choice(county.villages)
        township = village.township

        if detail in _ADMIN_CATEGORIES:
            category = self._pick(self.admin_categories[detail])
        elif cycled:
            category = _CATEGORY_CYCLE[self.category_counter % len(_CATEGORY_CYCLE)]
            self.category_counter += 1
        else:
            category = self._pick(self.people_categories if track == "people"
                                  else self.judicial_categories)

        procedure = None
        if detail in ("entrusted", "in_litigation"):
            procedure = "simple" if r() < 0.6 else "ordinary"

        # organisation, source and level
        if track == "people":
            organization = self._people_org(village, category)
            source = self._pick(self.people_sources)
        elif track == "administrative":
            organization = self._admin_org(detail, township)
            source = self._pick(self.admin_sources)
        else:
            source = "referral_court"
            if detail == "in_litigation" or r() < 0.45:
                organization = _COURT if r() < 0.7 else _TRIBUNAL
            else:
                organization = self._people_org(village, category)
        level = county.org_level[organization]
        if level == "village":
            level = "grid" if source == "grid_report" else "village"
        grid = None
        if village.grids and (source == "grid_report" or r() < 0.85):
            grid = self._choice(village.grids)

        # risk
        x = r()
        risk_level = "low" if x < 0.72 else "medium" if x < 0.94 else "high"
        flags = []
        if risk_level == "high":
            if r() < 0.5:
                flags.append("criminal")
            if r() < 0.4 or category in ("land_expropriation", "environment"):
                flags.append("group")
            if r() < 0.3:
                flags.append("petition")
        elif risk_level == "medium":
            if r() < 0.1:
                flags.append("petition")
            if r() < 0.08 and category in ("land_expropriation", "environment", "labor"):
                flags.append("group")

        # parties
        taken: set[str] = set()
        parties = [self._person_party("applicant", village, taken, forced_person)]
        if "group" in flags and r() < 0.7:
            parties.append(self._person_party("applicant", village, taken))
        org_p, org_kind = _ORG_RESPONDENT.get(category, (_ORG_RESPONDENT_OTHER, "company"))
        if r() < org_p:
            parties.append(self._org_party("respondent", org_kind))
        elif category == "marriage_family":
            parties.append(self._person_party("respondent", village, taken,
                                              male=parties[0]["gender"] == "female"))
        else:
            parties.append(self._person_party("respondent", village, taken))
        if r() < 0.12:
            parties.append(self._person_party("third_party", village, taken))
        involved = len(parties) + (self._ri(0, 3) if r() < 0.4 else 0)
        if "group" in flags:
            involved = max(involved, self._ri(10, 60))

        # money
        zero_p, lo, hi = _AMOUNTS[category]
        if r() < zero_p:
            fen = 0
        else:
            yuan = int(lo * (hi / lo) ** r())
            yuan = yuan // 100 * 100 if yuan >= 2000 else yuan // 10 * 10
            fen = yuan * 100 + (50 if r() < 0.05 else 0)

        names = {"a": parties[0]["name"], "b": parties[-1 if parties[-1]["role"] == "respondent"
                                                      else -2]["name"],
                 "v": village.name, "t": township.name, "m": _amount_text(fen),
                 "n": self._ri(2, 30)}
        entries, moneyless, what = self.texts[category]
        entry = self._choice(entries if fen else moneyless)
        summary, request, term, payer = entry[:4]
        if len(entry) > 4:
            what = entry[4]  # what the money is for, where the category's word does not fit
        summary, request = summary.format(**names), request.format(**names)
        if involved >= 10:
            summary += f"涉及群众{involved}人。"

        plan = _Plan(self, track, detail, procedure, organization, level, village, category,
                     flags, target)
        plan.run()

        age = plan.age
        base = self.today_index - age
        iso = self.iso
        for ev in plan.events:
            ev["on"] = iso[base + ev["on"]]
            if "until" in ev:
                ev["until"] = iso[base + ev["until"]]

        agreement = follow_ups = confirmation = None
        if plan.agree_at is not None:
            agreement, follow_ups, confirmation = self._agreement(plan, parties, fen, names,
                                                                 what, term, payer, base, age)
        sessions = self._sessions(plan, names, village, township, base, age)

        staff = county.org_mediators[organization]
        mediators = [self._choice(staff)]
        if len(staff) > 1 and r() < 0.4:
            other = self._choice(staff)
            if other != mediators[0]:
                mediators.append(other)
        received = iso[base]
        return {
            "ref": f"{REF_PREFIX}-{received[:4]}-{i + 1:05d}",
            "number": None,
            "track": track,
            "track_detail": detail,
            "source": source,
            "procedure": procedure,
            "category": category,
            "organization": organization,
            "village_code": village.code,
            "grid": grid,
            "level": level,
            "received_on": received,
            "summary": summary,
            "requests": request,
            "amount_yuan": _money(fen),
            "people_involved": involved,
            "risk": {"level": risk_level, "flags": flags},
            "parties": parties,
            "mediators": mediators,
            "events": plan.events,
            "sessions": sessions,
            "agreement": agreement,
            "follow_ups": follow_ups or [],
            "judicial_confirmation": confirmation,
        }

    def _people_org(self, village: _Village, category: str) -> str:
        x = self.rng.random()
        if category == "medical" and x < 0.8:
            return _MEDICAL_COMMITTEE
        if village.committee is not None and x < 0.72:
            return village.committee
        return village.township.committee

    def _admin_org(self, detail: str, township: _Township) -> str:
        if detail == "police":
            return township.police
        if detail == "consumer":
            return township.market
        if detail == "land":
            return township.land
        return _COUNTY_BODIES[detail][0]

    def _agreement(self, plan: _Plan, parties, fen, names, what, term, payer, base, age):
        r = self.rng.random
        iso = self.iso
        signed = plan.agree_at
        deadline = plan.deadline_at
        agreed_fen = 0
        if fen:
            # usually less than asked, in round figures
            yuan = int(fen * (0.5 + 0.5 * r())) // 100
            agreed_fen = (yuan // 100 * 100 if yuan >= 2000 else yuan // 10 * 10) * 100 or fen
        payer, payee = (names["b"], names["a"]) if payer == "b" else (names["a"], names["b"])
        items = []
        instalments = False
        if agreed_fen:
            money = f"{what}{self.rmb_upper(_money(agreed_fen))}（{_amount_text(agreed_fen)}元）"
            if deadline is None:
                items.append(f"{payer}于签订本协议时当场支付{payee}{money}，{payee}当场收讫。")
            elif agreed_fen >= 2000000 and r() < 0.3 and deadline - signed >= 10:
                first = agreed_fen // 200 * 100
                mid = iso[base + signed + (deadline - signed) // 2]
                instalments = True
                items.append(f"{payer}分两期支付{payee}{money}：于{self._cn(mid)}前支付"
                             f"{_amount_text(first)}元，于{self._cn(iso[base + deadline])}前付清余款"
                             f"{_amount_text(agreed_fen - first)}元。")
            else:
                items.append(f"{payer}于{self._cn(iso[base + deadline])}前一次性支付{payee}{money}。")
        if term is not None and (not items or r() < 0.7):
            items.append(term.format(**names))
        if not items or r() < 0.6:
            items.append(self._choice(_CLOSING_TERMS))
        if deadline is None:
            performance = "当场履行"
        elif not agreed_fen:
            performance = "按协议约定期限自行履行"
        elif instalments:
            performance = "分两期银行转账支付"
        else:
            performance = self._choice(_PERFORMANCE_WAYS)
        agreement = {
            "form": plan.form,
            "signed_on": iso[base + signed],
            "items": items,
            "performance": performance,
            "deadline": None if deadline is None else iso[base + deadline],
            "amount_yuan": _money(agreed_fen),
            "copies": len(parties) + 1,
        }
        follow_ups = []
        for on, result in plan.follow_ups:
            if on > age:
                continue
            x = r()
            if result == "full":
                satisfaction = "satisfied" if x < 0.75 else "basically"
            elif result == "partial":
                satisfaction = "basically" if x < 0.6 else "dissatisfied"
            else:
                satisfaction = "dissatisfied" if x < 0.6 else "basically"
            follow_ups.append({"on": iso[base + on], "method": "visit" if x < 0.5 else
                               "phone" if x < 0.95 else "other", "performance": result,
                               "satisfaction": satisfaction,
                               "note": self._choice(_FOLLOW_UP_NOTES[result])})
        confirmation = None
        if plan.confirmation is not None:
            applied, ruled, result = plan.confirmation
            if applied <= age:
                pending = ruled > age
                confirmation = {"applied_on": iso[base + applied],
                                "court": _TRIBUNAL if plan.village.township.code.endswith("101000")
                                else _COURT,
                                "result": "pending" if pending else result,
                                "on": None if pending else iso[base + ruled]}
        return agreement, follow_ups, confirmation

    @staticmethod
    def _cn(iso_text: str) -> str:
        return f"{int(iso_text[:4])}年{int(iso_text[5:7])}月{int(iso_text[8:])}日"

    def _sessions(self, plan: _Plan, names, village: _Village, township: _Township, base, age):
        """Investigation and mediation records, on days the case is accepted or mediating."""
        if not plan.windows:
            return []
        windows = [(start, age if end is None else end) for start, end in plan.windows]
        r = self.rng.random
        org = plan.organization_now
        kind = self.county.org_kind[org]
        if kind == "village_committee":
            room = f"{village.name}调解室"
        elif kind == "township_committee":
            room = f"{township.name}人民调解室"
        elif kind == "court":
            room = "河湾县人民法院诉调对接中心" if org == _COURT else "柳林人民法庭调解室"
        elif kind == "professional_committee":
            room = "县医调委调解室"
        else:
            room = f"{org.removeprefix('河湾县')}调解室"
        outcome = plan.outcome if plan.concluded_at is not None else None
        if outcome in ("agree", "fail"):
            count = self._ri(1, 3)
        elif outcome == "withdraw" or plan.status == "mediating":
            count = self._ri(0, 2)
        else:
            count = self._ri(0, 1)
        total = sum(end - start + 1 for start, end in windows)
        days = []
        for _ in range(count):
            k = int(r() * total)
            for start, end in windows:
                if k <= end - start:
                    days.append(start + k)
                    break
                k -= end - start + 1
        days.sort()
        end = plan.concluded_at
        if outcome in ("agree", "fail") and r() < 0.8:
            days[-1] = end  # the session at which the mediation ended
        out = []
        for k, day in enumerate(days):
            records = None
            if day == end and k == count - 1:
                records = {"agree": _AGREE_RECORDS, "fail": _FAIL_RECORDS}.get(outcome)
            investigation = records is None and k == 0 and (count > 1 or outcome is None) \
                and r() < 0.6
            out.append(self._session(day, investigation, room, names, base, records))
        return out

    def _session(self, day, investigation, room, names, base, records=None):
        if investigation:
            place = self._choice(("争议现场", f"{names['a']}家中", room))
            text = self._choice(_INVESTIGATION_RECORDS)
            kind = "investigation"
        else:
            place, kind = room, "mediation"
            text = self._choice(records or _MEDIATION_RECORDS)
        return {"on": self.iso[base + day], "kind": kind, "place": place,
                "record": text.format(**names)}


_WINDOW_CLOSERS = frozenset({"agree", "fail", "withdraw", "transfer"})


class _Plan:
    """The lifecycle of one case as day offsets from its receipt, then its age (days before today).

    ``events`` hold integer offsets in ``on``/``until`` until the factory turns them into dates.
    """

    def __init__(self, factory: _CaseFactory, track, detail, procedure, organization, level,
                 village, category, flags, target) -> None:
        self.f = factory
        self.track, self.detail, self.procedure = track, detail, procedure
        self.organization_now = organization
        self.level = level
        self.village, self.category, self.flags, self.target = village, category, flags, target
        self.events: list[dict[str, Any]] = []
        self.cur = 0
        self.status = "registered"
        self.accept_at: int | None = None
        self.start_at: int | None = None
        self.concluded_at: int | None = None
        # [from, to] spans in which the case is accepted or mediating: the days sessions may
        # take place (to is None while the span is still open)
        self.windows: list[list[int | None]] = []
        self.outcome: str | None = None
        self.agree_at: int | None = None
        self.deadline_at: int | None = None
        self.form = "written"
        self.follow_ups: list[tuple[int, str]] = []
        self.confirmation: tuple[int, int, str] | None = None
        self.transferred = False
        self.age = 0

    def _add(self, gap: int, action: str, **data: Any) -> dict[str, Any]:
        self.cur += gap
        event = {"on": self.cur, "action": action, **data}
        self.events.append(event)
        if action == "accept":
            self.windows.append([self.cur, None])
        elif action in _WINDOW_CLOSERS and self.windows and self.windows[-1][1] is None:
            self.windows[-1][1] = self.cur
        return event

    def run(self) -> None:
        f = self.f
        r, ri = f.rng.random, f._ri
        target = self.target
        path = f._pick(f.archived_from) if target == "archived" else target

        if self.level == "grid" and r() < 0.2:
            self._add(ri(0, 1), "escalate", level="village", reason=_ESCALATE_REASONS["village"])
            self.level = "village"

        if path != "rejected" and self.track != "judicial" and r() < 0.06:
            self._transfer(path)
            if path == "registered":
                self._finish(path, target)
                return

        if path == "registered":
            self._finish(path, target)
            return
        if path == "rejected":
            self._add(ri(0, 3), "reject", reason=f._choice(_REJECT_REASONS))
            self.status = "rejected"
            self._finish(path, target)
            return
        self._add(ri(0, 3) if r() < 0.9 else ri(4, 7), "accept")
        self.status = "accepted"
        if self.accept_at is None:
            self.accept_at = self.cur
        clock_start = self.cur
        if path == "accepted":
            self._finish(path, target)
            return
        self._add(ri(0, 4), "start")
        self.status = "mediating"
        if self.start_at is None:
            self.start_at = self.cur

        due = None  # an extension's date, when one is recorded
        if not self.transferred:
            if self.detail == "medical" and r() < 0.5:
                self._add(ri(2, 10), "pause", reason=_PAUSE_REASON)
                if path == "mediating" and r() < 0.4:
                    self._finish(path, target)
                    return
                self._add(ri(15, 60), "resume", reason=_RESUME_REASON)
            elif r() < 0.08:
                due = self._extend(clock_start)
            self._level_change()
        if path == "mediating":
            self._finish(path, target)
            return

        if due is not None:
            gap = ri(1, max(1, due - self.cur))
        else:
            gap = self._duration()
        if path in ("agreed", "performed"):
            self._add(gap, "agree")
            self.status = "agreed"
            self._agree(path)
        elif path == "failed":
            self._add(gap, "fail", reason=f._choice(_FAIL_REASONS))
            self.status, self.concluded_at, self.outcome = "failed", self.cur, "fail"
        else:
            self._add(max(0, gap // 2), "withdraw", reason=f._choice(_WITHDRAW_REASONS))
            self.status, self.concluded_at, self.outcome = "withdrawn", self.cur, "withdraw"
        self._finish(path, target)

    # -- pieces ------------------------------------------------------------------------------

    def _transfer(self, path: str) -> None:
        """Move the case to another track/organisation before its main path runs."""
        f = self.f
        r, ri = f.rng.random, f._ri
        stage = f._choice(("registered", "accepted", "failed"))
        if stage != "registered":
            self._add(ri(0, 3), "accept")
            self.status = "accepted"
            self.accept_at = self.cur
            if stage == "failed":
                self._add(ri(0, 3), "start")
                self.start_at = self.cur
                self._add(ri(3, 20), "fail", reason=f._choice(_FAIL_REASONS))
        gap = ri(0, 2)
        township = self.village.township
        if self.track == "administrative":
            to_org = self.village.committee or township.committee
            event = self._add(gap, "transfer", to_track="people", to_organization=to_org,
                              reason="经审查属民间纠纷，移交人民调解委员会调解")
            self.track, self.detail = "people", None
        else:
            detail = {"labor": "labor", "land_forest": "land", "traffic": "traffic",
                      "consumer": "consumer", "medical": "medical"}.get(self.category)
            if detail is not None and stage != "failed" and r() < 0.7:
                to_org = f._admin_org(detail, township)
                event = self._add(gap, "transfer", to_track="administrative",
                                  to_organization=to_org,
                                  reason="纠纷涉及行政职能，移交主管部门调处")
                event["to_track_detail"] = detail
                self.track, self.detail = "administrative", detail
            else:
                to_org = _COURT if r() < 0.6 else _TRIBUNAL
                reason = ("调解不成，当事人坚持起诉，转人民法院诉前调解" if stage == "failed"
                          else "当事人申请通过诉讼途径解决，转人民法院诉前调解")
                event = self._add(gap, "transfer", to_track="judicial", to_organization=to_org,
                                  reason=reason)
                event["to_track_detail"] = "pre_litigation"
                self.track, self.detail = "judicial", "pre_litigation"
        self.organization_now = to_org
        self.status = "registered"
        self.transferred = True

    def _extend(self, clock_start: int) -> int:
        """Record an extension before the handling period runs out; return its new date."""
        f = self.f
        ri = f._ri
        detail = self.detail
        # (nominal calendar length of the period, lowest and highest extra days granted)
        if self.track == "people":
            length, lo, hi = 31, 10, 25
        elif detail in ("pre_litigation", "delegated"):
            length, lo, hi = 30, 10, 20  # once, by at most 30 days past the real due date
        elif detail in ("entrusted", "in_litigation"):
            length, lo, hi = (7 if self.procedure == "simple" else 15), 10, 20
        elif detail == "police":
            length, lo, hi = 0, 15, 25  # 3 working days can span a long holiday
        elif detail == "traffic":
            length, lo, hi = 10, 10, 20
        elif detail == "consumer":
            length, lo, hi = 85, 0, 15  # 45 working days
        elif detail == "medical":
            length, lo, hi = 60, 5, 20  # 30 working days
        elif detail == "labor":
            clock_start, length, lo, hi = 0, 15, 10, 20  # labour counts from receipt
        else:
            length, lo, hi = 30, 10, 20
        until = clock_start + length + ri(lo, hi)
        assert self.cur < until
        # Extend while the period still runs (about two thirds in), never after the new date.
        on = min(max(self.cur, clock_start + max(1, (length * 2) // 3)), until - 1)
        self._add(on - self.cur, "extend", until=until, reason=f._choice(_EXTEND_REASONS),
                  consent=True)
        return until

    def _level_change(self) -> None:
        f = self.f
        r, ri = f.rng.random, f._ri
        kind = f.county.org_kind[self.organization_now]
        if kind == "village_committee" and self.level == "village" and r() < 0.03:
            self._add(ri(1, 5), "escalate", level="township", reason=_ESCALATE_REASONS["township"])
            self.level = "township"
        elif kind == "township_committee" and self.level == "township":
            x = r()
            if x < 0.03:
                self._add(ri(1, 4), "hand_down", level="village", reason=_HAND_DOWN_REASON)
                self.level = "village"
            elif x < 0.06 or ("group" in self.flags and x < 0.4):
                self._add(ri(1, 4), "escalate", level="county", reason=_ESCALATE_REASONS["county"])
                self.level = "county"

    def _duration(self) -> int:
        """Days from the start of mediation to its end, typical of the track."""
        ri, r = self.f._ri, self.f.rng.random
        detail = self.detail
        if self.track == "people":
            return ri(1, 25) if r() < 0.9 else ri(26, 50)
        if detail == "police":
            return ri(0, 3)
        if detail == "traffic":
            return ri(1, 9)
        if detail == "labor":
            return ri(1, 12)
        if detail == "medical":
            return ri(8, 40)
        if detail == "consumer":
            return ri(3, 45)
        if detail in ("entrusted", "in_litigation"):
            return ri(1, 6) if self.procedure == "simple" else ri(2, 14)
        return ri(3, 28)

    def _agree(self, path: str) -> None:
        f = self.f
        r, ri = f.rng.random, f._ri
        signed = self.agree_at = self.concluded_at = self.cur
        self.outcome = "agree"
        if r() < 0.8:
            self.form, deadline = "written", signed + ri(1, 60)
        else:
            self.form = "oral"
            deadline = None if r() < 0.7 else signed + ri(1, 15)
        self.deadline_at = deadline
        results: list[str] = []
        if path == "performed":
            if deadline is not None and r() < 0.15:
                self._add(ri(0, (deadline - signed) // 2), "perform", result="partial")
                results.append("partial")
            if deadline is None:
                on = signed
            elif r() < 0.88:
                on = max(self.cur, signed + ri(0, deadline - signed))
            else:
                on = max(self.cur, deadline + ri(1, 20))
            self._add(on - self.cur, "perform", result="full")
            results.append("full")
            self.status = "performed"
        else:
            x = r()
            if x < 0.3:
                self._add(ri(0, (deadline or signed) - signed + 5), "perform", result="partial")
                results.append("partial")
            elif x < 0.45:
                self._add((deadline or signed) - signed + ri(1, 10), "perform", result="none")
                results.append("none")
        # follow-up visits (kept only if they happened before today) and judicial confirmation
        base = self.cur if results else (deadline or signed)
        if r() < 0.85:
            result = results[-1] if results else ("partial" if r() < 0.3 else "none")
            on = base + ri(1, 10)
            self.follow_ups.append((on, result))
            if r() < 0.1:
                self.follow_ups.append((on + ri(7, 30), result))
        if (self.form == "written" and self.category != "marriage_family"
                and (self.track == "people" or self.detail in ("pre_litigation", "delegated"))
                and r() < 0.3):
            applied = signed + ri(1, 25)
            self.confirmation = (applied, applied + ri(3, 15),
                                 "confirmed" if r() < 0.92 else "rejected")

    def _finish(self, path: str, target: str) -> None:
        """Archive when asked, then fix the case's age so every date falls on or before today."""
        f = self.f
        ri = f._ri
        last = self.cur
        if target == "archived":
            tail = [on for on, _ in self.follow_ups]
            if self.confirmation is not None:
                tail.append(self.confirmation[1])
            end = max([last, *tail])
            self._add(end - self.cur + ri(1, 20), "archive")
            self.status = "archived"
            last = self.cur
            self.age = last + ri(0, max(0, _HISTORY_DAYS - last))
        elif target == "registered":
            self.age = last + ri(0, 3)
        elif target == "accepted":
            self.age = last + ri(0, 6)
        elif target == "mediating":
            self.age = last + ri(0, 45)  # the handling clock is sometimes open, sometimes overdue
        else:
            self.age = last + ri(0, 120)
        if self.age > _ISO_BEFORE - 1:
            raise AssertionError("case history longer than the date table")  # pragma: no cover


def build_demo_document(cases: int = 500, seed: int = 1, today: date | None = None) -> dict:
    """A complete ``mediator-case/1`` document for the fictional 河湾县 (county code 419902).

    Args:
        cases: how many cases to draw. From 60 on, every status, track, track detail and
            category occurs (the first 60 cycle through them; later ones follow realistic weights).
        seed: the seed of the one ``random.Random`` everything is drawn from.
        today: the day the document is made on (defaults to ``date.today()``); no date in the
            case histories lies after it.

    Returns:
        A plain dict ready for ``json.dumps``: regions, organisations, mediators, advisors and
        cases without numbers (the receiver assigns them).
    """
    if cases < 0:
        raise ValueError("cases must not be negative")
    today = today or date.today()
    rng = random.Random(seed)
    names = _Names()
    county = _County(rng, today, names)
    factory = _CaseFactory(rng, today, county, names)
    # Millions of small dicts that never form cycles: the cyclic collector would only rescan
    # them over and over (a quarter of the time for 100,000 cases).
    collecting = gc.isenabled()
    gc.disable()
    try:
        case_list = [factory.case(i) for i in range(cases)]
        # In the order they came in, as an office's own export lists them: the repeat links an
        # import draws (to earlier cases of the same person) then survive export → import.
        case_list.sort(key=lambda c: c["received_on"])
    finally:
        if collecting:
            gc.enable()
    return {
        "format": FORMAT,
        "exported_at": f"{today.isoformat()}T09:00:00+08:00",
        "regions": county.regions,
        "organizations": county.organizations,
        "mediators": county.mediators,
        "advisors": county.advisors,
        "cases": case_list,
    }


__all__ = ["build_demo_document"]
