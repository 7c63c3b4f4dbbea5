"""Helpers shared by command modules: date arguments and JSON output."""
from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any


def day(text: str) -> date:
    """An argparse type for ISO dates, with a Chinese message."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是有效日期（应为YYYY-MM-DD）") from None


def print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2, default=str))
