"""Documents, reports, exports, reminders and imports at county scale; LibreOffice beside our PDF."""
from __future__ import annotations

import copy
import importlib.util
import io
import shutil
import subprocess
import tempfile
import time
from datetime import date, datetime
from datetime import time as day_time
from pathlib import Path

from sqlmodel import func, select

from mediator.domain.enums import CaseStatus
from mediator.services.context import ServiceContext
from mediator.store.models import Agreement, Case, MediationSession
from tests.bench.timing import Figure, Results

REPORT_MS = 300
AGREEMENT_PDF_MS = 50
DOSSIER_MS = 1000
IMPORT_10K_MS = 10_000
LEDGER_MS = 10_000
OLD_LEDGER_10K_MS = 120_000  # each row replayed like a registered case: ~10 ms a row here
DOSSIER_PAGES = 30


def _exists(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def agreement_case(ctx: ServiceContext) -> int:
    """A case with a signed written agreement, several sessions and the most agreement terms."""
    with ctx.read() as s:
        sessions = (select(MediationSession.case_id, func.count().label("n"))
                    .group_by(MediationSession.case_id).subquery())
        return s.exec(select(Case.id).join(Agreement, Agreement.case_id == Case.id)
                      .join(sessions, sessions.c.case_id == Case.id)
                      .where(Case.status.in_([CaseStatus.AGREED.value, CaseStatus.PERFORMED.value]),
                             Agreement.form == "written")
                      .order_by(sessions.c.n.desc(), Case.id).limit(1)).one()


def workspace_cases(ctx: ServiceContext, n: int = 10) -> list[int]:
    """Cases spread over the table, of every kind (what people open)."""
    with ctx.read() as s:
        top = s.exec(select(func.max(Case.id))).one()
    return [1 + (top - 1) * i // n for i in range(n)]


def measure_documents(results: Results, ctx: ServiceContext, case_id: int, runs: int) -> dict[str, Figure]:
    from mediator.services.documents.rendering import render_document

    results.measure("documents.agreement_pdf", lambda: render_document(ctx, case_id, "agreement", "pdf"),
                    target_ms=AGREEMENT_PDF_MS, runs=runs, warmup=2, note="warm: fonts and form loaded")
    results.measure("documents.agreement_docx", lambda: render_document(ctx, case_id, "agreement", "docx"),
                    runs=runs, warmup=2, note="warm")
    return results.figures


def measure_libreoffice(results: Results, ctx: ServiceContext, case_id: int, runs: int) -> None:
    """Ratio (c): converting our agreement DOCX to PDF with LibreOffice against our direct PDF."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        results.skip("ratio.libreoffice", "LibreOffice is not installed (no soffice on PATH)")
        return
    from mediator.services.documents.rendering import render_document

    with tempfile.TemporaryDirectory(prefix="mediator-bench-lo-") as tmp:
        folder = Path(tmp)
        source = folder / "agreement.docx"
        source.write_bytes(render_document(ctx, case_id, "agreement", "docx"))
        profile = (folder / "profile").as_uri()

        def convert() -> None:
            out = folder / "agreement.pdf"
            out.unlink(missing_ok=True)
            subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                            "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=180)
            assert out.stat().st_size > 0

        results.measure("ratio.agreement_pdf.libreoffice", convert, runs=max(3, runs // 2), warmup=1,
                        note="soffice --headless --convert-to pdf of our DOCX, one document per call")
    results.ratio("libreoffice_vs_our_pdf", results.figures["ratio.agreement_pdf.libreoffice"],
                  results.figures["documents.agreement_pdf"], target=20, higher_is_better=True,
                  description="LibreOffice converting the agreement DOCX to PDF ÷ our direct agreement PDF")


def _filler_pdf(pages: int) -> bytes:
    """A scanned-looking record of ``pages`` pages (an attachment of the dossier)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for page in range(pages):
        pdf.setFont("Helvetica", 11)
        for line in range(48):
            pdf.drawString(60, 780 - line * 15, f"Evidence page {page + 1}, line {line + 1}: " + "x" * 60)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _photo(seed: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray
    from PySide6.QtGui import QColor, QImage

    image = QImage(1240, 1754, QImage.Format.Format_RGB32)  # an A4 scan at 150 dpi
    image.fill(QColor(235 - seed * 10, 230, 220))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QBuffer.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPEG", 80)
    return bytes(data)


def measure_dossier(results: Results, ctx: ServiceContext, case_id: int, runs: int) -> None:
    if not _exists("mediator.services.documents.dossier_pdf"):
        results.skip("documents.dossier_30_pages", "mediator.services.documents.dossier is not there yet")
        return
    from pypdf import PdfReader

    from mediator.services.cases.attachments import add_attachment
    from mediator.services.documents.dossier_pdf import build_dossier

    base = len(PdfReader(io.BytesIO(build_dossier(ctx, case_id).data)).pages)
    with tempfile.TemporaryDirectory(prefix="mediator-bench-dossier-") as tmp:
        photos = 2
        for i in range(photos):
            path = Path(tmp) / f"现场照片{i + 1}.jpg"
            path.write_bytes(_photo(i))
            add_attachment(ctx, case_id, path)
        filler = max(1, DOSSIER_PAGES - base - photos)
        path = Path(tmp) / "证据材料.pdf"
        path.write_bytes(_filler_pdf(filler))
        add_attachment(ctx, case_id, path)
    pages = len(PdfReader(io.BytesIO(build_dossier(ctx, case_id).data)).pages)
    results.measure("documents.dossier_30_pages", lambda: build_dossier(ctx, case_id), target_ms=DOSSIER_MS,
                    runs=max(3, runs // 2), warmup=1,
                    note=f"{pages} pages: the case's forms, 2 photos and a {filler}-page PDF attached")


def measure_reports(results: Results, ctx: ServiceContext, runs: int) -> None:
    year = ctx.today().year
    if not _exists("mediator.services.reports.statistics"):
        results.skip("reports.year_statistics", "mediator.services.reports.statistics is not there yet")
    else:
        from mediator.services.reports.statistics import ALL, Period, export_report, period_stats

        results.measure("reports.year_statistics", lambda: period_stats(ctx, Period.year(year), ALL),
                        target_ms=REPORT_MS, runs=runs, note=f"the statistics of {year}, whole county")
        results.measure("reports.year_statistics_xlsx",
                        lambda: export_report(ctx, Period.year(year), ALL, io.BytesIO()), runs=max(3, runs // 2),
                        note="the same, written as the official .xlsx table")
    if not _exists("mediator.services.reports.case_ledger"):
        results.skip("reports.year_ledger_xlsx", "mediator.services.reports.case_ledger is not there yet")
        return
    from mediator.services.cases.read import CaseFilter, count_cases
    from mediator.services.reports.case_ledger import export_ledger

    f = CaseFilter(date_from=date(year, 1, 1), date_to=date(year, 12, 31))
    n = count_cases(ctx, f)
    results.measure_pair(("reports.year_ledger_xlsx", lambda: export_ledger(ctx, f, io.BytesIO())),
                         ("reports.year_ledger_xlsx.floor", lambda: _bare_ledger(ctx, year)), runs=3, warmup=0)
    ours, floor = results.figures["reports.year_ledger_xlsx"], results.figures["reports.year_ledger_xlsx.floor"]
    ours.target_ms, ours.note = LEDGER_MS, f"台账 of {year}: {n} cases to .xlsx"
    floor.note = "the floor: the cases' plain columns by raw SQL, written unstyled by the bare XlsxWriter"
    results.ratio("reports.year_ledger_xlsx", ours, floor, target=2, higher_is_better=False,
                  description="the styled 台账 with parties, mediators, outcomes ÷ its bare columns, bare writer")


def _bare_ledger(ctx: ServiceContext, year: int) -> int:
    """What a ledger export cannot undercut: one SELECT of the case columns, rows written unstyled."""
    import sqlalchemy as sa
    import xlsxwriter

    with ctx.db.engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT id, number, received_on, accepted_on, category, village_id, grid_id, summary, source,"
            " organization_id, level, risk_level, risk_flags, status, closed_on FROM case_file"
            " WHERE received_on >= :a AND received_on < :b ORDER BY received_on, id"),
            {"a": date(year, 1, 1), "b": date(year + 1, 1, 1)}).all()
    book = xlsxwriter.Workbook(io.BytesIO(), {"constant_memory": True})
    sheet = book.add_worksheet("台账")
    for r, row in enumerate(rows, start=3):
        sheet.write_row(r, 0, row)
    book.close()
    return len(rows)


def measure_reminders(results: Results, ctx: ServiceContext, runs: int, data_folder: Path) -> None:
    if not _exists("mediator.scheduling.jobs"):
        results.skip("reminders.scan", "mediator.scheduling.jobs is not there yet")
        return
    from mediator.scheduling.jobs import reminder_scan

    now = ctx.now()

    def scan():
        return reminder_scan(ctx, "bench", now, daily=day_time(8, 0), data_folder=data_folder)

    started = time.perf_counter()
    first = scan()
    results.add("reminders.first_scan", [(time.perf_counter() - started) * 1000],
                note=f"the first scan of this run (the app's start may have scanned before): {first.synced}")
    results.measure("reminders.scan", scan, runs=runs, warmup=0, budget_ms=60_000,
                    note="the scan the scheduler runs every few minutes, nothing changed")
    from mediator.services.risk.evaluate import scan_risks

    started = time.perf_counter()
    raised = scan_risks(ctx)
    results.add("reminders.risk_first_scan", [(time.perf_counter() - started) * 1000],
                note=f"风险预警: the first scan for stalled high-risk cases raised {len(raised)} warnings")
    results.measure("reminders.risk_scan", lambda: scan_risks(ctx), runs=runs, warmup=0, budget_ms=60_000,
                    target_ms=1000, note="the daily and start-up 风险预警 scan, nothing new")


def _importable(document: dict, make_database, clock) -> tuple[dict, str]:
    """The document, without generated cases the importer refuses (a warm-up import finds them)."""
    import re

    from mediator.domain.errors import ValidationErrors
    from mediator.services.context import ServiceContext
    from mediator.services.exchange.bulk import bulk_import_document

    note = ""
    for _ in range(3):
        db = make_database("import-warmup")
        try:
            bulk_import_document(ServiceContext(db, actor="测评", clock=clock), copy.deepcopy(document))
            return document, note
        except ValidationErrors as e:
            faulty = {int(m) for m in re.findall(r"cases\[(\d+)\]", str(e))}
            document = {**document, "cases": [c for i, c in enumerate(document["cases"]) if i not in faulty]}
            note = f"; {len(faulty)} generated cases the importer refuses were left out"
        finally:
            db.dispose()
            _drop(db)
    raise RuntimeError("the demo document does not import")


def _drop(db) -> None:
    """Delete a scratch database file of the import figure."""
    path = Path(db.engine.url.database)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def measure_import(results: Results, make_database, cases: int, runs: int) -> None:
    """Import a 10,000-case file into an empty database (the office move)."""
    from mediator.services.context import ServiceContext
    from mediator.services.exchange.bulk import bulk_import_document, gc_paused
    from mediator.services.exchange.demo_data import build_demo_document
    from tests.bench.cache import bench_clock

    clock = bench_clock()
    with gc_paused():
        document = build_demo_document(cases=cases, seed=7, today=clock.today())
    document, note = _importable(document, make_database, clock)
    times = []
    for i in range(runs):
        db = make_database(f"import-{i}")
        ctx = ServiceContext(db, actor="测评", clock=clock)
        doc = copy.deepcopy(document)
        try:
            started = time.perf_counter()
            result = bulk_import_document(ctx, doc)
            times.append((time.perf_counter() - started) * 1000)
        finally:
            db.dispose()
            _drop(db)
    results.add(f"import.{cases}_cases", times, target_ms=IMPORT_10K_MS,
                note=f"bulk_import_document into an empty database: {result.summary()}{note}")


def measure_old_ledger(results: Results, make_database, rows: int, runs: int) -> None:
    """导入旧台账: an Excel ledger of ``rows`` disputes read, checked and imported (each case
    replayed with its history and deadlines) into a database holding only the places."""
    from mediator.services.context import ServiceContext
    from mediator.services.exchange.old_ledger import import_ledger, open_ledger
    from tests.bench.cache import bench_clock
    from tests.helpers import DONGGUAN, TOWNSHIP_COMMITTEE, seed_county
    from tests.ledger_files import big_ledger

    clock = bench_clock()
    folder = Path(tempfile.mkdtemp(prefix="ledger-bench-"))
    try:
        path = big_ledger(folder / "ledger.xlsx", rows)
        times, result = [], None
        for i in range(runs):
            db = make_database(f"old-ledger-{i}")
            ctx = ServiceContext(db, actor="测评", clock=clock)
            try:
                seed_county(ctx)
                started = time.perf_counter()
                plan = open_ledger(ctx, path)
                result = import_ledger(ctx, plan.sheet, plan.mapping, organization=TOWNSHIP_COMMITTEE,
                                       village_code=DONGGUAN)
                times.append((time.perf_counter() - started) * 1000)
            finally:
                db.dispose()
                _drop(db)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    results.add(f"import.old_ledger_{rows}_rows", times, target_ms=OLD_LEDGER_10K_MS,
                note=f"open_ledger + import_ledger (calamine, one transaction): {result.summary() if result else ''}")


def now_label() -> str:
    return datetime.now().strftime("%Y-%m-%d %H:%M")
