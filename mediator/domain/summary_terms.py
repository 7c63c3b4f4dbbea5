"""The salient words of a case summary, for finding earlier cases about the same thing (类案参考).

Chinese has no spaces, and a dictionary segmenter would be one more large dependency for a
ranking that only needs a few telling pieces of text. The summary is cut instead at punctuation,
digits, Latin text, the parties' names, masked names (张某) and stop words — what every dispute
summary says (纠纷, 双方, 要求…) and the function characters (的, 与, 因…). What stays are
segments like 宅前排水沟堵塞: a segment of two to four characters is one term; a longer one gives
its three-character windows (排水沟, 水沟堵…), the length the trigram search indexes match
exactly. The terms are taken from the segments in turn (the first piece of each, then the
second…), so a long segment cannot crowd out the others; at most ``MAX_TERMS``.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import zip_longest

MAX_TERMS = 8
WINDOW = 3
# Words of every dispute summary: they would match nearly every case.
STOP_WORDS = (
    "人民调解", "调解委员会", "多次协商", "协商未果", "经调解", "调解员", "网格员", "当事人", "申请人", "被申请人",
    "纠纷", "争执", "争议", "矛盾", "发生", "产生", "引发", "双方", "一方", "对方", "两家", "两户", "之间",
    "由于", "因为", "关于", "以及", "要求", "请求", "问题", "情况", "事宜", "调解", "协商", "未果", "至今",
    "一直", "没有", "多次", "经常", "长期", "导致", "造成", "认为", "表示", "提出", "其中", "目前", "现在",
    "左右", "涉及", "群众", "介入", "解决", "口角", "元",
)
# Function characters that join the content words of a summary.
STOP_CHARS = "的了与和及因被把将向对于其并且等系均却又也都就还在是为从而但则即乃之所"
_CUT = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff]+")  # anything that is not a Chinese character
_MASKED_NAME = re.compile(r"[\u4e00-\u9fff]某+")
_ABOUT = re.compile(r"约(?=\d)")  # 损失约3000元: "about", not 约定
_STOP = re.compile("|".join(sorted((re.escape(w) for w in STOP_WORDS), key=len, reverse=True))
                   + f"|[{STOP_CHARS}]")


def salient_terms(summary: str, names: Iterable[str] = ()) -> list[str]:
    """The terms of ``summary`` to look earlier cases up by (see the module docstring).

    Args:
        summary: the case's 纠纷简要情况.
        names: the parties' names (and other words to leave out, such as the village's name).
    """
    text = summary or ""
    for name in sorted((n for n in names if n), key=len, reverse=True):
        text = text.replace(name, " ")
    text = _ABOUT.sub(" ", _MASKED_NAME.sub(" ", text))
    text = _STOP.sub(" ", _CUT.sub(" ", text))
    pieces = [[segment] if len(segment) <= 4 else
              [segment[i:i + WINDOW] for i in range(len(segment) - WINDOW + 1)]
              for segment in text.split() if len(segment) >= 2]
    terms: list[str] = []
    for turn in zip_longest(*pieces):
        terms.extend(p for p in turn if p is not None and p not in terms)
    return terms[:MAX_TERMS]


def joined(terms: Iterable[str]) -> list[str]:
    """Overlapping windows put back together for people to read: 排水沟, 水沟堵 → 排水沟堵."""
    pieces = list(terms)
    merged = True
    while merged:
        merged = False
        for a in pieces:
            after = next((b for b in pieces if b is not a and len(a) >= WINDOW and len(b) >= WINDOW
                          and a[-(WINDOW - 1):] == b[:WINDOW - 1]), None)
            if after is not None:
                pieces[pieces.index(a)] = a + after[WINDOW - 1:]
                pieces.remove(after)
                merged = True
                break
    return pieces
