"""Enumerations of the domain, each value with its Chinese label in one place."""
from __future__ import annotations

from enum import StrEnum


class LabeledEnum(StrEnum):
    """A string enum whose members carry a Chinese ``label``."""

    label: str

    def __new__(cls, value: str, label: str) -> LabeledEnum:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj

    @classmethod
    def parse(cls, value: str) -> LabeledEnum:
        """The member for a code; ValueError (with the allowed codes) otherwise."""
        try:
            return cls(value)
        except ValueError:
            raise ValueError(f"{value!r} 不是有效取值，可选：{'、'.join(m.value for m in cls)}") from None

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]


class Track(LabeledEnum):
    PEOPLE = "people", "人民调解"
    ADMINISTRATIVE = "administrative", "行政调解"
    JUDICIAL = "judicial", "司法调解"

    @property
    def number_word(self) -> str:
        """The word of the track in case numbers: 人调 / 行调 / 诉调."""
        return {"people": "人调", "administrative": "行调", "judicial": "诉调"}[self.value]


class TrackDetail(LabeledEnum):
    # judicial track
    PRE_LITIGATION = "pre_litigation", "诉前调解"
    DELEGATED = "delegated", "委派调解"
    ENTRUSTED = "entrusted", "委托调解"
    IN_LITIGATION = "in_litigation", "诉中调解"
    # administrative track
    POLICE = "police", "治安调解"
    TRAFFIC = "traffic", "交通事故调解"
    LABOR = "labor", "劳动争议调解"
    LAND = "land", "土地林权调解"
    CONSUMER = "consumer", "消费纠纷调解"
    MEDICAL = "medical", "医疗纠纷调解"
    OTHER = "other", "其他行政调解"

    @property
    def track(self) -> Track:
        judicial = {"pre_litigation", "delegated", "entrusted", "in_litigation"}
        return Track.JUDICIAL if self.value in judicial else Track.ADMINISTRATIVE


JUDICIAL_DETAILS = frozenset(d for d in TrackDetail if d.track is Track.JUDICIAL)
ADMINISTRATIVE_DETAILS = frozenset(d for d in TrackDetail if d.track is Track.ADMINISTRATIVE)


class Procedure(LabeledEnum):
    ORDINARY = "ordinary", "普通程序"
    SIMPLE = "simple", "简易程序"


class Source(LabeledEnum):
    APPLICATION = "application", "当事人申请"
    EX_OFFICIO = "ex_officio", "主动调解"
    GRID_REPORT = "grid_report", "网格上报"
    SCREENING = "screening", "排查发现"
    REFERRAL_COURT = "referral_court", "法院委派委托"
    REFERRAL_POLICE = "referral_police", "公安移送"
    REFERRAL_PETITION = "referral_petition", "信访移送"
    HOTLINE = "hotline", "12345热线"
    OTHER = "other", "其他"


class Category(LabeledEnum):
    MARRIAGE_FAMILY = "marriage_family", "婚姻家庭"
    NEIGHBOR = "neighbor", "邻里"
    HOUSING_HOMESTEAD = "housing_homestead", "房屋宅基地"
    CONTRACT = "contract", "合同"
    BUSINESS = "business", "生产经营"
    DAMAGES = "damages", "损害赔偿"
    LAND_FOREST = "land_forest", "山林土地"
    LAND_EXPROPRIATION = "land_expropriation", "征地拆迁"
    ENVIRONMENT = "environment", "环境污染"
    LABOR = "labor", "劳动争议"
    MEDICAL = "medical", "医疗"
    PROPERTY_MANAGEMENT = "property_management", "物业"
    TRAFFIC = "traffic", "道路交通"
    CONSUMER = "consumer", "消费"
    TOURISM = "tourism", "旅游"
    IP = "ip", "知识产权"
    INTERNET = "internet", "互联网"
    OTHER = "other", "其他"


class CaseStatus(LabeledEnum):
    REGISTERED = "registered", "待受理"
    ACCEPTED = "accepted", "已受理"
    MEDIATING = "mediating", "调解中"
    AGREED = "agreed", "调解成功"
    PERFORMED = "performed", "已履行"
    FAILED = "failed", "调解终止"
    WITHDRAWN = "withdrawn", "已撤回"
    REJECTED = "rejected", "不予受理"
    ARCHIVED = "archived", "已归档"


# Cases still being handled: they can be escalated and carry handling clocks.
OPEN_STATUSES = frozenset({CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.MEDIATING})
# Cases that ended without further obligations of the parties.
TERMINAL_STATUSES = frozenset(
    {CaseStatus.REJECTED, CaseStatus.WITHDRAWN, CaseStatus.ARCHIVED}
)


class Level(LabeledEnum):
    GRID = "grid", "网格"
    VILLAGE = "village", "村（社区）"
    TOWNSHIP = "township", "乡镇（街道）"
    COUNTY = "county", "县（市、区）"

    @property
    def rank(self) -> int:
        return ["grid", "village", "township", "county"].index(self.value)


class RiskLevel(LabeledEnum):
    LOW = "low", "低"
    MEDIUM = "medium", "中"
    HIGH = "high", "高"


class RiskFlag(LabeledEnum):
    CRIMINAL = "criminal", "民转刑风险"
    GROUP = "group", "群体性"
    REPEAT = "repeat", "重复纠纷"
    PETITION = "petition", "涉访"


class RegionLevel(LabeledEnum):
    COUNTY = "county", "县（市、区）"
    TOWNSHIP = "township", "乡镇（街道）"
    VILLAGE = "village", "村（社区）"
    GRID = "grid", "网格"


class VillageKind(LabeledEnum):
    URBAN_COMMUNITY = "urban_community", "城市社区"
    RURAL_VILLAGE = "rural_village", "农村"
    INDUSTRIAL_PARK = "industrial_park", "园区"


class OrganizationKind(LabeledEnum):
    VILLAGE_COMMITTEE = "village_committee", "村（居）调委会"
    TOWNSHIP_COMMITTEE = "township_committee", "乡镇（街道）调委会"
    PROFESSIONAL_COMMITTEE = "professional_committee", "行业性专业性调委会"
    JUDICIAL_OFFICE = "judicial_office", "司法所"
    ADMINISTRATIVE = "administrative", "行政机关"
    COURT = "court", "人民法院/人民法庭"


class PartyRole(LabeledEnum):
    APPLICANT = "applicant", "申请人"
    RESPONDENT = "respondent", "被申请人"
    THIRD_PARTY = "third_party", "第三人"


class PartyKind(LabeledEnum):
    PERSON = "person", "自然人"
    ORGANIZATION = "organization", "单位"


class Gender(LabeledEnum):
    MALE = "male", "男"
    FEMALE = "female", "女"


class SessionKind(LabeledEnum):
    INVESTIGATION = "investigation", "调查"
    MEDIATION = "mediation", "调解"


class AgreementForm(LabeledEnum):
    WRITTEN = "written", "书面协议"
    ORAL = "oral", "口头协议"


class PerformanceResult(LabeledEnum):
    FULL = "full", "全部履行"
    PARTIAL = "partial", "部分履行"
    NONE = "none", "未履行"


class FollowUpMethod(LabeledEnum):
    VISIT = "visit", "上门回访"
    PHONE = "phone", "电话回访"
    OTHER = "other", "其他方式"


class Satisfaction(LabeledEnum):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class ConfirmationResult(LabeledEnum):
    PENDING = "pending", "审查中"
    CONFIRMED = "confirmed", "裁定确认有效"
    REJECTED = "rejected", "裁定驳回申请"


class AdvisorKind(LabeledEnum):
    LAWYER = "lawyer", "律师"
    LEGAL_WORKER = "legal_worker", "基层法律服务工作者"


class DeadlineKind(LabeledEnum):
    HANDLING = "handling", "调解期限"
    JUDICIAL_CONFIRMATION = "judicial_confirmation", "司法确认申请截止"
    PERFORMANCE = "performance", "履行期限"
    FOLLOW_UP = "follow_up", "回访"
    REVIEW = "review", "法律顾问审查"
    ADVISOR_VISIT = "advisor_visit", "到村服务"
    APPOINTMENT_END = "appointment_end", "聘期届满"
    ESCALATION = "escalation", "升级督办"
    SCREENING = "screening", "矛盾纠纷排查"


class DeadlineState(LabeledEnum):
    OPEN = "open", "未到期"
    MET = "met", "已完成"
    OVERDUE = "overdue", "已逾期"
    VOID = "void", "已失效"


class LedgerKind(LabeledEnum):
    """The headings of the Henan advisor tallies, plus 合同审查 and 其他 (DOMAIN.md)."""

    CONSULTATION = "consultation", "法律咨询（出具法律意见）"
    DRAFTING = "drafting", "代写法律文书"
    LECTURE = "lecture", "法治讲座"
    MEDIATION = "mediation", "参与调解"
    LITIGATION = "litigation", "参与诉讼（代理）"
    ON_SITE = "on_site", "现场服务（到村坐班）"
    MAJOR_DECISION = "major_decision", "重大决策法律意见"
    CONTRACT_REVIEW = "contract_review", "合同审查"
    OTHER = "other", "其他"


class ReviewResult(LabeledEnum):
    """The advisor's answer to a review (DOMAIN: 法律顾问审查).

    ``APPROVED`` and ``AMENDED`` let the agreement be signed (修改后同意: once the mediator has
    made the changes the opinion asks for); ``DISAPPROVED`` does not. ``RETURNED`` (退回修改) is
    what earlier versions stored; migration 0006 turned those rows into ``DISAPPROVED`` and no
    new review gets it. ``VOIDED``: closed unanswered because the case was archived.
    """

    PENDING = "pending", "待审查"
    APPROVED = "approved", "同意"
    AMENDED = "amended", "修改后同意"
    DISAPPROVED = "disapproved", "不同意"
    RETURNED = "returned", "退回修改"
    VOIDED = "voided", "已撤回"

    @property
    def approves(self) -> bool:
        """Whether the agreement may be signed on this answer."""
        return self in (ReviewResult.APPROVED, ReviewResult.AMENDED)

    @classmethod
    def answers(cls) -> tuple[ReviewResult, ...]:
        """What an advisor may answer."""
        return (cls.APPROVED, cls.AMENDED, cls.DISAPPROVED)


class SupplementKind(LabeledEnum):
    """What a recorded agreement after signing does to the signed one (it is never edited)."""

    CHANGE = "change", "变更协议"
    SUPPLEMENT = "supplement", "补充协议"
