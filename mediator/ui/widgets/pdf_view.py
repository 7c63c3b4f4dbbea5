"""A PDF shown on screen (QtPdf, from the PySide6-Addons wheel) and printed: Qt's print preview
over the same pages."""
from __future__ import annotations

import logging

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QPageLayout, QPageSize, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QLabel, QStackedLayout, QToolBar, QToolButton, QWidget

log = logging.getLogger(__name__)
PRINT_DPI = 300  # pages are drawn onto the printer as images of this resolution at most
SCREEN_SHARE = 0.8  # the print preview takes this share of the available screen height
PAGE_ASPECT = 0.85  # ... and is at most this much as wide as it is tall (a portrait page fits the width)
# Zoom shortcuts added to Qt's toolbar buttons, found by their actions' (translated) texts.
ZOOM_KEYS = {"放大": QKeySequence.StandardKey.ZoomIn, "缩小": QKeySequence.StandardKey.ZoomOut}


class PdfSource(QObject):
    """A PDF held in memory for QtPdf (the buffer must live as long as the document)."""

    def __init__(self, data: bytes, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.buffer = QBuffer(self)
        self.buffer.setData(QByteArray(data))
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self.buffer)

    def page_count(self) -> int:
        return self.document.pageCount()


class PdfPreview(QWidget):
    """Shows a PDF, page after page, fitted to the width (or a message instead)."""

    def __init__(self, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source: PdfSource | None = None
        self.message = QLabel(placeholder or "选择文书后在此预览")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #777; padding: 24px;")
        self.layout_ = QStackedLayout(self)
        self.layout_.addWidget(self.message)
        self.view = None

    def show_pdf(self, data: bytes) -> None:
        # A fresh view per document: QPdfView may paint pages it rendered for the previous one.
        old_view, old_source = self.view, self.source
        self.source = PdfSource(data, self)
        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.source.document)
        self.layout_.addWidget(self.view)
        self.layout_.setCurrentWidget(self.view)
        if old_view is not None:
            self.layout_.removeWidget(old_view)
            old_view.deleteLater()
        if old_source is not None:
            old_source.deleteLater()

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.layout_.setCurrentWidget(self.message)

    def page_count(self) -> int:
        return self.source.page_count() if self.source is not None else 0


class PdfPrintJob(QObject):
    """One PDF to print: its pages drawn with QPainter onto a QPrinter kept alive here.

    A temporary QPrinter handed to QPrintPreviewDialog crashes (STACK.md), so the job owns it.
    """

    def __init__(self, data: bytes, title: str, copies: int = 1, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source = PdfSource(data, self)
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.printer.setDocName(title)
        self.printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        self.printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        self.printer.setFullPage(True)  # the PDF carries its own margins
        self.printer.setCopyCount(max(1, copies))
        self.pages_painted = 0

    def paint(self, printer: QPrinter) -> None:
        """Draw every page onto ``printer`` (the preview calls this, and so does printing)."""
        document = self.source.document
        painter = QPainter()
        if not painter.begin(printer):
            log.warning("cannot paint on printer %s", printer.printerName())
            return
        try:
            target = printer.pageRect(QPrinter.Unit.DevicePixel)
            dpi = min(printer.resolution(), PRINT_DPI)
            for index in range(document.pageCount()):
                if index:
                    printer.newPage()
                points = document.pagePointSize(index)
                image = document.render(index, QSize(round(points.width() / 72 * dpi),
                                                     round(points.height() / 72 * dpi)))
                scale = min(target.width() / points.width(), target.height() / points.height())
                width, height = points.width() * scale, points.height() * scale
                painter.drawImage(QRectF(target.x() + (target.width() - width) / 2, target.y(),
                                         width, height), image)
            self.pages_painted = document.pageCount()
        finally:
            painter.end()

    def preview_dialog(self, parent: QWidget | None) -> QPrintPreviewDialog:
        """Qt's print preview of the pages (open it with ``open()``, it prints from there)."""
        dialog = QPrintPreviewDialog(self.printer, parent)
        dialog.setWindowTitle(f"打印预览 — {self.printer.docName()}")
        dialog.paintRequested.connect(self.paint)
        add_zoom_keys(dialog)
        toolbar = max((bar.sizeHint().width() for bar in dialog.findChildren(QToolBar)), default=0)
        dialog.setGeometry(preview_geometry(parent, toolbar))
        fit_width = dialog.findChild(QAction, "fitWidthAction")
        if fit_width is not None:  # readable at once: the page as wide as the window, not shrunk to fit
            fit_width.trigger()
        return dialog


def add_zoom_keys(dialog: QPrintPreviewDialog) -> None:
    """Ctrl++ and Ctrl+- on Qt's zoom buttons (the dialog zooms on their clicks, not their actions)."""
    for toolbar in dialog.findChildren(QToolBar):
        for action in toolbar.actions():
            key = ZOOM_KEYS.get(action.text())
            button = toolbar.widgetForAction(action)
            if key is None or not isinstance(button, QToolButton):
                continue
            shortcut = QShortcut(QKeySequence(key), dialog)
            shortcut.activated.connect(button.click)
            keys = shortcut.key().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{action.text()}（{keys}）")


def preview_geometry(parent: QWidget | None, min_width: int = 0) -> QRect:
    """A window for a portrait page: most of the screen's height, centred on the screen, and at
    least ``min_width`` wide (the whole toolbar) where the screen allows."""
    screen = parent.screen() if parent is not None else QGuiApplication.primaryScreen()
    area = screen.availableGeometry()
    height = round(area.height() * SCREEN_SHARE)
    width = min(round(area.width() * SCREEN_SHARE), max(round(height * PAGE_ASPECT), min_width))
    rect = QRect(0, 0, width, height)
    rect.moveCenter(area.center())
    return rect
