"""Case attachments: files stored in the database with their SHA-256, listed, opened, removed."""
from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import select

from mediator.domain.errors import NotFoundError, ValidationError
from mediator.domain.filenames import safe_file_name
from mediator.services import audit
from mediator.services.access import check_case_visible
from mediator.services.cases.change_log import next_seq
from mediator.services.cases.stored import lock_case
from mediator.services.changes import OpChanges, OpChangesWithId
from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.store.models import Attachment, Case, TimelineEvent

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    filename: str
    sha256: str
    size: int
    added_at: datetime
    added_by: str


def _timeline(ctx: ServiceContext, session, case: Case, action: str, note: str, data: dict) -> None:
    session.add(TimelineEvent(case_id=case.id, seq=next_seq(session, case.id), on=ctx.today(), at=ctx.now(),
                              action=action, from_status=case.status, to_status=case.status,
                              actor=ctx.actor, note=note, data=data))
    audit.record(ctx, session, f"case.{action}", case.number, {"case_id": case.id, "note": note, **data})


@dataclass(frozen=True, kw_only=True)
class AttachmentAdded(OpChangesWithId):
    """The case (its timeline) changed; ``id`` and ``info``: the new attachment."""

    info: AttachmentInfo


@requires(Permission.CASE_HANDLE)
def add_attachment(ctx: ServiceContext, case_id: int, path: str | Path) -> AttachmentAdded:
    """Store a file with the case (its timeline notes it); the same content twice is refused."""
    source = Path(path)
    if source.is_symlink():  # it could point anywhere (/etc/passwd): the real file must be chosen
        raise ValidationError("file", f"“{source.name}”是快捷方式（符号链接），请选择它指向的文件本身")
    if not source.exists():
        raise ValidationError("file", f"找不到文件：{source}")
    if not source.is_file():  # a folder, a device, a pipe
        raise ValidationError("file", f"“{source.name}”不是普通文件，不能作为附件")
    name = safe_file_name(source.name)
    size = source.stat().st_size
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError("file", f"文件超过{MAX_ATTACHMENT_BYTES // 1024 // 1024}MB，请压缩后再添加")
    content = source.read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    with ctx.transaction() as session:
        case = lock_case(session, case_id, None)  # the timeline's next seq: one writer at a time
        same = session.exec(select(Attachment.filename).where(Attachment.case_id == case_id,
                                                              Attachment.sha256 == digest)).first()
        if same is not None:
            raise ValidationError("file", f"该文件已作为“{same}”添加过")
        row = Attachment(case_id=case_id, filename=name, sha256=digest, size=size,
                         content=content, added_at=ctx.now(), added_by=ctx.actor)
        session.add(row)
        session.flush()
        _timeline(ctx, session, case, "attach", f"添加附件：{name}", {"sha256": digest})
        info = AttachmentInfo(row.id, row.filename, row.sha256, row.size, row.added_at, row.added_by)
        return AttachmentAdded(case_ids=(case_id,), id=row.id, info=info)


@requires(Permission.CASE_READ)
def list_attachments(ctx: ServiceContext, case_id: int) -> list[AttachmentInfo]:
    check_case_visible(ctx, None, case_id)
    with ctx.read() as session:
        rows = session.exec(
            select(Attachment.id, Attachment.filename, Attachment.sha256, Attachment.size,
                   Attachment.added_at, Attachment.added_by)
            .where(Attachment.case_id == case_id).order_by(Attachment.added_at, Attachment.id))
        return [AttachmentInfo(*r) for r in rows]


@requires(Permission.DOCUMENT_PRINT)
def export_attachment(ctx: ServiceContext, attachment_id: int, folder: Path | None = None) -> Path:
    """Write the file out (to a temp folder by default) after checking its hash; returns the path."""
    with ctx.read() as session:
        row = session.get(Attachment, attachment_id)
        if row is None:
            raise NotFoundError("附件不存在")
        check_case_visible(ctx, None, row.case_id)
        if hashlib.sha256(row.content).hexdigest() != row.sha256:
            raise ValidationError("file", f"附件“{row.filename}”内容与登记的校验值不符，可能已损坏")
        target_dir = folder or Path(tempfile.mkdtemp(prefix="mediator-"))
        # A name stored before names were made safe (or by an import) is reduced again here:
        # the file lands in the chosen folder and nowhere else, and never through a link.
        target = target_dir / safe_file_name(row.filename)
        if target.is_symlink() or target.resolve().parent != target_dir.resolve():
            raise ValidationError("file", f"不能写入“{target}”：目标是快捷方式或不在所选文件夹中")
        target.write_bytes(row.content)
        return target


@requires(Permission.CASE_HANDLE)
def remove_attachment(ctx: ServiceContext, attachment_id: int, reason: str = "") -> OpChanges:
    with ctx.transaction() as session:
        row = session.get(Attachment, attachment_id)
        if row is None:
            raise NotFoundError("附件不存在")
        check_case_visible(ctx, None, row.case_id)
        case = lock_case(session, row.case_id, None)
        _timeline(ctx, session, case, "detach", f"删除附件：{row.filename}" + (f"（{reason}）" if reason else ""),
                  {"sha256": row.sha256})
        case_id = row.case_id
        session.delete(row)
    return OpChanges.of_cases([case_id], reminders=False)  # its timeline
