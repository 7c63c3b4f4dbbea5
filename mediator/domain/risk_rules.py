"""风险监测预警: the rule kinds, their parameters, the shipped defaults and their checks (pure).

An office's rules are data (stored per office, see ``services/risk/rules.py``): each rule kind
has one entry with ``enabled``, its ``level`` and its parameter (N days, N people, a word list).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from mediator.domain.enums import LabeledEnum, RiskLevel
from mediator.domain.errors import ValidationError


class RuleKind(LabeledEnum):
    REPEAT = "repeat", "重复纠纷"
    GROUP = "group", "群体性纠纷"
    WORDS = "words", "危险言辞"
    STALLED = "stalled", "高风险案件久无进展"
    FAILED = "failed", "高风险案件调解不成"


# What the number of each rule counts (None: the rule has no number), and its range.
NUMBER_LABELS: dict[RuleKind, str] = {
    RuleKind.REPEAT: "间隔天数",
    RuleKind.GROUP: "涉及人数",
    RuleKind.STALLED: "无进展天数",
}
NUMBER_RANGES: dict[RuleKind, tuple[int, int]] = {
    RuleKind.REPEAT: (1, 3650),
    RuleKind.GROUP: (2, 10000),
    RuleKind.STALLED: (1, 365),
}
MAX_WORDS = 100
MAX_WORD_LENGTH = 20


@dataclass(frozen=True)
class RiskRule:
    """One rule of an office: whether it runs, how high its warnings are, and its parameter."""

    kind: RuleKind
    enabled: bool = True
    level: RiskLevel = RiskLevel.HIGH
    number: int | None = None  # N days / N people (REPEAT, GROUP, STALLED)
    words: tuple[str, ...] = field(default=())  # WORDS

    @property
    def label(self) -> str:
        return self.kind.label

    def describe(self) -> str:
        """What the rule checks, in one Chinese sentence (the rules dialog, the README)."""
        n = self.number
        return {
            RuleKind.REPEAT: f"同一当事人{n}天内另有纠纷",
            RuleKind.GROUP: f"涉及人数或当事人达到{n}人",
            RuleKind.WORDS: "案情或调解笔录出现：" + "、".join(self.words),
            RuleKind.STALLED: f"高风险案件办理中{n}天无新步骤",
            RuleKind.FAILED: "高风险案件调解终止（调解不成）",
        }[self.kind]

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"enabled": self.enabled, "level": self.level.value}
        if self.kind in NUMBER_LABELS:
            data["number"] = self.number
        if self.kind is RuleKind.WORDS:
            data["words"] = list(self.words)
        return data


DEFAULT_WORDS = ("自杀", "轻生", "上访", "械斗", "报复", "拆迁", "跳楼", "喝农药", "同归于尽")

DEFAULT_RULES: tuple[RiskRule, ...] = (
    RiskRule(RuleKind.REPEAT, level=RiskLevel.MEDIUM, number=180),
    RiskRule(RuleKind.GROUP, level=RiskLevel.HIGH, number=5),
    RiskRule(RuleKind.WORDS, level=RiskLevel.HIGH, words=DEFAULT_WORDS),
    RiskRule(RuleKind.STALLED, level=RiskLevel.HIGH, number=15),
    RiskRule(RuleKind.FAILED, level=RiskLevel.HIGH),
)


def _field(kind: RuleKind, name: str) -> str:
    return f"{kind.value}.{name}"


def check_rule(rule: RiskRule) -> RiskRule:
    """The rule as stored (words trimmed, without repeats), or ValidationError naming its field."""
    kind = rule.kind
    if not isinstance(rule.enabled, bool):
        raise ValidationError(_field(kind, "enabled"), f"{kind.label}：是否启用应为“是”或“否”")
    try:
        level = RiskLevel(rule.level)
    except ValueError:
        raise ValidationError(_field(kind, "level"), f"{kind.label}：预警等级应为低、中或高") from None
    number = rule.number
    if kind in NUMBER_LABELS:
        low, high = NUMBER_RANGES[kind]
        if isinstance(number, bool) or not isinstance(number, int) or not low <= number <= high:
            raise ValidationError(_field(kind, "number"),
                                  f"{kind.label}：{NUMBER_LABELS[kind]}应为{low}到{high}之间的整数")
    else:
        number = None
    words: tuple[str, ...] = ()
    if kind is RuleKind.WORDS:
        seen: list[str] = []
        for word in rule.words:
            word = str(word).strip()
            if not word or word in seen:
                continue
            if len(word) > MAX_WORD_LENGTH or any(not c.isprintable() or c.isspace() for c in word):
                raise ValidationError(_field(kind, "words"),
                                      f"{kind.label}：“{word[:MAX_WORD_LENGTH]}”不是有效的词语"
                                      f"（不超过{MAX_WORD_LENGTH}个字，不含空格）")
            seen.append(word)
        if not seen and rule.enabled:
            raise ValidationError(_field(kind, "words"), f"{kind.label}：启用时至少填写一个词语")
        if len(seen) > MAX_WORDS:
            raise ValidationError(_field(kind, "words"), f"{kind.label}：词语不超过{MAX_WORDS}个")
        words = tuple(seen)
    return replace(rule, level=level, number=number, words=words)


def split_words(text: str) -> tuple[str, ...]:
    """Words typed in one box, separated by 、，, spaces or new lines."""
    for sep in "、，,;；\n\t":
        text = text.replace(sep, " ")
    return tuple(w for w in text.split(" ") if w)


def rules_from_json(value: Any) -> tuple[RiskRule, ...]:
    """The stored rules over the defaults: every kind once, in the shipped order.

    What cannot be read (an older or damaged row) keeps the shipped default of that rule.
    """
    stored = value if isinstance(value, dict) else {}
    rules = []
    for default in DEFAULT_RULES:
        data = stored.get(default.kind.value)
        if not isinstance(data, dict):
            rules.append(default)
            continue
        try:
            rules.append(check_rule(replace(
                default, enabled=data.get("enabled", default.enabled),
                level=data.get("level", default.level.value),
                number=data.get("number", default.number),
                words=tuple(data.get("words", default.words)))))
        except (ValidationError, TypeError):
            rules.append(default)
    return tuple(rules)


def rules_to_json(rules: tuple[RiskRule, ...] | list[RiskRule]) -> dict[str, Any]:
    """Every rule checked, as the setting row keeps them; ValidationError for the first bad field."""
    by_kind = {r.kind: check_rule(r) for r in rules}
    missing = [k for k in RuleKind if k not in by_kind]
    if missing:
        raise ValidationError("rules", "缺少预警规则：" + "、".join(k.label for k in missing))
    return {k.value: by_kind[k].as_json() for k in RuleKind}


def matched_words(text: str, words: tuple[str, ...]) -> list[str]:
    """The words of the list that occur in ``text``, in list order."""
    return [w for w in words if w in (text or "")]


__all__ = ["DEFAULT_RULES", "DEFAULT_WORDS", "NUMBER_LABELS", "NUMBER_RANGES", "RiskRule", "RuleKind",
           "check_rule", "matched_words", "rules_from_json", "rules_to_json", "split_words"]
