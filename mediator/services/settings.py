"""Office settings: each declared once with its kind, range or choices, default and Chinese label,
and checked there (the 系统 page, the command line and the services all go through ``check``)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlmodel import or_, select

from mediator.domain.enums import Category
from mediator.domain.errors import ValidationError
from mediator.domain.retention import DEFAULT_PERIOD, RetentionPeriod, setting_key
from mediator.domain.validators import text_problem
from mediator.services import audit
from mediator.services.changes import OpChanges
from mediator.services.context import ServiceContext
from mediator.services.office_scope import active_office_count, user_office
from mediator.services.permissions import Permission, requires
from mediator.store.models import Organization, Setting, setting_row

_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


@dataclass(frozen=True)
class SettingSpec:
    """One office setting: what it is, what it may hold, and how it reads (one place for all).

    ``kind``: ``text``, ``int`` (between ``minimum`` and ``maximum``), ``bool`` (a checkbox),
    ``time`` (时:分) or ``choice`` (one of ``choices``: code → what a person reads).
    """

    key: str
    label: str
    kind: str
    default: Any
    help: str = ""
    minimum: int = 0
    maximum: int = 3650
    choices: tuple[tuple[str, str], ...] = ()

    @property
    def type(self) -> type:
        return {"int": int, "bool": bool}.get(self.kind, str)

    def check(self, value: Any) -> Any:
        """The value as stored, or ValidationError naming this setting."""
        if self.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValidationError(self.key, f"{self.label}应为整数")
            if not self.minimum <= value <= self.maximum:
                raise ValidationError(self.key, f"{self.label}应在{self.minimum}到{self.maximum}之间")
            return value
        if self.kind == "bool":
            if isinstance(value, bool) or value in (0, 1):  # 0/1: what earlier versions stored
                return bool(value)
            raise ValidationError(self.key, f"{self.label}应为“是”或“否”")
        if not isinstance(value, str):
            raise ValidationError(self.key, f"{self.label}应为文字")
        value = value.strip()
        problem = text_problem(value, path=self.key, label=self.label, max_length=500)
        if problem is not None:
            raise problem
        if self.kind == "time":
            match = _TIME.fullmatch(value)
            if match is None:
                raise ValidationError(self.key, f"“{value}”不是有效的{self.label}，"
                                                f"应为 时:分（00:00至23:59），如 {self.default}")
            return f"{int(match[1]):02d}:{match[2]}"
        if self.kind == "choice" and value not in dict(self.choices):
            raise ValidationError(self.key, f"{self.label}不是可选的取值")
        return value

    def parse(self, text: str) -> Any:
        """A value typed on the command line, checked."""
        if self.kind == "int":
            try:
                return self.check(int(text.strip()))
            except ValueError:
                raise ValidationError(self.key, f"{self.label}应为整数") from None
        if self.kind == "bool":
            words = {"1": True, "是": True, "true": True, "yes": True, "0": False, "否": False,
                     "false": False, "no": False}
            if text.strip().lower() not in words:
                raise ValidationError(self.key, f"{self.label}应为“是”或“否”（1/0）")
            return words[text.strip().lower()]
        return self.check(text)

    def shown(self, value: Any) -> str:
        """How a value reads (the audit log, the command line)."""
        if self.kind == "bool":
            return "是" if value else "否"
        if self.kind == "choice":
            return dict(self.choices).get(value, str(value))
        return "" if value is None else str(value)


_DAYS = {"kind": "int", "minimum": 1, "maximum": 365}
SETTINGS = {s.key: s for s in [
    SettingSpec("office.name", "单位名称", "text", ""),
    SettingSpec("office.organization", "本单位调解组织", "text", ""),
    SettingSpec("office.address", "单位地址", "text", ""),
    SettingSpec("office.phone", "联系电话", "text", ""),
    SettingSpec("deadlines.follow_up_days", "回访期限（天）", default=7, help="履行期限届满后多少天内回访", **_DAYS),
    SettingSpec("deadlines.default_handling_days", "无法定期限的调解期限（天）", default=30, **_DAYS),
    SettingSpec("deadlines.escalation_grid_days", "网格层级升级督办（天）", default=3, **_DAYS),
    SettingSpec("deadlines.escalation_village_days", "村（社区）层级升级督办（天）", default=10, **_DAYS),
    SettingSpec("deadlines.escalation_township_days", "乡镇（街道）层级升级督办（天）", default=30, **_DAYS),
    SettingSpec("deadlines.warn_days", "提前提醒天数", "int", 3, maximum=60),
    SettingSpec("reminders.daily_time", "每日提醒时间", "time", "08:30", help="时:分，如 08:30"),
    SettingSpec("reminders.scan_minutes", "到期提醒检查间隔（分钟）", "int", 5, minimum=1, maximum=1440),
    SettingSpec("documents.date_style", "文书落款日期样式", "choice", "chinese",
                choices=(("chinese", "中文数字（二〇二六年十一月二十八日）"),
                         ("arabic", "阿拉伯数字（2026年11月28日）"))),
    SettingSpec("office.seal_text", "印章文字", "text", "",
                help="留空则按调解类型印“（人民调解委员会印）”等"),
    # 保管期限 per dispute category (printed on the dossier cover; decides when it may be destroyed).
    *(SettingSpec(setting_key(c), f"卷宗保管期限：{c.label}纠纷", "choice", DEFAULT_PERIOD.value,
                  choices=tuple(RetentionPeriod.choices())) for c in Category),
    SettingSpec("documents.font_path", "文书正文字体文件", "text", "", help="留空则自动查找"),
    SettingSpec("advisors.require_review_approval", "须经法律顾问审查", "bool", False,
                help="勾选：书面协议须经法律顾问审查同意（或修改后同意）后方可签订；"
                     "不勾选：未经审查签订时先询问，流转记录中警示"),
    SettingSpec("advisors.review_working_days", "法律顾问审查期限（工作日）", "int", 3, minimum=1, maximum=60),
    SettingSpec("advisors.monthly_visits", "法律顾问每月到村服务次数（最少）", "int", 1, maximum=31),
    SettingSpec("advisors.monthly_on_site_hours", "法律顾问每月到村服务时长（小时，最少）", "int", 4, maximum=744),
    SettingSpec("advisors.quarterly_lectures", "法律顾问每季度法治讲座次数（最少）", "int", 1, maximum=90),
    SettingSpec("backup.folder", "备份文件夹", "text", "", help="留空则为用户数据目录下的 backups"),
    SettingSpec("backup.daily_time", "每日自动备份时间", "time", "22:00", help="时:分，如 22:00"),
    SettingSpec("backup.keep", "保留最近备份份数", "int", 10, minimum=1, maximum=365),
    SettingSpec("security.idle_lock_minutes", "无操作自动锁定窗口（分钟）", "int", 10, maximum=1440,
                help="0 = 不锁定"),
]}


def spec_of(key: str) -> SettingSpec:
    """The declared setting ``key``; ValidationError for an unknown key."""
    try:
        return SETTINGS[key]
    except KeyError:
        raise ValidationError(key, "未知的设置项") from None


# What each office (司法所) sets for itself; every other setting is county-wide. An office that
# has not set one reads the county default, then the declared default.
OFFICE_PREFIXES = ("office.", "documents.", "deadlines.", "retention.")
COUNTY = -1  # ``office_id=COUNTY``: the county defaults themselves


def is_office_setting(key: str) -> bool:
    return key.startswith(OFFICE_PREFIXES) and key != "documents.font_path"


def _office(ctx: ServiceContext, office_id: int | None) -> int | None:
    """The office whose values are read or written: the given one, else the user's own."""
    if office_id == COUNTY:
        return None
    return user_office(ctx) if office_id is None else office_id


def _written_for(ctx: ServiceContext, session, key: str, office_id: int | None) -> int | None:
    """The office whose row a change of ``key`` goes to (None: the county row)."""
    if not is_office_setting(key) or office_id == COUNTY:
        return None
    if office_id is not None:
        return office_id
    if active_office_count(session) < 2:
        return None
    return user_office(ctx)


def _stored(session, keys: list[str], office: int | None) -> dict[str, Any]:
    """The stored values of ``keys`` for that office, its own rows over the county's."""
    rows = session.exec(select(Setting).where(
        Setting.key.in_(keys),
        Setting.organization_id.is_(None) if office is None
        else or_(Setting.organization_id.is_(None), Setting.organization_id == office))).all()
    found: dict[str, Any] = {}
    for row in sorted(rows, key=lambda r: r.organization_id is not None):  # the office's last
        if row.organization_id is None or is_office_setting(row.key):
            found[row.key] = row.value
    return found


def office_value(session, key: str, office_id: int) -> Any:
    """``key`` as that office reads it, inside an open session (a use case's step)."""
    return _stored(session, [key], office_id).get(key, spec_of(key).default)


def get_setting(ctx: ServiceContext, key: str, office_id: int | None = None) -> Any:
    """The value for an office (default: the user's): its own, the county's, or the default."""
    spec = spec_of(key)
    with ctx.read() as session:
        return _stored(session, [key], _office(ctx, office_id)).get(key, spec.default)


def all_settings(ctx: ServiceContext, office_id: int | None = None) -> dict[str, Any]:
    """Every declared setting as an office (default: the user's) reads it."""
    with ctx.read() as session:
        # Only the declared keys: other rows (a user's notified-reminder set) can be megabytes.
        stored = _stored(session, list(SETTINGS), _office(ctx, office_id))
    return {key: stored.get(key, spec.default) for key, spec in SETTINGS.items()}


@requires(Permission.SETTINGS_EDIT)
def set_setting(ctx: ServiceContext, key: str, value: Any, office_id: int | None = None) -> OpChanges:
    """Store a setting (checked by its spec); a change is audited with what it
    replaced. Deadlines and warnings read settings, so reminders may move.

    An office setting is stored for ``office_id``; by default for the user's office once the
    server has several offices (with one office, as before: the county value). ``COUNTY``, no
    office, and any other setting: the county-wide value.
    """
    spec = spec_of(key)
    value = spec.check(value)
    with ctx.transaction() as session:
        office = _written_for(ctx, session, key, office_id)
        before = _stored(session, [key], office).get(key, spec.default)
        row = setting_row(session, key, office)
        if row is None:
            session.add(Setting(key=key, organization_id=office, value=value))
        elif row.value != value:
            row.value = value
            row.version += 1
            session.add(row)
        if before != value:
            detail = {"label": spec.label, "from": spec.shown(before), "to": spec.shown(value)}
            if office is not None:
                detail["office"] = session.get(Organization, office).name
            audit.record(ctx, session, "settings.set", key, detail)
    return OpChanges(reminders=True)
