"""PDF files put together: page counts, 页号 stamped on other PDFs, images as pages, merging.

The dossier (卷宗) files rendered forms and the case's attachments in one PDF; its pages carry a
dossier page number (页号) at the top right, so the contents (卷内目录) can point at them.
"""
from __future__ import annotations

import io
import logging

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdf_canvas

from mediator.documents.fonts import FontSet

log = logging.getLogger(__name__)

STAMP_SIZE = 12.0
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp")


class UnreadableFile(Exception):
    """An attachment that is not a readable PDF or image."""


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def _pages(data: bytes) -> list:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnreadableFile("文件已加密")
        return list(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise UnreadableFile(str(exc)) from None


def readable_pages(data: bytes) -> int:
    """The page count of an attachment PDF.

    Raises:
        UnreadableFile: the file is not a PDF pypdf can read (or it is encrypted).
    """
    return len(_pages(data))


def _stamp_position(width: float, height: float) -> tuple[float, float]:
    return width - 12 * mm, height - 14 * mm


def stamp_pdf(data: bytes, start: int, fonts: FontSet) -> tuple[bytes, int]:
    """Another PDF with 页号 ``start``, ``start + 1``, … at the top right of its pages.

    Raises:
        UnreadableFile: the file is not a PDF pypdf can read (or it is encrypted).
    """
    pages = _pages(data)
    overlay_buffer = io.BytesIO()
    overlay = pdf_canvas.Canvas(overlay_buffer, invariant=True)
    for n, page in enumerate(pages):
        box = page.mediabox
        width, height = float(box.width), float(box.height)
        overlay.setPageSize((width, height))
        overlay.setFont(fonts.body.name, STAMP_SIZE)
        x, y = _stamp_position(width, height)
        overlay.drawRightString(float(box.left) + x, float(box.bottom) + y, str(start + n))
        overlay.showPage()
    overlay.save()
    stamps = PdfReader(io.BytesIO(overlay_buffer.getvalue())).pages
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for page, stamp in zip(writer.pages, stamps, strict=True):
        page.merge_page(stamp)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(pages)


def image_pages(images: list[tuple[str, bytes]], start: int, fonts: FontSet, *,
                stamped: bool = True) -> tuple[bytes, int]:
    """One A4 page per image, scaled into the text block, its file name above it (and 页号).

    Raises:
        UnreadableFile: an image Pillow cannot read.
    """
    from reportlab.lib.utils import ImageReader

    buffer = io.BytesIO()
    page = pdf_canvas.Canvas(buffer, pagesize=A4, invariant=True)
    width, height = A4
    left, top, box_w, box_h = 28 * mm, height - 37 * mm, 156 * mm, 215 * mm
    for n, (name, data) in enumerate(images):
        try:
            image = ImageReader(io.BytesIO(data))
            iw, ih = image.getSize()
        except Exception as exc:
            raise UnreadableFile(f"{name}：{exc}") from None
        scale = min(box_w / iw, box_h / ih)
        w, h = iw * scale, ih * scale
        page.setFont(fonts.body.name, 12)
        page.drawString(left, top + 8, name)
        page.drawImage(image, left + (box_w - w) / 2, top - h, w, h)
        if stamped:
            page.setFont(fonts.body.name, STAMP_SIZE)
            x, y = _stamp_position(width, height)
            page.drawRightString(x, y, str(start + n))
        page.showPage()
    page.save()
    return buffer.getvalue(), len(images)


def merge(parts: list[tuple[bytes, tuple[int, int] | None]], *, title: str = "", author: str = "",
          keywords: str = "") -> bytes:
    """PDFs (or page ranges ``(start, stop)`` of them, 0-based) one after another, as one file.

    The same bytes given several times are read once, so their shared fonts are copied once.
    """
    writer = PdfWriter()
    readers: dict[int, PdfReader] = {}
    for data, pages in parts:
        reader = readers.get(id(data))
        if reader is None:
            reader = readers[id(data)] = PdfReader(io.BytesIO(data))
        writer.append(reader, pages=pages, import_outline=False)
    writer.add_metadata({"/Title": title, "/Author": author, "/Keywords": keywords,
                         "/Creator": "调解通"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
