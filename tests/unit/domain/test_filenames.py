"""safe_file_name: an attachment's name never leaves its folder (hypothesis over any text)."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mediator.domain.filenames import FALLBACK, MAX_NAME, safe_file_name


def test_paths_lose_their_folders_and_bad_characters():
    assert safe_file_name("../../etc/passwd") == "passwd"
    assert safe_file_name("/etc/shadow") == "shadow"
    assert safe_file_name("C:\\Users\\x\\协议书.pdf") == "协议书.pdf"
    assert safe_file_name("..") == FALLBACK and safe_file_name("") == FALLBACK and safe_file_name("/") == FALLBACK
    assert safe_file_name("a\x00b?.jpg") == "a_b_.jpg"
    assert safe_file_name("CON.txt") == "_CON.txt"
    assert safe_file_name(".bashrc") == "bashrc"
    long = safe_file_name("照" * 300 + ".jpeg")
    assert len(long) == MAX_NAME and long.endswith(".jpeg")


@given(st.text(max_size=400))
def test_any_name_stays_one_plain_component(name):
    safe = safe_file_name(name)
    assert safe and len(safe) <= MAX_NAME
    assert "/" not in safe and "\\" not in safe and safe not in (".", "..")
    assert not safe.startswith(".") and all(ord(c) >= 32 and c != "\x7f" for c in safe)
