"""The 审计日志 page's reading side: filtered entries, Chinese names of the acts, the chain check.

Writing stays in ``services/audit.py``; this module only reads (AUDIT_READ).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import select

from mediator.domain.enums import CaseStatus
from mediator.domain.lifecycle import Action
from mediator.domain.permissions import Permission
from mediator.services import audit
from mediator.services.context import SHANGHAI, ServiceContext
from mediator.services.permissions import requires
from mediator.store.models import AuditEntry

CASE_PREFIX = "case."
ALL_CASE_ACTS = "case.*"  # the filter for every act on a case

# Every code ``audit.record``/``audit.log`` writes (case.<lifecycle action> come from Action).
LABELS: dict[str, str] = {
    "login": "登录",
    "login.failed": "登录失败",
    "logout": "退出登录",
    "lock": "锁定窗口",
    "unlock": "解除锁定",
    "reveal": "显示个人信息",
    "export": "导出",
    "print": "出具文书",
    "print.draft": "生成文书草稿文件",
    "print.copy": "另存已出具文书",
    "import": "导入",
    "backup": "备份数据库",
    "backup.failed": "备份失败",
    "settings.set": "修改系统设置",
    "setup": "首次设置本单位",
    "reminder.complete": "提醒：完成",
    "reminder.snooze": "提醒：推迟",
    "reminder.dismiss": "提醒：不再提醒",
    "review.request": "送法律顾问审查",
    "review.decide": "法律顾问审查意见",
    "review.void": "撤回法律顾问审查",
    "agreement.draft": "拟定协议",
    "agreement.draft_edit": "修改协议草稿",
    "case.attach": "添加附件",
    "case.detach": "删除附件",
    "form.copy": "复制文书格式",
    "form.save": "修改文书格式",
    "form.reset": "恢复默认文书格式",
    "restore": "恢复数据库",
    "db.grant_app_role": "授予程序数据库角色权限",
    "destroy": "销毁卷宗",
    "handover": "移交案件",
    "encrypt": "启用数据库加密",
    "encryption.enable": "启用数据库加密",
    "database.encrypt": "启用数据库加密",
    "case.edit": "修改案件信息",
    "case.supplement": "签订变更（补充）协议",
    "case.handover": "移交案件",
    "case.reassign": "更换调解员",
    "case.recusal": "调解员回避",
    "case.destroy": "销毁卷宗",
    "account.add": "新增账号",
    "account.edit": "修改账号",
    "account.role": "更改账号角色",
    "account.password_reset": "重置密码",
    "account.password_change": "修改密码",
    "account.activate": "启用账号",
    "account.deactivate": "停用账号",
    "account.unlock": "解锁账号",
    "account.advisor_link": "关联法律顾问账号",
    "office.request": "司法所申请加入",
    "office.approve": "批准司法所加入",
    "office.refuse": "拒绝司法所加入",
    "form.export": "导出文书格式文件",
    "form.import": "导入文书格式文件",
    "grid.report": "网格事件上报",
    "grid.dispatch": "网格上报分派",
    "screening.plan": "计划排查",
    "screening.record": "登记排查结果",
    "grid.resolve": "网格内化解",
    "grid.feedback": "网格评价反馈",
    "ledger.import": "导入旧台账",
    "risk.rules": "修改风险预警规则",
    "risk.ack": "确认风险预警并记录跟进",
    ALL_CASE_ACTS: "案件办理（全部）",
}


def action_label(code: str) -> str:
    """The Chinese name of an audit code; an unknown code shows as itself."""
    if code in LABELS:
        return LABELS[code]
    if code.startswith(CASE_PREFIX):
        try:
            return f"案件{Action(code[len(CASE_PREFIX):]).label}"
        except ValueError:
            pass
    return code


@dataclass(frozen=True)
class AuditFilter:
    """What the 审计日志 page asks for; empty fields do not filter."""

    username: str = ""
    action: str = ""  # one code, or ``case.*`` for every act on a case
    date_from: date | None = None
    date_to: date | None = None  # inclusive
    text: str = ""  # in the target or the detail


@dataclass(frozen=True)
class AuditLine:
    id: int
    at: datetime  # Asia/Shanghai
    username: str
    action: str
    action_label: str
    target: str
    detail: dict[str, Any]

    @property
    def detail_text(self) -> str:
        return describe_detail(self.detail, self.action)


# The detail's keys and coded values as a person reads them; others show as stored.
DETAIL_LABELS: dict[str, str] = {
    "case_id": "案件ID", "on": "日期", "from": "自", "to": "至", "fields": "修改项", "form": "文书",
    "fmt": "格式", "sha256": "文件校验值", "verify_code": "验证码", "kind": "类别",
    "filter": "筛选条件", "scope": "范围", "cases": "案件数", "regions": "区划数",
    "organizations": "组织数", "size": "字节数", "reason": "原因", "party": "当事人",
    "purpose": "用途", "year": "年度", "advisor_id": "法律顾问ID", "draft": "草稿", "path": "文件",
    "mediator_id": "调解员ID", "deactivated": "同时停用调解员", "record_id": "销毁记录号",
    "record_ids": "销毁记录号", "category": "纠纷类别", "archived_on": "归档日期",
    "retention": "保管期限", "due_on": "到期日", "supervisor": "监销人", "approved_by": "批准人",
    "method": "销毁方式", "destroyed_on": "销毁日期",
    "rule": "预警规则", "follow_up_by": "跟进人", "changed": "修改的规则", "office": "司法所",
}
STATUS_LABELS = {s.value: s.label for s in CaseStatus}
# Keys that mean something else for one act.
ACTION_DETAIL_LABELS: dict[str, dict[str, str]] = {
    "case.handover": {"from": "原调解员", "to": "接手调解员"},
}
DETAIL_VALUES: dict[str, str] = {
    "ledger": "案件台账", "report": "统计表", "advisors": "法律顾问名册",
    "advisor_summary": "法律顾问年度汇总", "review_opinion": "法律顾问审查意见书",
    "idle": "无操作超时", "manual": "手动", "pdf": "PDF", "docx": "DOCX",
}


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        return DETAIL_VALUES.get(value, value)
    return str(value)


def describe_detail(detail: dict[str, Any], action: str = "") -> str:
    """``名称：值`` pairs on one line (the detail holds codes and numbers, not prose)."""
    labels = {**DETAIL_LABELS, **ACTION_DETAIL_LABELS.get(action, {})}
    lifecycle = action.startswith(CASE_PREFIX) and action not in ACTION_DETAIL_LABELS
    parts = []
    for key, value in detail.items():
        if value in (None, "", [], {}):
            continue
        if lifecycle and key == "to" and value in STATUS_LABELS:
            parts.append(f"新状态：{STATUS_LABELS[value]}")
            continue
        parts.append(f"{labels.get(key, key)}：{_value_text(value)}")
    return "；".join(parts)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, SHANGHAI)


def _text_condition(text: str) -> Any:
    # JSON is stored with \\uXXXX escapes for Chinese, so the detail is searched in both spellings.
    escaped = json.dumps(text)[1:-1]
    detail = sa.cast(AuditEntry.detail, sa.Text)
    conditions = [sa.func.lower(AuditEntry.target).contains(text.lower(), autoescape=True),
                  detail.contains(text, autoescape=True)]
    if escaped != text:
        conditions.append(detail.contains(escaped, autoescape=True))
    return sa.or_(*conditions)


@requires(Permission.AUDIT_READ)
def list_audit(ctx: ServiceContext, f: AuditFilter | None = None,
               limit: int = 500) -> list[AuditLine]:
    """The entries matching ``f``, newest first, at most ``limit``."""
    f = f or AuditFilter()
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if f.username.strip():
        stmt = stmt.where(AuditEntry.username == f.username.strip())
    if f.action == ALL_CASE_ACTS:
        stmt = stmt.where(AuditEntry.action.startswith(CASE_PREFIX))
    elif f.action:
        stmt = stmt.where(AuditEntry.action == f.action)
    if f.date_from is not None:
        stmt = stmt.where(AuditEntry.at >= _day_start(f.date_from))
    if f.date_to is not None:
        stmt = stmt.where(AuditEntry.at < _day_start(f.date_to + timedelta(days=1)))
    if f.text.strip():
        stmt = stmt.where(_text_condition(f.text.strip()))
    with ctx.read() as session:
        return [AuditLine(e.id, e.at.astimezone(SHANGHAI), e.username, e.action,
                          action_label(e.action),
                          e.target, e.detail or {}) for e in session.exec(stmt)]


@requires(Permission.AUDIT_READ)
def audit_users(ctx: ServiceContext) -> list[str]:
    """Every name that appears in the log (the 用户 filter), sorted."""
    with ctx.read() as session:
        return sorted(session.exec(select(AuditEntry.username).distinct()).all())


@requires(Permission.AUDIT_READ)
def audit_actions(ctx: ServiceContext) -> list[tuple[str, str]]:
    """(code, label) of every act recorded so far, plus 案件办理（全部） when cases were handled."""
    with ctx.read() as session:
        codes = set(session.exec(select(AuditEntry.action).distinct()).all())
    choices = sorted(((c, action_label(c)) for c in codes),
                     key=lambda p: (p[0].startswith(CASE_PREFIX), p[0]))
    if any(c.startswith(CASE_PREFIX) for c in codes):
        first_case = next(i for i, (c, _) in enumerate(choices) if c.startswith(CASE_PREFIX))
        choices.insert(first_case, (ALL_CASE_ACTS, LABELS[ALL_CASE_ACTS]))
    return choices


@dataclass(frozen=True)
class AuditCheck:
    intact: bool
    count: int
    problems: tuple[audit.ChainBreak, ...]
    anchor: audit.AuditHead | None = None  # the anchor checked against, if one was given
    head: audit.AuditHead | None = None  # the head now, to write down for the next check

    @property
    def summary(self) -> str:
        if self.intact:
            extends = f"，并延续锚点（第{self.anchor.count}条）" if self.anchor is not None else ""
            return f"审计日志完整，共{self.count}条{extends}"
        first = self.problems[0]
        where = f"链条在第{first.entry_id}条记录处断开：" if first.entry_id is not None else ""
        more = f"（另有{len(self.problems) - 1}处问题）" if len(self.problems) > 1 else ""
        return f"审计日志校验未通过，{where}{first.message}{more}"


@requires(Permission.AUDIT_READ)
def verify_audit(ctx: ServiceContext, anchor: str = "") -> AuditCheck:
    """The chain check of ``audit.verify`` with a Chinese summary for the page.

    ``anchor``: ``COUNT:HASH`` written down earlier (empty: none); a malformed one is a
    ValidationError on ``anchor``.
    """
    wanted = audit.parse_anchor(anchor, "anchor") if anchor.strip() else None
    problems = audit.verify(ctx, wanted)
    with ctx.read() as session:
        count = session.exec(select(sa.func.count()).select_from(AuditEntry)).one()
        head = audit.head_in(session)
    return AuditCheck(not problems, int(count), tuple(problems), wanted, head)


__all__ = ["ALL_CASE_ACTS", "LABELS", "AuditCheck", "AuditFilter", "AuditLine", "action_label",
           "audit_actions", "audit_users", "describe_detail", "list_audit", "verify_audit"]
