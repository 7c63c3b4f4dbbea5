"""The dossier (卷宗): DOMAIN's list, the completeness check before archiving, the one PDF whose
contents point at the right pages, attachments filed in it, and its speed."""
from __future__ import annotations

import copy
import io
import re
import time
from datetime import date

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from mediator.domain.case_detail import SessionRecord
from mediator.domain.dossier import DossierSource, attachment_item
from mediator.domain.errors import ValidationError
from mediator.services.cases.attachments import add_attachment
from mediator.services.cases.dossier_check import check_archive
from mediator.services.cases.lifecycle import archive_case
from mediator.services.cases.read import case_detail, find_case_id
from mediator.services.documents.dossier import dossier_source, dossier_status
from mediator.services.documents.dossier_pdf import build_dossier, build_dossier_pdf, issue_dossier
from mediator.services.documents.issuing import issue_document, verify_bytes
from mediator.services.documents.samples import sample_detail
from mediator.services.exchange.importer import import_document
from tests.documents.test_new_forms import in_order
from tests.helpers import sample_document

REASON = "当事人身份证明为纸质存档，权利义务告知书已口头告知。"


def pages(data: bytes) -> list[str]:
    return [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(io.BytesIO(data)).pages]


def _png(path) -> None:
    Image.new("RGB", (800, 500), (200, 220, 240)).save(path)


def _pdf(path, pages_: int = 2) -> None:
    c = canvas.Canvas(str(path))
    for n in range(pages_):
        c.drawString(100, 700, f"receipt page {n + 1}")
        c.showPage()
    c.save()


def test_the_dossier_list_follows_domain_and_names_what_is_missing(ctx, sample_case):
    status = dossier_status(ctx, sample_case)
    titles = [(i.seq, i.title, i.required) for i in status.items]
    assert titles == [(1, "申请书或受理登记表", True), (2, "权利义务告知书", True), (3, "当事人身份证明", True),
                      (4, "授权委托书", False), (5, "调查记录", False), (6, "证据材料", False),
                      (7, "调解记录", True), (8, "协议书", True), (8, "法律顾问审查意见书", False),
                      (9, "履行凭证", False), (10, "回访记录", False), (11, "司法确认有关材料", False)]
    assert status.missing == ("权利义务告知书", "当事人身份证明")
    first = status.items[0].parts
    assert [p.form_id for p in first] == ["application", "registration"]  # came by application


def test_attachments_file_under_the_item_their_name_says():
    assert attachment_item("刘桂兰身份证复印件.jpg") == 3
    assert attachment_item("营业执照.pdf") == 3
    assert attachment_item("授权委托书.pdf") == 4
    assert attachment_item("赡养费转账凭证.png") == 9
    assert attachment_item("司法确认裁定书.pdf") == 11
    assert attachment_item("现场照片.jpg") == 6


def test_archiving_with_a_required_item_missing_asks_for_a_written_reason(ctx, sample_case):
    with pytest.raises(ValidationError) as info:
        archive_case(ctx, sample_case, date(2026, 7, 20))
    assert info.value.path == "reason"
    assert "缺少：权利义务告知书、当事人身份证明" in info.value.message
    assert "请填写卷宗情况说明" in info.value.message
    assert case_detail(ctx, sample_case).status == "performed"
    archive_case(ctx, sample_case, date(2026, 7, 20), reason=REASON)
    detail = case_detail(ctx, sample_case)
    assert detail.status == "archived"
    assert detail.timeline[-1].data == {"reason": REASON,
                                              "missing": ["权利义务告知书", "当事人身份证明"]}


def test_a_complete_dossier_archives_without_a_reason(ctx, sample_case, tmp_path):
    issue_document(ctx, sample_case, "rights_notice", "pdf")
    scan = tmp_path / "刘桂兰身份证.png"
    _png(scan)
    add_attachment(ctx, sample_case, scan)
    assert check_archive(ctx, sample_case, None) is None
    archive_case(ctx, sample_case, date(2026, 7, 20))
    assert case_detail(ctx, sample_case).status == "archived"


def test_the_move_itself_is_checked_before_the_dossier(ctx, sample_case):
    from mediator.domain.errors import TransitionError

    pending = find_case_id(ctx, "SF-2026-002")  # accepted: cannot be archived at all
    with pytest.raises(TransitionError):
        archive_case(ctx, pending, date(2026, 11, 20))


def test_imported_history_is_never_blocked(ctx):
    document = sample_document()
    case = copy.deepcopy(document["cases"][0])
    case["ref"] = "SF-2026-009"
    case["events"].append({"on": "2026-07-20", "action": "archive"})
    document["cases"] = [case]
    import_document(ctx, document)
    assert case_detail(ctx, find_case_id(ctx, "SF-2026-009")).status == "archived"


def test_the_dossier_is_one_pdf_whose_contents_point_at_the_right_pages(ctx, sample_case, tmp_path):
    receipt = tmp_path / "赡养费收据.pdf"
    _pdf(receipt, 2)
    add_attachment(ctx, sample_case, receipt)
    photo = tmp_path / "现场照片.png"
    _png(photo)
    add_attachment(ctx, sample_case, photo)
    notes = tmp_path / "谈话笔记.docx"
    notes.write_bytes(b"PK not really")
    add_attachment(ctx, sample_case, notes)
    archive_case(ctx, sample_case, date(2026, 7, 20), reason=REASON)

    document = build_dossier(ctx, sample_case)
    texts = pages(document.data)
    cover, contents = texts[0], texts[1]
    assert "人民调解卷宗" in cover and "刘桂兰与杨国强婚姻家庭纠纷" in cover
    assert "（2026）城关人调字第1号" in cover and "保管期限长期" in cover and "立卷人测试员" in cover
    assert "卷内目录" in contents
    listed = ["人民调解申请书", "人民调解受理登记表", "权利义务告知书", "当事人身份证明", "现场照片",
              "谈话笔记", "人民调解记录", "人民调解协议书", "赡养费收据", "人民调解回访记录",
              "司法确认申请书", "卷宗情况说明", "封底（备考表）"]
    in_order(contents, listed)  # DOMAIN's order
    assert contents.count("缺（见卷宗情况说明）") == 2
    assert "谈话笔记2026年11月29日电子文件（docx），未并入" in contents
    # the contents' 页号 are the numbers stamped on the pages, and each file starts there
    reader = PdfReader(io.BytesIO(document.data))
    listed_pages = contents_pages(reader.pages[1])
    back = int(listed_pages["封底（备考表）"])
    front = len(texts) - back
    assert front == 2 and [stamp_of(reader.pages[front + n - 1]) for n in range(1, back + 1)] == \
        list(range(1, back + 1))
    assert stamp_of(reader.pages[0]) is None and stamp_of(reader.pages[1]) is None
    for title, marker in [("人民调解申请书", "人民调解申请书"), ("人民调解协议书", "人民调解协议书"),
                          ("现场照片", "现场照片.png"), ("赡养费收据", "receiptpage1"),
                          ("人民调解回访记录", "人民调解回访记录"), ("卷宗情况说明", REASON),
                          ("封底（备考表）", "备考表")]:
        assert marker in texts[front + int(listed_pages[title]) - 1], title
    assert "本卷情况说明" in texts[-1] and f"页。{REASON}" in texts[-1]
    assert re.search(rf"本卷共\d+件{back}页", texts[-1]) and re.search(rf"本卷共\d+件{back}页", cover)


def contents_pages(page) -> dict[str, str]:
    """Title → first 页号 of each row of the contents page (read in layout mode)."""
    found: dict[str, str] = {}
    for line in page.extract_text(extraction_mode="layout").splitlines():
        tokens = line.split()
        if len(tokens) >= 3 and tokens[0].isdigit():
            numbers = [t for t in tokens[2:] if re.fullmatch(r"\d+(—\d+)?", t)]
            if numbers:
                found[tokens[1]] = numbers[0].split("—")[0]
    return found


def stamp_of(page) -> int | None:
    """The 页号 printed at the top right of a page (None when there is none)."""
    found: list[str] = []

    def visit(text, cm, tm, _font, _size) -> None:
        x = tm[4] * cm[0] + cm[4]
        y = tm[5] * cm[3] + cm[5]
        if text.strip().isdigit() and y > float(page.mediabox.height) - 60 and x > 450:
            found.append(text.strip())

    page.extract_text(visitor_text=visit)
    return int(found[0]) if found else None


def test_an_issued_dossier_is_registered_and_verifies(ctx, sample_case):
    archive_case(ctx, sample_case, date(2026, 7, 20), reason=REASON)
    issued = issue_dossier(ctx, sample_case)
    assert issued.info.form_id == "dossier" and issued.info.title == "人民调解卷宗"
    assert f"卷宗验证码{issued.info.verify_code}" in pages(issued.data)[0]
    assert verify_bytes(ctx, issued.data).genuine
    assert not verify_bytes(ctx, issued.data[:-10]).genuine


def test_a_rejected_case_needs_only_the_registration_and_the_notice(ctx):
    from mediator.services.cases.lifecycle import register_case, reject_case
    from tests.helpers import case_input, seed_county

    seed_county(ctx)
    case_id = register_case(ctx, case_input()).id
    reject_case(ctx, case_id, "被申请人明确拒绝调解", date(2026, 10, 15))
    assert dossier_status(ctx, case_id).missing == ()
    archive_case(ctx, case_id, date(2026, 10, 16))
    text = "".join(pages(build_dossier(ctx, case_id).data))
    assert "不予受理告知书" in text and "不予受理" in text


def test_source_reads_attachments_without_their_content(ctx, sample_case, tmp_path):
    scan = tmp_path / "身份证.png"
    _png(scan)
    add_attachment(ctx, sample_case, scan)
    source = dossier_source(ctx, sample_case)
    assert [a.filename for a in source.attachments] == ["身份证.png"]


def _long_detail(sessions: int) -> dict:
    detail = sample_detail().with_changes(sessions=tuple(
        SessionRecord(id=n, on=date(2026, 6, n % 9 + 1), kind="investigation" if n % 2 else "mediation",
                      place="示例镇人民调解室", participants="刘桂兰、杨国强", record="双方陈述意见。" * 40)
        for n in range(sessions)))
    return detail


def test_a_30_page_dossier_builds_within_a_second():
    source = DossierSource(_long_detail(22), {}, (), frozenset({"rights_notice"}))

    def build() -> bytes:
        return build_dossier_pdf(source, {}, today=date(2026, 7, 20), actor="王所长",
                                 content=lambda _id: b"").data

    data = build()  # cold: fonts loaded once per process
    assert len(PdfReader(io.BytesIO(data)).pages) >= 30
    best = float("inf")
    for _ in range(3):
        start = time.process_time()  # CPU time: other processes on the machine do not count
        build()
        best = min(best, time.process_time() - start)
    assert best <= 1.0, best


def test_the_dossier_title_follows_the_track():
    detail = sample_detail().with_changes(track="administrative")
    source = DossierSource(detail, {}, (), frozenset())
    data = build_dossier_pdf(source, {}, today=date(2026, 7, 20), actor="王所长",
                             content=lambda _id: b"").data
    assert "行政调解卷宗" in pages(data)[0]
