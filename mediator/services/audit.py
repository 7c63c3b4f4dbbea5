"""The audit log: every write, reveal, export, print and login, hash-chained against tampering.

Each entry stores the hash of the previous one and its own hash over its content; the newest
hash and the count are kept as the chain's head, so editing, deleting or appending behind the
app's back all show up in ``verify``.

Someone who knows the algorithm can still rebuild the whole chain and its head inside the
database. So the head is also kept outside it (``COUNT:HASH`` on paper, in each backup's
``.anchor`` file, in the monthly report's footer): ``verify(ctx, anchor)`` then checks that
today's log still extends that anchor.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from mediator.domain.errors import ValidationError
from mediator.services.context import SHANGHAI, ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.store.models import AuditEntry, Setting, setting_row

GENESIS = "0" * 64
HEAD_KEY = "audit.head"
_LOCK_ID = 0x6D656469  # PostgreSQL advisory lock: one appender at a time


def entry_hash(prev_hash: str, at: datetime, username: str, action: str, target: str,
               detail: dict[str, Any]) -> str:
    # UTC, so the hash does not depend on the zone a database hands the time back in.
    payload = json.dumps([prev_hash, at.astimezone(timezone.utc).isoformat(), username, action, target, detail],
                         ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(ctx: ServiceContext, session: Session, action: str, target: str = "",
           detail: dict[str, Any] | None = None, *, actor: str | None = None,
           at: datetime | None = None) -> None:
    """Append an entry inside the caller's transaction (it commits or rolls back with it).

    ``actor`` names who acted when the context does not know yet (a login); ``at`` keeps the
    time of an entry carried over from another database (a restore).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_ID})
    head = setting_row(session, HEAD_KEY)
    prev = head.value["hash"] if head is not None else GENESIS
    count = head.value["count"] if head is not None else 0
    at = (at or ctx.now()).replace(microsecond=0)
    detail = detail or {}
    # The hash covers exactly what is stored: cut to the columns' widths first (a long backup
    # path once made an intact entry look changed forever).
    actor, target = (actor or ctx.actor)[:50], (target or "")[:200]
    digest = entry_hash(prev, at, actor, action, target, detail)
    session.add(AuditEntry(at=at, username=actor, action=action, target=target,
                           detail=detail, prev_hash=prev, hash=digest))
    value = {"hash": digest, "count": count + 1}
    if head is None:
        session.add(Setting(key=HEAD_KEY, value=value))
    else:
        head.value = value
        session.add(head)


def log(ctx: ServiceContext, action: str, target: str = "", detail: dict[str, Any] | None = None) -> None:
    """Record an act that has no transaction of its own (a login, an export, a print)."""
    with ctx.transaction() as session:
        record(ctx, session, action, target, detail)


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int | None
    message: str


@dataclass(frozen=True)
class AuditHead:
    """The chain's head: how many entries, and the hash of the last (GENESIS for none)."""

    count: int
    hash: str

    def __str__(self) -> str:
        return f"{self.count}:{self.hash}"


_ANCHOR = re.compile(r"(\d+):([0-9a-f]{64})")


def parse_anchor(text: str, field: str = "anchor") -> AuditHead:
    """``COUNT:HASH`` as printed by ``audit head``; ValidationError naming ``field`` otherwise."""
    match = _ANCHOR.fullmatch((text or "").strip().lower())
    if match is None:
        raise ValidationError(field, "审计日志锚点格式应为“条数:校验值”（条数为整数，校验值为64位十六进制），"
                                     f"收到：{(text or '').strip()[:80] or '（空）'}")
    return AuditHead(int(match.group(1)), match.group(2))


def head_in(session: Session) -> AuditHead:
    """The head as the database keeps it (setting ``audit.head``), inside the caller's session."""
    row = setting_row(session, HEAD_KEY)
    if row is None:
        return AuditHead(0, GENESIS)
    return AuditHead(int(row.value["count"]), str(row.value["hash"]))


@requires(Permission.AUDIT_READ)
def head(ctx: ServiceContext) -> AuditHead:
    """The head to write down and keep outside the database (``mediator-cli audit head``)."""
    with ctx.read() as session:
        return head_in(session)


@requires(Permission.AUDIT_READ)
def verify(ctx: ServiceContext, anchor: AuditHead | None = None) -> list[ChainBreak]:
    """Every place where the chain does not hold; empty when the log is intact.

    With ``anchor`` (a head written down earlier), the log must also still extend it: its
    entry number ``anchor.count`` exists and carries ``anchor.hash``. A log wiped, cut or
    recomputed with a matching head passes the chain check alone, but not this one.
    """
    problems: list[ChainBreak] = []
    anchored: ChainBreak | None = None
    with ctx.read() as session:
        prev = GENESIS
        count = 0
        last_id = None
        if anchor is not None and anchor.count == 0 and anchor.hash != GENESIS:
            anchored = ChainBreak(None, "锚点条数为0时校验值应为全0，锚点有误")
        for e in session.exec(select(AuditEntry).order_by(AuditEntry.id)):
            count += 1
            if anchor is not None and count == anchor.count and e.hash != anchor.hash:
                anchored = ChainBreak(e.id, f"第{count}条的校验值与锚点不符：日志被改写或重算")
            if e.prev_hash != prev:
                problems.append(ChainBreak(e.id, f"第{e.id}条记录之前的记录被删除或改动（前序校验值不符）"))
            if entry_hash(e.prev_hash, e.at, e.username, e.action, e.target, e.detail or {}) != e.hash:
                problems.append(ChainBreak(
                    e.id, f"第{e.id}条记录（{e.at:%Y-%m-%d %H:%M} {e.username} {e.action}）内容被改动"))
            prev = e.hash
            last_id = e.id
        head = setting_row(session, HEAD_KEY)
        expected = head.value if head is not None else {"hash": GENESIS, "count": 0}
        if expected["count"] != count or expected["hash"] != prev:
            problems.append(ChainBreak(
                last_id, f"审计日志应有{expected['count']}条，实有{count}条，末尾记录被删除或追加"))
    if anchor is not None and count < anchor.count:
        anchored = ChainBreak(last_id, f"日志条数少于锚点：被清空或截断（锚点为{anchor.count}条，实有{count}条）")
    # The anchor's verdict first: it is what a rebuilt chain cannot fake.
    return ([anchored] if anchored else []) + problems


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    username: str
    action: str
    target: str
    detail: dict[str, Any]


@requires(Permission.AUDIT_READ)
def entries(ctx: ServiceContext, *, username: str | None = None, action: str | None = None,
            since: datetime | None = None, limit: int = 500) -> list[AuditRow]:
    with ctx.read() as session:
        stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if username:
            stmt = stmt.where(AuditEntry.username == username)
        if action:
            stmt = stmt.where(AuditEntry.action == action)
        if since:
            stmt = stmt.where(AuditEntry.at >= since)
        # Stored in UTC; shown, printed and exported in the office's time (Asia/Shanghai).
        return [AuditRow(e.id, e.at.astimezone(SHANGHAI) if e.at.tzinfo else e.at, e.username, e.action,
                         e.target, e.detail or {})
                for e in session.exec(stmt)]
