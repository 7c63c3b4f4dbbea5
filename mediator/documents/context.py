"""What a form may print: plain, already formatted data built by the services for one document.

Forms name these fields in their Jinja2 placeholders (``{{ agreement.amount_text }}``); the form
loader checks every name against these classes, so a typo fails when the form loads, not when a
mediator prints. Text fields hold the words to print ("" when unknown: the line stays blank to be
filled in by hand).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class AgentInfo:
    """委托代理人 of a party."""

    name: str
    relation: str = ""
    phone: str = ""


@dataclass(frozen=True)
class PartyInfo:
    """One party as the party block prints it (persons and organisations alike)."""

    role: str  # applicant / respondent / third_party
    role_label: str  # 申请人
    kind: str  # person / organization
    name: str
    gender: str = ""  # 男 / 女
    ethnicity: str = ""
    age: str = ""  # "78岁", on the document date
    birth_date: str = ""  # "1948年3月15日"
    occupation: str = ""  # 职业或单位
    address: str = ""  # 住址 / 住所
    phone: str = ""
    id_number: str = ""
    credit_code: str = ""  # 统一社会信用代码
    representative: str = ""  # 法定代表人
    agent: AgentInfo | None = None

    @property
    def is_organization(self) -> bool:
        return self.kind == "organization"


@dataclass(frozen=True)
class AgreementInfo:
    """The agreement (《人民调解法》 Art. 29, 《人民调解工作若干规定》 Art. 35)."""

    form: str  # written / oral
    signed_on: str  # as written in the text: 2026年6月10日
    facts: str  # 纠纷主要事实、争议事项 (the case summary when none was written)
    terms: tuple[str, ...]
    performance: str = ""  # 履行方式
    deadline: str = ""  # 履行期限, 2026年7月5日
    amount_figures: str = ""  # ¥3,600.00 ("" when no money is involved)
    amount_upper: str = ""  # 人民币叁仟陆佰元整
    amount_text: str = ""  # 人民币叁仟陆佰元整（¥3,600.00）
    copies: int = 0
    copies_text: str = ""  # 三


@dataclass(frozen=True)
class SupplementInfo:
    """A 变更协议书 / 补充协议书 signed after the agreement (which stays as signed)."""

    seq: int  # 1, 2, … within the case
    kind: str  # change / supplement
    title: str  # 变更协议书 / 补充协议书
    action: str  # 变更 / 补充
    signed_on: str  # 2026年8月1日
    terms: tuple[str, ...]
    reason: str = ""
    original_signed_on: str = ""  # the signing date of the agreement it changes or adds to


@dataclass(frozen=True)
class OutcomeInfo:
    """Why a case ended without agreement (终止调解) or was not accepted (不予受理)."""

    on: str  # 2026年8月3日
    reason: str = ""
    note: str = ""


@dataclass(frozen=True)
class FollowUpInfo:
    """One follow-up visit (回访)."""

    on: str
    method: str  # 电话回访
    performance: str = ""  # 全部履行
    satisfaction: str = ""  # 满意
    note: str = ""
    visitor: str = ""


@dataclass(frozen=True)
class SessionInfo:
    """One investigation or mediation session (调查记录 / 调解记录)."""

    on: str  # 2026年6月5日
    kind: str  # investigation / mediation
    kind_label: str  # 调查 / 调解
    place: str = ""
    participants: str = ""  # who took part (as recorded), else the parties
    record: str = ""  # 调查情况 / 调解经过
    result: str = ""  # 调解结果: 达成调解协议 / 未达成协议，继续调解 / 调解不成，终止调解


@dataclass(frozen=True)
class ConfirmationInfo:
    """The parties' application for judicial confirmation (司法确认, 《人民调解法》 Art. 33)."""

    applied_on: str = ""
    court: str = ""
    result_label: str = ""  # 审查中 / 裁定确认有效 / 裁定驳回申请
    ruled_on: str = ""


@dataclass(frozen=True)
class DraftInfo:
    """The draft agreement as it was sent for review (printed with the opinion)."""

    revision: int
    revision_text: str  # 第2稿
    facts: str = ""
    terms: tuple[str, ...] = ()
    performance: str = ""  # 履行方式
    deadline: str = ""  # 2026年7月5日
    amount_text: str = ""  # 人民币叁仟陆佰元整（¥3,600.00）


@dataclass(frozen=True)
class ReviewInfo:
    """A legal advisor's review of the case (法律顾问审查意见书)."""

    advisor: str
    requested_on: str
    requested_by: str = ""
    request_note: str = ""
    result_label: str = ""  # 待审查 / 同意 / 修改后同意 / 不同意
    opinion: str = ""
    reviewed_on: str = ""
    draft: DraftInfo | None = None  # the draft reviewed (None: sent without one)


@dataclass(frozen=True)
class ContentsRow:
    """One line of the dossier's contents (卷内目录)."""

    seq: str  # 1, 2, …
    title: str
    date: str = ""  # the document's date
    pages: str = ""  # 页号: "3" or "3—4"; "" when not in the file
    note: str = ""  # 备注: 缺（见卷宗情况说明）, 纸质存档, …


@dataclass(frozen=True)
class DossierInfo:
    """The dossier of a case (卷宗): cover, contents and back cover (备考表)."""

    title: str  # 刘桂兰与杨国强婚姻家庭纠纷
    result: str = ""  # 调解成功 / 调解不成 / 不予受理 / 当事人撤回
    opened_on: str = ""  # 受理（收案）日期
    closed_on: str = ""  # 结案日期
    archived_on: str = ""  # 立卷日期
    filed_by: str = ""  # 立卷人
    checked_by: str = ""  # 检查人
    retention: str = ""  # 保管期限
    documents: int = 0  # 件
    pages: int = 0  # 页
    contents: tuple[ContentsRow, ...] = ()
    explanation: str = ""  # 卷宗情况说明 (why a required item is missing)
    missing: tuple[str, ...] = ()  # required items that are missing


@dataclass(frozen=True)
class DocumentContext:
    """Everything a form may print about one case, on one document date."""

    number: str
    organization: str  # the mediating body: 城关镇人民调解委员会
    date: date  # the document date (signing date, notice date)
    date_text: str  # 二〇二六年六月十日 (or 2026年6月10日 with documents.date_style = arabic)
    track: str = "people"
    track_label: str = "人民调解"
    track_detail: str = ""
    track_detail_label: str = ""
    organization_address: str = ""
    organization_phone: str = ""
    office_name: str = ""
    office_address: str = ""
    office_phone: str = ""
    category: str = ""
    category_label: str = ""
    source_label: str = ""
    village: str = ""
    grid: str = ""
    received_on: str = ""  # 2026年6月1日
    accepted_on: str = ""
    summary: str = ""
    requests: str = ""
    parties: tuple[PartyInfo, ...] = ()
    party_names: str = ""  # 刘桂兰、杨国强
    applicant_names: str = ""
    respondent_names: str = ""
    mediators: tuple[str, ...] = ()
    mediator_names: str = ""  # 李建国、王秀英
    mediator_title: str = "人民调解员"  # 行政调解: 调解人员; 司法调解: 调解员
    recorder: str = ""
    registrar: str = ""
    status_label: str = ""
    agreement: AgreementInfo | None = None
    supplement: SupplementInfo | None = None  # the latest 变更/补充协议 (the dossier: each in turn)
    termination: OutcomeInfo | None = None
    rejection: OutcomeInfo | None = None
    follow_up: FollowUpInfo | None = None
    sessions: tuple[SessionInfo, ...] = ()
    investigation: SessionInfo | None = None  # the investigation record to print
    session: SessionInfo | None = None  # the mediation session record to print
    confirmation: ConfirmationInfo | None = None
    advisor_review: ReviewInfo | None = None
    dossier: DossierInfo | None = None
    office_seal: str = ""  # the office's seal text (setting), e.g. 城关镇人民调解委员会
    verify_code: str = ""  # the issued document's verification code ("" for a draft)
    extra: dict[str, str] = field(default_factory=dict)  # office-specific words a custom form uses
