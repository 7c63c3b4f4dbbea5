"""The fields of the document context under the Chinese names the form editor shows.

A form names a field in Jinja2 (``{{ agreement.amount_text }}``); the editor shows it as
「协议金额大写」. Data only: every path is checked against
:class:`~mediator.documents.context.DocumentContext` by the tests, and every name is unique.
"""
from __future__ import annotations

# Field path → the name shown (and typed) in 「」.
FIELD_NAMES: dict[str, str] = {
    # The case and the office.
    "number": "文书编号",
    "organization": "调解组织名称",
    "organization_address": "调解组织地址",
    "organization_phone": "调解组织电话",
    "office_name": "司法所名称",
    "office_address": "司法所地址",
    "office_phone": "司法所电话",
    "office_seal": "印章文字",
    "date_text": "落款日期",
    "track_label": "调解类型",
    "track_detail_label": "调解来源类型",
    "category_label": "纠纷类型",
    "source_label": "纠纷来源",
    "village": "所在村（社区）",
    "grid": "所在网格",
    "received_on": "收案日期",
    "accepted_on": "受理日期",
    "summary": "纠纷简要情况",
    "requests": "当事人请求事项",
    "party_names": "当事人姓名",
    "applicant_names": "申请人姓名",
    "respondent_names": "被申请人姓名",
    "mediator_names": "调解员姓名",
    "mediator_title": "调解员称谓",
    "recorder": "记录人",
    "registrar": "登记人",
    "status_label": "案件状态",
    "verify_code": "验证码",
    # The agreement.
    "agreement.signed_on": "协议签订日期",
    "agreement.facts": "纠纷事实",
    "agreement.performance": "履行方式",
    "agreement.deadline": "履行期限",
    "agreement.amount_figures": "协议金额小写",
    "agreement.amount_upper": "协议金额仅大写",
    "agreement.amount_text": "协议金额大写",
    "agreement.copies_text": "协议份数",
    # 变更（补充）协议.
    "supplement.title": "补充协议名称",
    "supplement.action": "变更或补充",
    "supplement.signed_on": "补充协议签订日期",
    "supplement.reason": "变更补充原因",
    "supplement.original_signed_on": "原协议签订日期",
    # 终止调解 / 不予受理.
    "termination.on": "终止调解日期",
    "termination.reason": "终止调解原因",
    "termination.note": "终止调解说明",
    "rejection.on": "不予受理日期",
    "rejection.reason": "不予受理原因",
    "rejection.note": "不予受理说明",
    # 回访.
    "follow_up.on": "回访日期",
    "follow_up.method": "回访方式",
    "follow_up.performance": "协议履行情况",
    "follow_up.satisfaction": "当事人满意度",
    "follow_up.note": "回访情况",
    "follow_up.visitor": "回访人",
    # 调查记录 / 调解记录.
    "investigation.on": "调查日期",
    "investigation.place": "调查地点",
    "investigation.participants": "被调查人",
    "investigation.record": "调查情况",
    "investigation.result": "调查结果",
    "session.on": "调解日期",
    "session.place": "调解地点",
    "session.participants": "参加人",
    "session.record": "调解经过",
    "session.result": "调解结果",
    # 司法确认.
    "confirmation.applied_on": "司法确认申请日期",
    "confirmation.court": "受理法院",
    "confirmation.result_label": "司法确认结果",
    "confirmation.ruled_on": "司法确认裁定日期",
    # 法律顾问审查.
    "advisor_review.advisor": "法律顾问",
    "advisor_review.requested_on": "送审日期",
    "advisor_review.requested_by": "送审人",
    "advisor_review.request_note": "送审说明",
    "advisor_review.result_label": "审查结论",
    "advisor_review.opinion": "审查意见",
    "advisor_review.reviewed_on": "审查日期",
    "advisor_review.draft.revision_text": "送审稿次",
    "advisor_review.draft.facts": "送审稿纠纷事实",
    "advisor_review.draft.performance": "送审稿履行方式",
    "advisor_review.draft.deadline": "送审稿履行期限",
    "advisor_review.draft.amount_text": "送审稿协议金额",
    # 卷宗.
    "dossier.title": "卷宗名称",
    "dossier.result": "调解结果（卷宗）",
    "dossier.opened_on": "立案日期",
    "dossier.closed_on": "结案日期",
    "dossier.archived_on": "立卷日期",
    "dossier.filed_by": "立卷人",
    "dossier.checked_by": "检查人",
    "dossier.retention": "保管期限",
    "dossier.documents": "卷内文件件数",
    "dossier.pages": "卷内页数",
    "dossier.explanation": "卷宗情况说明",
}

NAME_FIELDS: dict[str, str] = {name: path for path, name in FIELD_NAMES.items()}
