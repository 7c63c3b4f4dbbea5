"""`mediator-cli idcard IMAGE [IMAGE_BACK] [--json]`: read a 居民身份证 photo (no database, no login)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from mediator.domain.errors import ValidationError
from mediator.domain.idcard_text import FIELD_LABELS, FIELDS

EXIT_NO_CARD = 2

JSON_KEYS = (*FIELDS, "confidence")


def register(sub, common) -> None:
    p = sub.add_parser("idcard", help="读取身份证照片：识别姓名、性别、民族、出生日期、住址和身份证号"
                                      "（离线，不写数据库）")
    p.add_argument("image", type=Path, help="身份证正面（或反面）的照片或扫描件")
    p.add_argument("image_back", type=Path, nargs="?", help="另一面的照片（可省略）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(standalone=_idcard)


def _idcard(args) -> int:
    from mediator.services.idcard.reader import read_card

    images = [args.image] + ([args.image_back] if args.image_back else [])
    try:
        reading = read_card(*images)
    except ValidationError as e:  # no card found, or not an image: the message alone, no field path
        print(e.message, file=sys.stderr)
        return EXIT_NO_CARD
    if args.json:
        values = {name: reading.value(name) for name in FIELDS}
        print(json.dumps({**values, "confidence": round(reading.confidence, 3)}, ensure_ascii=False))
        return 0
    for name in (*FIELDS, "issuer", "valid_period"):
        value = reading.value(name)
        if value is None and name in ("issuer", "valid_period"):
            continue
        notes = reading.warnings.get(name, ())
        print(f"{FIELD_LABELS[name]}：{value or '（未认出）'}" + (f"　（{'；'.join(notes)}）" if notes else ""))
    print(f"置信度：{reading.confidence:.0%}")
    return 0
