"""The 文书 tab of the case workspace: forms by state, draft preview, print preview (Ctrl+P),
PDF/DOCX saved and registered, DOCX opened in the word processor, the register."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices, QImage, QPainter
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog

from mediator import config
from mediator.services.cases.read import find_case_id
from mediator.services.documents.issuing import issued_documents, verify_file
from mediator.ui.widgets.pdf_view import PdfPrintJob
from mediator.ui.workspace.case_workspace import CaseWorkspace

SHOTS = "/tmp"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setattr(config, "data_dir", lambda: folder)
    return folder


def _workspace(env, qtbot, ref: str) -> CaseWorkspace:
    ws = CaseWorkspace(env, find_case_id(env.ctx, ref))
    qtbot.addWidget(ws)
    ws.resize(1280, 800)
    ws.show()
    ws.tabs.setCurrentWidget(ws.documents_tab)
    return ws


@pytest.fixture
def performed(env, qtbot, data_dir) -> CaseWorkspace:
    return _workspace(env, qtbot, "SF-2026-001")


def _available(tab) -> dict[str, bool]:
    return {f.id: f.available for f in tab.forms}


def test_the_forms_follow_the_cases_state(env, qtbot, performed, data_dir):
    tab = performed.documents_tab
    assert performed.tabs.tabText(performed.tabs.indexOf(tab)) == "文书"
    available = _available(tab)
    assert available["agreement"] and available["follow_up"] and available["judicial_confirmation"]
    assert available["dossier"] and available["registration"] and available["application"]
    assert not available["oral_agreement"] and not available["termination"]
    assert not available["rejection"] and not available["investigation"]
    row = next(r for r, f in enumerate(tab.forms) if f.id == "termination")
    assert tab.forms_table.item(row, 1).text() == "本案未终止调解"
    tab.select_form("termination")
    assert not tab.print_button.isEnabled() and not tab.pdf_button.isEnabled()
    pending = _workspace(env, qtbot, "SF-2026-002").documents_tab  # accepted, no agreement yet
    assert not _available(pending)["agreement"] and _available(pending)["rights_notice"]


def test_preview_shows_a_draft_that_is_not_registered(env, qtbot, performed):
    tab = performed.documents_tab
    tab.select_form("agreement")
    tab.preview_button.click()
    assert tab.preview.page_count() == 2 and "草稿" in tab.message.text()
    assert issued_documents(env.ctx, performed.case_id) == []
    qtbot.wait(400)
    performed.grab().save(f"{SHOTS}/workspace_documents.png")


def test_ctrl_p_opens_the_print_preview_and_issues_the_agreement_once_printed(env, qtbot, performed):
    tab = performed.documents_tab
    performed.tabs.setCurrentIndex(0)
    performed.print_()  # nothing selected: the case's main form
    assert performed.tabs.currentWidget() is tab and tab.selected_form() == "agreement"
    dialog = tab.print_dialog
    assert dialog is not None and dialog.isVisible()
    assert tab.print_job.printer.copyCount() == 3  # two parties + the committee
    assert issued_documents(env.ctx, performed.case_id) == []  # a preview is not a paper
    qtbot.wait(200)
    dialog.grab().save(f"{SHOTS}/workspace_print_preview.png")
    dialog.accept()  # what Qt's preview does once it has printed
    issued = issued_documents(env.ctx, performed.case_id)
    assert [d.form_id for d in issued] == ["agreement"] and tab.count() == 1
    assert issued[0].verify_code in tab.message.text() and "已打印并出具" in tab.message.text()
    assert tab.register_table.item(0, 1).text() == "人民调解协议书"


def test_the_print_preview_opens_readable_and_sized_to_the_screen(env, qtbot, performed):
    from PySide6.QtGui import QAction
    from PySide6.QtPrintSupport import QPrintPreviewWidget
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    tab = performed.documents_tab
    tab.print_selected("agreement")
    dialog = tab.print_dialog
    qtbot.waitExposed(dialog)
    preview = dialog.findChild(QPrintPreviewWidget)
    assert preview.zoomMode() == QPrintPreviewWidget.ZoomMode.FitToWidth  # not a page shrunk to fit
    assert dialog.findChild(QAction, "fitWidthAction").isChecked()
    area = performed.screen().availableGeometry()
    frame = dialog.geometry()
    assert area.contains(frame) and abs(frame.center().y() - area.center().y()) <= 2
    assert abs(frame.center().x() - area.center().x()) <= 2
    assert frame.height() == round(area.height() * 0.8)
    tips = {a.toolTip() for a in dialog.findChildren(QAction) if a.toolTip()}
    assert {"适应宽度", "适应页面"} <= tips
    assert any(t.startswith("放大（") for t in tips) and any(t.startswith("缩小（") for t in tips)
    fitted = preview.zoomFactor()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    QTest.keyClick(preview, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert preview.zoomFactor() < fitted  # Ctrl+- zooms out
    assert preview.zoomMode() == QPrintPreviewWidget.ZoomMode.CustomZoom
    assert not dialog.findChild(QAction, "fitWidthAction").isChecked()
    QTest.keyClick(preview, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert abs(preview.zoomFactor() - fitted) < 1e-6  # Ctrl++ back
    qtbot.wait(200)
    dialog.grab().save(f"{SHOTS}/print_preview_fit_width.png")
    dialog.reject()


def test_closing_the_print_preview_registers_nothing(env, qtbot, performed):
    from mediator.services.audit import entries

    tab = performed.documents_tab
    before = [e.action for e in entries(env.ctx)]
    tab.print_selected("agreement")
    tab.print_dialog.reject()
    assert issued_documents(env.ctx, performed.case_id) == [] and tab.count() == 0
    assert [e.action for e in entries(env.ctx)] == before  # no 出具文书 in the audit log
    assert "未登记出具记录" in tab.message.text()


def test_printing_draws_every_page_onto_the_printer(env, qtbot, tmp_path, performed):
    from mediator.services.documents.rendering import render

    data = render(env.ctx, performed.case_id, "agreement", "pdf").data
    job = PdfPrintJob(data, "协议书", copies=2)
    job.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    job.printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    job.paint(job.printer)
    assert job.pages_painted == 2
    from pypdf import PdfReader

    assert len(PdfReader(tmp_path / "printed.pdf").pages) == 2
    image = QImage(200, 283, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFF)
    page = job.source.document.render(0, image.size())
    painter = QPainter(image)
    painter.drawImage(0, 0, page)
    painter.end()
    assert any(image.pixel(x, y) != 0xFFFFFFFF for x in range(0, 200, 5) for y in range(0, 283, 5))


def test_save_pdf_and_docx_register_the_files(env, qtbot, performed, tmp_path, monkeypatch):
    tab = performed.documents_tab
    tab.select_form("follow_up")
    target = tmp_path / "回访"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    tab.pdf_button.click()
    pdf = tmp_path / "回访.pdf"
    assert pdf.is_file() and verify_file(env.ctx, pdf).genuine
    tab.docx_button.click()
    docx = tmp_path / "回访.docx"
    assert docx.read_bytes().startswith(b"PK") and verify_file(env.ctx, docx).genuine
    assert [r.fmt for r in issued_documents(env.ctx, performed.case_id)] == ["docx", "pdf"]
    # a registered file saved again is byte for byte what was issued
    copy = tmp_path / "副本.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(copy), "")))
    tab.register_table.selectRow(1)
    tab.save_copy_button.click()
    assert copy.read_bytes() == pdf.read_bytes()


def test_docx_opens_in_the_word_processor(env, qtbot, performed, data_dir, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url.toLocalFile()) or True))
    tab = performed.documents_tab
    tab.select_form("agreement")
    tab.word_button.click()
    assert len(opened) == 1 and opened[0].endswith("人民调解协议书.docx")
    assert Path(opened[0]).parent == data_dir / "documents" and Path(opened[0]).is_file()


def test_the_dossier_previews_and_prints_but_has_no_docx(env, qtbot, performed):
    tab = performed.documents_tab
    tab.select_form("dossier")
    assert not tab.docx_button.isEnabled() and tab.print_button.isEnabled()
    tab.preview_button.click()
    assert tab.preview.page_count() >= 10
    tab.print_button.click()
    assert issued_documents(env.ctx, performed.case_id) == []
    tab.print_dialog.accept()  # printed
    assert [d.form_id for d in issued_documents(env.ctx, performed.case_id)] == ["dossier"]


def test_a_broken_copy_of_a_form_is_shown_not_printed(env, qtbot, performed, data_dir):
    from mediator.services.documents.rendering import BUILTIN_FORMS

    forms = data_dir / "forms"
    forms.mkdir(parents=True)
    text = (BUILTIN_FORMS / "agreement.toml").read_text(encoding="utf-8")
    (forms / "agreement.toml").write_text(text.replace("{{ agreement.facts }}", "{{ agreement.fact }}"),
                                          encoding="utf-8")
    tab = performed.documents_tab
    tab.load("performed")
    agreement = next(f for f in tab.forms if f.id == "agreement")
    assert not agreement.available and "表单文件有误" in agreement.reason and "agreement.fact" in agreement.reason
    tab.select_form("agreement")
    assert not tab.print_button.isEnabled()
    tab.print_selected("agreement")
    assert "不能生成" in tab.message.text() and issued_documents(env.ctx, performed.case_id) == []


def test_archiving_asks_for_the_dossier_explanation_when_items_are_missing(env, qtbot, performed):
    from mediator.services.cases.read import case_detail

    dialog = performed.run_action("archive")
    assert "缺少必备材料：权利义务告知书、当事人身份证明" in dialog.completeness.text()
    dialog.ok_button.click()
    errors = [label.text() for label in dialog.findChildren(type(dialog.general_error))
              if label.isVisible() and label.text()]
    assert any("请填写卷宗情况说明" in text for text in errors), errors
    assert case_detail(env.ctx, performed.case_id).status == "performed"
    dialog.reason_edit.setPlainText("身份证明为纸质存档，告知书已口头告知。")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.ok_button.click()
    detail = case_detail(env.ctx, performed.case_id)
    assert detail.status == "archived"
    assert detail.timeline[-1].data["reason"] == "身份证明为纸质存档，告知书已口头告知。"
    assert performed.documents_tab.status == "archived"
