"""Who may do what: the roles, the permissions and the one matrix between them.

The services check it on every call (``services/permissions.py``); the UI asks the same matrix
only to hide what a role cannot do. Which *cases* a role sees (its scope) is decided in
``services/case_scope.py``; this matrix says which kinds of acts it may do at all.
"""
from __future__ import annotations

from mediator.domain.enums import LabeledEnum


class Role(LabeledEnum):
    ADMIN = "admin", "管理员"
    HEAD = "head", "所长/主任"
    MEDIATOR = "mediator", "调解员"
    ADVISOR = "advisor", "法律顾问"
    GRID_WORKER = "grid_worker", "网格员"
    READONLY = "readonly", "只读"


class Permission(LabeledEnum):
    CASE_READ = "case.read", "查看案件"
    CASE_REGISTER = "case.register", "登记案件"
    CASE_HANDLE = "case.handle", "办理案件"  # lifecycle acts, parties, sessions, agreements, visits
    CASE_SUPERVISE = "case.supervise", "指派和督办案件"  # assign mediators, transfer, escalate
    CASE_HANDOVER = "case.handover", "移交调解员的案件"
    PERSONAL_DATA = "personal.read", "查看身份证号和电话"
    DOCUMENT_PRINT = "document.print", "打印和导出文书"
    DATA_EXPORT = "data.export", "导出案件数据"
    DATA_IMPORT = "data.import", "导入案件数据"
    REPORT = "report.view", "查看统计报表"
    ADVISOR_REVIEW = "advisor.review", "法律审查"
    ADVISOR_LEDGER = "advisor.ledger", "登记法律顾问服务台账"
    ADVISOR_MANAGE = "advisor.manage", "管理法律顾问和聘任"
    REFERENCE_EDIT = "reference.edit", "维护区划、网格和调解组织"
    SETTINGS_EDIT = "settings.edit", "修改系统设置"
    ACCOUNTS = "accounts.manage", "管理用户账号"
    AUDIT_READ = "audit.read", "查看审计日志"
    BACKUP = "backup.run", "备份数据"
    RESTORE = "backup.restore", "从备份恢复数据库"  # replaces everything: the administrator's alone
    RETENTION = "retention.destroy", "销毁到期卷宗"


P = Permission
_HEAD = frozenset({
    P.CASE_READ, P.CASE_REGISTER, P.CASE_HANDLE, P.CASE_SUPERVISE, P.CASE_HANDOVER,
    P.PERSONAL_DATA, P.DOCUMENT_PRINT, P.DATA_EXPORT, P.DATA_IMPORT, P.REPORT, P.ADVISOR_MANAGE,
    P.ADVISOR_LEDGER,  # the office keeps and checks the advisors' service ledger
    P.REFERENCE_EDIT, P.AUDIT_READ, P.BACKUP, P.RETENTION,
})

GRANTS: dict[Role, frozenset[Permission]] = {
    # The office's administrator also runs the office on a one-PC 司法所: everything.
    Role.ADMIN: frozenset(Permission),
    Role.HEAD: _HEAD,
    Role.MEDIATOR: frozenset({P.CASE_READ, P.CASE_REGISTER, P.CASE_HANDLE, P.PERSONAL_DATA,
                              P.DOCUMENT_PRINT, P.DATA_EXPORT, P.REPORT}),
    # Advisors read the files of their villages (with names and ID numbers: they check them).
    Role.ADVISOR: frozenset({P.CASE_READ, P.PERSONAL_DATA, P.DOCUMENT_PRINT, P.ADVISOR_REVIEW,
                             P.ADVISOR_LEDGER}),
    # Grid workers register what they find and follow their own reports.
    Role.GRID_WORKER: frozenset({P.CASE_READ, P.CASE_REGISTER, P.PERSONAL_DATA}),
    Role.READONLY: frozenset({P.CASE_READ, P.REPORT}),
}


def may(role: Role | str, permission: Permission) -> bool:
    """Whether ``role`` may do ``permission`` at all (scope aside)."""
    return permission in GRANTS[Role(role)]


def refusal(role: Role | str, permission: Permission) -> str:
    """The Chinese sentence shown when ``role`` tries ``permission``."""
    return f"您的角色（{Role(role).label}）无权{permission.label}，如需办理请联系所长或管理员"


__all__ = ["GRANTS", "Permission", "Role", "may", "refusal"]
