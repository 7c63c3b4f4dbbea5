"""Grid intake (网格事件上报): urgencies, the states of a report, and the level a dispatched case
gets from the organisation that takes it (小事不出网格、大事不出社区、难事不出街道)."""
from __future__ import annotations

import re

from mediator.domain.enums import LabeledEnum, Level, OrganizationKind


class Urgency(LabeledEnum):
    NORMAL = "normal", "一般"
    PRESSING = "pressing", "较急"
    URGENT = "urgent", "紧急"


class GridReportStatus(LabeledEnum):
    PENDING = "pending", "待分流"
    DISPATCHED = "dispatched", "已分派"
    RESOLVED = "resolved", "网格内化解"


_LEVEL_OF_KIND = {
    OrganizationKind.VILLAGE_COMMITTEE: Level.VILLAGE,
    OrganizationKind.TOWNSHIP_COMMITTEE: Level.TOWNSHIP,
    OrganizationKind.JUDICIAL_OFFICE: Level.TOWNSHIP,
}


def level_of_organization(kind: str | None) -> Level:
    """The handling level of an organisation kind (courts, agencies, professional: 县)."""
    try:
        return _LEVEL_OF_KIND.get(OrganizationKind(kind), Level.COUNTY)
    except ValueError:
        return Level.COUNTY


_SEPARATORS = re.compile(r"[、,，;；/\s]+")


def party_names(text: str) -> list[str]:
    """The names in a short-form 当事人 field (“张三、李四”), in order, without repeats."""
    return list(dict.fromkeys(n for n in _SEPARATORS.split(text or "") if n))


__all__ = ["GridReportStatus", "Urgency", "level_of_organization", "party_names"]
