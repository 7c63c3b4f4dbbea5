"""读取身份证照片: the OCR engine (RapidOCR, its PP-OCRv4 models inside the wheel) over card photos.

Offline by construction: rapidocr_onnxruntime carries its detection, direction and recognition
models in the package, nothing is fetched. The engine is loaded once per process (about a second)
by whoever asks first, so the app warms it in the background. Images are read into memory and
never written anywhere.
"""
from __future__ import annotations

import os
import threading
from datetime import date
from pathlib import Path

from mediator.domain.errors import ValidationError
from mediator.domain.idcard_text import CardReading, OcrLine, checked, read_card_text

MAX_SIDE = 1280  # a 12-megapixel phone photo is shrunk first: the card's text stays legible, detection costs less
MAX_IMAGE_BYTES = 30 * 1024 * 1024
NO_CARD = "未在照片中找到身份证的文字，请换一张更清晰、端正的照片"

_lock = threading.Lock()
_engine = None
# The full opencv-python wheel (rapidocr's declared requirement; we install the headless one) points
# these at its bundled Qt 5 on import: a restarted app or child process would then load the wrong
# Qt platform plugin. They are put back as they were.
_QT_VARIABLES = ("QT_QPA_PLATFORM_PLUGIN_PATH", "QT_QPA_FONTDIR", "QT_PLUGIN_PATH")


def _import_cv2():
    saved = {name: os.environ.get(name) for name in _QT_VARIABLES}
    import cv2

    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    return cv2


def engine():
    """The RapidOCR engine, loaded on first use (thread-safe: two callers load it once)."""
    global _engine
    with _lock:
        if _engine is None:
            _import_cv2()  # before rapidocr imports it
            from rapidocr_onnxruntime import RapidOCR

            # One thread: as fast on a 2-core office PC (ONNX's own threads fight the UI and each
            # other there) and half the CPU time; about one second a card.
            _engine = RapidOCR(intra_op_num_threads=1)
        return _engine


def warm_up() -> None:
    """Load the engine now (the app calls it in the background so the first card reads quickly)."""
    engine()


def _decode(image: str | Path | bytes):
    """The image as a BGR array, shrunk to ``MAX_SIDE`` (read as bytes: cv2.imread fails on 中文 paths)."""
    import numpy as np

    cv2 = _import_cv2()
    if isinstance(image, (str, Path)):
        path = Path(image)
        if not path.is_file():
            raise ValidationError("image", f"找不到图片文件：{path}")
        if path.stat().st_size > MAX_IMAGE_BYTES:
            raise ValidationError("image", f"图片超过{MAX_IMAGE_BYTES // 1024 // 1024}MB")
        data = path.read_bytes()
    else:
        data = image
    pixels = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    if pixels is None:
        raise ValidationError("image", "无法识别图片格式，请选择 JPG、PNG 或 BMP 图片")
    height, width = pixels.shape[:2]
    scale = MAX_SIDE / max(height, width)
    if scale < 1:
        pixels = cv2.resize(pixels, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
    return pixels


def _ocr(pixels) -> list[OcrLine]:
    found, _elapse = engine()(pixels)
    return [OcrLine(text=text, box=tuple((float(x), float(y)) for x, y in box), score=float(score))
            for box, text, score in (found or [])]


def read_side(image: str | Path | bytes, today: date | None = None) -> CardReading:
    """The fields on one photo (front or back); an upside-down photo is turned round and read again."""
    cv2 = _import_cv2()
    pixels = _decode(image)
    reading = read_card_text(_ocr(pixels), today)
    if not reading.found:
        reading = read_card_text(_ocr(cv2.rotate(pixels, cv2.ROTATE_180)), today)
    return reading


def read_card(*images: str | Path | bytes, today: date | None = None) -> CardReading:
    """The fields of one card from photos of its front and/or back (in any order).

    Raises:
        ValidationError: an image cannot be read, or none shows a card.
    """
    reading = CardReading()
    for image in images:
        reading = reading.merged(read_side(image, today))
    if not reading.found:
        raise ValidationError("image", NO_CARD)
    return checked(reading, today)
