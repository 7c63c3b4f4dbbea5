"""Office settings: each declared once with its type, default and Chinese label."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import select

from mediator.domain.enums import Category
from mediator.domain.errors import ValidationError
from mediator.domain.retention import DEFAULT_PERIOD, RetentionPeriod, setting_key
from mediator.services.changes import OpChanges
from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.store.models import Setting


@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: str
    type: type
    default: Any
    choices: tuple[str, ...] = ()  # the allowed codes, when only a few are


SETTINGS = {s.key: s for s in [
    SettingSpec("office.name", "单位名称", str, ""),
    SettingSpec("office.organization", "本单位调解组织", str, ""),
    SettingSpec("office.address", "单位地址", str, ""),
    SettingSpec("office.phone", "联系电话", str, ""),
    SettingSpec("deadlines.follow_up_days", "回访期限（履行期限后天数）", int, 7),
    SettingSpec("deadlines.default_handling_days", "无法定期限的调解期限（天）", int, 30),
    SettingSpec("deadlines.escalation_grid_days", "网格层级升级督办（天）", int, 3),
    SettingSpec("deadlines.escalation_village_days", "村（社区）层级升级督办（天）", int, 10),
    SettingSpec("deadlines.escalation_township_days", "乡镇（街道）层级升级督办（天）", int, 30),
    SettingSpec("deadlines.warn_days", "提前提醒天数", int, 3),
    SettingSpec("reminders.daily_time", "每日提醒时间（时:分，如08:30）", str, "08:30"),
    SettingSpec("reminders.scan_minutes", "到期提醒检查间隔（分钟）", int, 5),
    SettingSpec("documents.date_style", "文书落款日期样式（chinese/arabic）", str, "chinese"),
    SettingSpec("office.seal_text", "印章文字（留空则按调解类型印“（人民调解委员会印）”等）", str, ""),
    # 保管期限 per dispute category (printed on the dossier cover; decides when it may be destroyed).
    *(SettingSpec(setting_key(c), f"卷宗保管期限：{c.label}纠纷", str, DEFAULT_PERIOD.value,
                  tuple(p.value for p in RetentionPeriod)) for c in Category),
    SettingSpec("documents.font_path", "文书正文字体文件（留空则自动查找）", str, ""),
    SettingSpec("advisors.require_review_approval",
                "书面协议须经法律顾问审查同意（0=可先签订并在流转记录中警示，1=必须）", int, 0),
    SettingSpec("advisors.review_working_days", "法律顾问审查期限（工作日）", int, 3),
    SettingSpec("advisors.monthly_visits", "法律顾问每月到村服务次数（最少）", int, 1),
    SettingSpec("advisors.monthly_on_site_hours", "法律顾问每月到村服务时长（小时，最少）", int, 4),
    SettingSpec("advisors.quarterly_lectures", "法律顾问每季度法治讲座次数（最少）", int, 1),
    SettingSpec("backup.folder", "备份文件夹（留空则为用户数据目录下的 backups）", str, ""),
    SettingSpec("backup.daily_time", "每日自动备份时间（时:分，如22:00）", str, "22:00"),
    SettingSpec("backup.keep", "保留最近备份份数", int, 10),
    SettingSpec("security.idle_lock_minutes", "无操作自动锁定窗口（分钟，0=不锁定）", int, 10),
]}


def _spec(key: str) -> SettingSpec:
    try:
        return SETTINGS[key]
    except KeyError:
        raise ValidationError(key, "未知的设置项") from None


def get_setting(ctx: ServiceContext, key: str) -> Any:
    spec = _spec(key)
    with ctx.read() as session:
        row = session.get(Setting, key)
        return spec.default if row is None else row.value


def all_settings(ctx: ServiceContext) -> dict[str, Any]:
    with ctx.read() as session:
        # Only the declared keys: other rows (a user's notified-reminder set) can be megabytes.
        stored = {row.key: row.value
                  for row in session.exec(select(Setting).where(Setting.key.in_(list(SETTINGS))))}
    return {key: stored.get(key, spec.default) for key, spec in SETTINGS.items()}


@requires(Permission.SETTINGS_EDIT)
def set_setting(ctx: ServiceContext, key: str, value: Any) -> OpChanges:
    """Store one office setting; deadlines and warnings read them, so reminders may move."""
    spec = _spec(key)
    if spec.type is int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError(key, f"{spec.label}应为非负整数")
    elif not isinstance(value, spec.type):
        raise ValidationError(key, f"{spec.label}格式不正确")
    if spec.choices and value not in spec.choices:
        raise ValidationError(key, f"{spec.label}不是可选的取值")
    with ctx.transaction() as session:
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=value))
        else:
            row.value = value
            row.version += 1
            session.add(row)
    return OpChanges(reminders=True)
