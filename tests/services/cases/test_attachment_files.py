"""Attachment files cannot escape: links and devices are refused, names are reduced to one safe
part, and an export writes only inside the chosen folder (SQLite and PostgreSQL)."""
from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from mediator.domain.errors import ValidationError
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.attachments import add_attachment, export_attachment, list_attachments
from mediator.store.models import Attachment
from tests.helpers import case_input, seed_county


@pytest.fixture
def case_id(ctx) -> int:
    seed_county(ctx)
    return uc.register_case(ctx, case_input()).id


def test_a_link_a_folder_and_a_pipe_are_refused(ctx, case_id, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("口令", encoding="utf-8")
    link = tmp_path / "协议书.pdf"
    link.symlink_to(secret)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for path, says in ((link, "符号链接"), (tmp_path, "不是普通文件"), (fifo, "不是普通文件"),
                       (tmp_path / "none.pdf", "找不到文件")):
        with pytest.raises(ValidationError) as e:
            add_attachment(ctx, case_id, path)
        assert e.value.path == "file" and says in str(e.value)
    assert list_attachments(ctx, case_id) == []


def test_an_export_stays_in_its_folder_whatever_the_stored_name(ctx, case_id, tmp_path):
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8 jpeg")
    added = add_attachment(ctx, case_id, photo)
    assert added.info.filename == "现场照片.jpg"
    out = tmp_path / "out"
    out.mkdir()
    # A name stored by an older version or an import: ../../ and an absolute path.
    for stored, lands in (("../../evil.sh", "evil.sh"), ("/etc/cron.d/job", "job"), ("..", "附件")):
        with ctx.transaction() as session:
            session.execute(sa.update(Attachment).where(Attachment.id == added.id).values(filename=stored))
        target = export_attachment(ctx, added.id, out)
        assert target == out / lands and target.read_bytes() == b"\xff\xd8 jpeg"
    assert not (tmp_path / "evil.sh").exists() and sorted(p.name for p in out.iterdir()) == ["evil.sh", "job", "附件"]
    # A link planted where the file would go is not written through.
    with ctx.transaction() as session:
        session.execute(sa.update(Attachment).where(Attachment.id == added.id).values(filename="x.jpg"))
    (out / "x.jpg").symlink_to(tmp_path / "elsewhere.jpg")
    with pytest.raises(ValidationError):
        export_attachment(ctx, added.id, out)
    assert not (tmp_path / "elsewhere.jpg").exists()


def test_attachments_added_at_once_each_get_their_own_timeline_step(ctx, case_id, tmp_path):
    """Two writers on one case: the case lock orders them (PostgreSQL: FOR UPDATE; SQLite: BEGIN
    IMMEDIATE), never a raw unique violation on the timeline's seq."""
    import threading

    from mediator.services.context import ServiceContext

    files = []
    for i in range(6):
        f = tmp_path / f"材料{i}.pdf"
        f.write_bytes(f"%PDF {i}".encode())
        files.append(f)
    errors: list[BaseException] = []
    start = threading.Barrier(len(files))

    def add(path) -> None:
        own = ServiceContext(ctx.db, actor="并发", clock=ctx.clock)
        start.wait()
        try:
            add_attachment(own, case_id, path)
        except BaseException as e:  # any failure is the test's failure
            errors.append(e)

    threads = [threading.Thread(target=add, args=(f,)) for f in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(a.filename for a in list_attachments(ctx, case_id)) == sorted(f.name for f in files)
