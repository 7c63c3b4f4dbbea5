"""Data tables of the demo county 河湾县: places, offices, names, texts and weights.

Pure data, no code: the builder modules beside it draw from these tables.
"""
from __future__ import annotations

from itertools import accumulate

from mediator.domain.enums import CaseStatus, Category, VillageKind

FORMAT = "mediator-case/1"
COUNTY_CODE = "419902000000"
COUNTY_NAME = "河湾县"
ID_PREFIX = "419902"  # 身份证号 address code of the county
REF_PREFIX = "HW"

HISTORY_DAYS = 730  # received_on spreads over about two years before today
ISO_BEFORE = 1600  # the date table reaches this many days back from today…
ISO_AFTER = 400  # …and this many ahead (agreement deadlines, extensions)

URBAN = VillageKind.URBAN_COMMUNITY.value
RURAL = VillageKind.RURAL_VILLAGE.value
_P = VillageKind.INDUSTRIAL_PARK.value

# (township digits 7–9, name, short). Ranges: 001–099 街道, 100–199 镇, 200–399 乡.
TOWNSHIPS = (
    ("001", "河滨街道", "河滨"),
    ("101", "柳林镇", "柳林"),
    ("102", "石桥镇", "石桥"),
    ("201", "桃园乡", "桃园"),
)
# (township digits, village digits, name, kind, committee short or None when it has no committee).
# Village ranges: 001–199 communities, 200–399 villages, 400+ parks.
VILLAGES = (
    ("001", "001", "滨江社区", URBAN, "滨江"),
    ("001", "002", "文昌社区", URBAN, "文昌"),
    ("001", "003", "新华社区", URBAN, "新华"),
    ("001", "004", "锦绣社区", URBAN, None),
    ("001", "201", "北湾村", RURAL, "北湾"),
    ("001", "401", "滨河科技园", _P, "科技园"),
    ("101", "001", "柳苑社区", URBAN, "柳苑"),
    ("101", "201", "东柳村", RURAL, "东柳"),
    ("101", "202", "西柳村", RURAL, "西柳"),
    ("101", "203", "大王庄村", RURAL, "大王庄"),
    ("101", "204", "杨树湾村", RURAL, "杨树湾"),
    ("101", "205", "马坊村", RURAL, None),
    ("102", "001", "桥东社区", URBAN, "桥东"),
    ("102", "201", "南石村", RURAL, "南石"),
    ("102", "202", "李家寨村", RURAL, "李家寨"),
    ("102", "203", "孙楼村", RURAL, "孙楼"),
    ("102", "204", "前进村", RURAL, "前进"),
    ("102", "205", "高庄村", RURAL, None),
    ("102", "401", "石桥食品产业园", _P, "食品园"),
    ("201", "201", "桃花村", RURAL, "桃花"),
    ("201", "202", "杏林村", RURAL, "杏林"),
    ("201", "203", "梨树沟村", RURAL, "梨树沟"),
    ("201", "204", "张湾村", RURAL, "张湾"),
    ("201", "205", "青龙村", RURAL, None),
)
GRID_NAMES = {
    URBAN: ("东区网格", "西区网格", "南区网格", "北区网格"),
    RURAL: ("一网格", "二网格", "三网格", "四网格"),
    _P: ("一号网格", "二号网格", "三号网格", "四号网格"),
}

COURT = "河湾县人民法院"
TRIBUNAL = "河湾县人民法院柳林人民法庭"
MEDICAL_COMMITTEE = "河湾县医疗纠纷人民调解委员会"
COUNTY_BODIES = {  # administrative detail -> (name, short) of the county body
    "traffic": ("河湾县公安局交通警察大队", "交警"),
    "labor": ("河湾县人力资源和社会保障局", "人社"),
    "medical": ("河湾县卫生健康委员会", "卫健"),
    "other": ("河湾县住房和城乡建设局", "住建"),
}

# Advisors: (name, kind, firm, village indexes into VILLAGES). Villages 2, 3, 15, 22 have none.
ADVISORS = (
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
SURNAME_LIST = tuple(_SURNAMES) + ("𠮷", "欧阳", "司马")
_SURNAME_WEIGHTS = tuple(
    [max(40 - i, 4) for i in range(len(_SURNAMES))] + [0.3, 0.5, 0.3]
)
SURNAME_CUM = tuple(accumulate(_SURNAME_WEIGHTS))
MALE_GIVEN = (
    "建国", "国强", "志刚", "伟", "磊", "军", "勇", "海涛", "明", "超", "红军", "建华", "德胜",
    "长林", "满仓", "大山", "文博", "浩然", "子轩", "宇航", "保国", "新民", "振华", "国庆",
    "春生", "永刚", "俊杰", "鹏飞", "晓东", "二宝", "铁柱", "金锁", "学军", "卫东", "立新",
    "广平", "志强", "天佑", "一鸣", "博文",
)
FEMALE_GIVEN = (
    "秀英", "桂兰", "玉兰", "丽", "敏", "静", "红霞", "芳", "娟", "淑珍", "春梅", "小红",
    "雅婷", "欣怡", "梓涵", "凤英", "翠花", "素梅", "爱华", "丽娟", "晓燕", "海燕", "玉梅",
    "巧云", "彩霞", "雪梅", "婷婷", "佳怡", "桂芝", "慧", "艳", "淑芬", "月娥", "金凤",
    "若曦", "思雨", "丹", "萍", "琳", "瑶",
)
ETHNICITIES = ("汉族",) * 46 + ("回族", "回族", "满族", "蒙古族")
JOBS = {
    RURAL: ("农民",) * 6 + ("务工", "个体经营", "养殖户", "司机"),
    URBAN: ("企业职工", "个体经营", "教师", "自由职业", "无业", "司机", "公司职员"),
    _P: ("企业职工", "务工", "公司职员", "个体经营"),
}
RELATIONS = ("儿子", "女儿", "配偶", "兄弟", "亲属", "律师")
MOBILE_HEADS = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152",
    "153", "155", "156", "157", "158", "159", "166", "177", "180", "181", "182", "183", "185",
    "186", "187", "188", "189", "191", "198", "199",
)
AREA_CODE = "0396"

# --- organisations appearing as parties -----------------------------------------------------

COMPANY_WORDS = ("宏达", "鑫源", "恒信", "兴旺", "瑞丰", "金穗", "顺通", "华联", "永盛", "德润",
                  "泰和", "嘉禾", "天成", "聚力", "丰源", "汇通")
# (kind key, name pattern, registration+type digits of the credit code)
ORG_PATTERNS = {
    "company": (("{w}建材有限公司", "{w}运输有限公司", "{w}农业开发有限公司", "{w}食品有限公司",
                 "{w}建筑劳务有限公司", "{w}机械制造有限公司", "{w}商贸有限公司"), "91"),
    "coop": (("{w}种植农民专业合作社", "{w}养殖农民专业合作社"), "93"),
    "property": (("{w}物业服务有限公司",), "91"),
    "shop": (("{w}家电商场有限公司", "{w}超市有限公司", "{w}健身服务有限公司", "{w}电子商务有限公司"), "91"),
    "travel": (("{w}旅行社有限公司",), "91"),
}
HOSPITALS = ("河湾县人民医院", "河湾县中医院", "河湾县妇幼保健院", "柳林镇卫生院", "石桥镇卫生院",
              "桃园乡卫生院")
# category -> (probability that the respondent is an organisation, organisation kind)
ORG_RESPONDENT = {
    "contract": (0.12, "company"), "business": (0.15, "coop"), "labor": (0.3, "company"),
    "medical": (0.9, "hospital"), "property_management": (0.45, "property"),
    "consumer": (0.5, "shop"), "tourism": (0.7, "travel"), "environment": (0.3, "company"),
    "internet": (0.4, "shop"), "ip": (0.4, "company"), "traffic": (0.08, "company"),
    "land_expropriation": (0.05, "coop"), "marriage_family": (0.0, "company"),
}
ORG_RESPONDENT_OTHER = 0.02

# --- case texts --------------------------------------------------------------------------------
# Per category: entries (summary, request, a non-monetary agreement term or None, who pays: "b"
# the respondent or "a" the applicant[, what the money is for]) and what money is paid for. Placeholders: {a} applicant,
# {b} respondent, {v} village, {t} township, {m} amount in yuan, {n} a small number. Each category
# has entries without {m} for disputes where no money is at stake.

TEXTS: dict[str, tuple[tuple[tuple[str, ...], ...], str]] = {
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
CLOSING_TERMS = ("双方就本纠纷再无其他争议，今后互不追究。", "双方今后和睦相处，不得再因此事发生争执。",
                  "本协议履行完毕后，双方就本纠纷再无其他争议。")

# category -> (probability of no money at stake, low, high yuan)
AMOUNTS = {
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

PEOPLE_CATEGORY_WEIGHTS = {
    "neighbor": 18, "marriage_family": 16, "housing_homestead": 13, "contract": 10,
    "damages": 10, "land_forest": 6, "business": 4, "land_expropriation": 3, "environment": 2,
    "labor": 3, "medical": 2, "property_management": 4, "traffic": 3, "consumer": 2,
    "tourism": 0.4, "ip": 0.3, "internet": 1.2, "other": 2,
}
JUDICIAL_CATEGORY_WEIGHTS = {
    "contract": 20, "damages": 14, "marriage_family": 12, "housing_homestead": 10, "neighbor": 6,
    "business": 6, "labor": 5, "traffic": 8, "property_management": 4, "medical": 3,
    "land_forest": 3, "land_expropriation": 2, "environment": 1, "consumer": 2, "tourism": 0.5,
    "ip": 1, "internet": 2, "other": 1,
}
# administrative detail -> categories it handles (with weights)
ADMIN_CATEGORIES = {
    "police": {"neighbor": 5, "damages": 5, "marriage_family": 2, "other": 1},
    "traffic": {"traffic": 1},
    "labor": {"labor": 1},
    "land": {"land_forest": 5, "housing_homestead": 3, "land_expropriation": 2},
    "consumer": {"consumer": 6, "tourism": 1, "internet": 2},
    "medical": {"medical": 1},
    "other": {"property_management": 4, "environment": 2, "land_expropriation": 2, "business": 1,
              "other": 1},
}
ADMIN_DETAIL_WEIGHTS = {"police": 30, "traffic": 20, "labor": 15, "land": 12, "consumer": 12,
                         "medical": 5, "other": 6}
JUDICIAL_DETAIL_WEIGHTS = {"pre_litigation": 45, "delegated": 25, "entrusted": 15,
                            "in_litigation": 15}
TRACK_WEIGHTS = {"people": 70, "administrative": 18, "judicial": 12}
STATUS_WEIGHTS = {"archived": 48, "performed": 10, "agreed": 8, "failed": 6, "withdrawn": 3,
                   "rejected": 3, "mediating": 12, "accepted": 5, "registered": 5}
ARCHIVED_FROM = {"performed": 62, "agreed": 8, "failed": 15, "withdrawn": 8, "rejected": 7}
PEOPLE_SOURCES = {"application": 45, "grid_report": 20, "ex_officio": 12, "referral_police": 7,
                   "referral_petition": 4, "hotline": 8, "referral_court": 2, "other": 2}
ADMIN_SOURCES = {"application": 62, "hotline": 15, "ex_officio": 8, "referral_petition": 5,
                  "grid_report": 5, "other": 5}

# The first cases cycle through these so that a small document shows every track and detail.
COMBOS = (
    ("people", None), ("administrative", "police"), ("judicial", "pre_litigation"),
    ("people", None), ("administrative", "traffic"), ("judicial", "delegated"),
    ("people", None), ("administrative", "labor"), ("judicial", "entrusted"),
    ("people", None), ("administrative", "land"), ("judicial", "in_litigation"),
    ("administrative", "consumer"), ("administrative", "medical"), ("administrative", "other"),
)
STATUS_CYCLE = tuple(s.value for s in CaseStatus)
CATEGORY_CYCLE = tuple(c.value for c in Category)
CYCLED_CASES = 60

# --- lifecycle texts --------------------------------------------------------------------------

REJECT_REASONS = ("被申请人明确拒绝调解（《人民调解法》第十七条）", "纠纷已诉至人民法院并已立案受理",
                   "纠纷涉嫌刑事犯罪，不属于人民调解受理范围", "纠纷已由劳动人事争议仲裁委员会受理")
FAIL_REASONS = ("双方分歧较大，经多次调解未能达成协议，已告知当事人可通过仲裁、行政、诉讼途径解决",
                 "被申请人拒绝继续调解，已告知当事人依法维权途径",
                 "双方对赔偿数额差距过大，调解终止，已告知可向人民法院起诉")
WITHDRAW_REASONS = ("双方自行和解，申请人撤回调解申请", "申请人决定直接向人民法院起诉，撤回调解申请",
                     "申请人因个人原因撤回申请")
EXTEND_REASONS = ("案情复杂，需补充调查取证，经双方当事人同意延长调解期限", "当事人需时间筹措款项，双方同意延期调解",
                   "需等待损失评估结果，经双方同意延长调解期限")
ESCALATE_REASONS = {
    "village": "网格内调处未果，上报村（社区）调委会",
    "township": "涉及人数较多，村级调处难度大，报请乡镇（街道）调委会协调",
    "county": "纠纷有激化风险，上报县矛盾纠纷多元化解中心督办",
}
HAND_DOWN_REASON = "属村内邻里纠纷，交由村（社区）就地化解"
PAUSE_REASON = "委托医疗损害鉴定，鉴定期间不计入调解期限"
RESUME_REASON = "鉴定意见书已送达双方，恢复调解"
INVESTIGATION_RECORDS = ("调解员走访{a}、{b}及周边群众，查看现场，了解纠纷起因。",
                          "调取相关票据、合同及照片等证据材料，核实损失情况。",
                          "分别听取{a}、{b}陈述，制作询问笔录，核实争议焦点。")
MEDIATION_RECORDS = ("调解员释明相关法律规定，双方充分表达意见，约定再次协商。",
                      "背靠背做双方工作，{b}同意适当让步，{a}表示考虑。",
                      "邀请村干部和双方亲属参与调解，气氛趋于缓和，双方同意继续协商。")
AGREE_RECORDS = ("经耐心疏导，双方各让一步，当场达成调解协议。", "调解员释法说理，双方自愿达成协议并签字确认。")
FAIL_RECORDS = ("双方分歧较大，经反复调解未能达成一致。", "{b}坚持己见，拒绝接受调解方案。")
FOLLOW_UP_NOTES = {
    "full": ("协议已全部履行，双方关系缓和。", "款项已结清，当事人表示满意。", "回访时双方均表示纠纷已彻底化解。"),
    "partial": ("已履行部分义务，余款约定近期付清，已督促履行。", "部分条款尚未履行，调解员已电话督促。"),
    "none": ("协议尚未履行，已督促义务人按期履行。", "义务人称经济困难暂未履行，已告知不履行的法律后果。"),
}
PERFORMANCE_WAYS = ("一次性现金支付", "银行转账", "微信转账", "按协议约定期限自行履行")
