"""读取身份证照片's OCR engine, loaded in the background the first time a person's party dialog
opens: the first card then reads at once, and nobody who never reads a card holds its ~100 MB."""
from __future__ import annotations

import logging
import threading

enabled = True  # tests that never read a card switch it off (tests/conftest.py)
_started = False


def warm_up_once() -> None:
    """Start loading the engine in a thread, once per process (a failure: it loads on first use)."""
    global _started
    if _started or not enabled:
        return
    _started = True
    from mediator.services.idcard.reader import warm_up

    def load() -> None:
        try:
            warm_up()
        except Exception:  # read_card loads it again and shows the error
            logging.getLogger(__name__).exception("读取身份证照片：识别引擎预加载失败")

    threading.Thread(target=load, name="idcard-warm-up", daemon=True).start()
