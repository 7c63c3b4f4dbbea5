"""Form files: every built-in form loads; a faulty one names its file, line and the wrong name."""
from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from mediator.documents.spec import FormError, load_form, parse_form
from mediator.services.documents.rendering import BUILTIN_FORMS

REQUIRED_FORMS = ["application", "registration", "rights_notice", "investigation", "session",
                  "agreement", "oral_agreement", "follow_up", "judicial_confirmation", "termination",
                  "rejection", "advisor_review"]  # and the dossier (tests/documents/test_dossier.py)

GOOD = """\
id = "probe"
title = "测试表"

[[blocks]]
type = "title"

[[blocks]]
id = "facts"
type = "paragraph"
text = "{{ summary }}"
"""


def _write(tmp_path: Path, text: str, name: str = "probe") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _error(tmp_path: Path, text: str) -> FormError:
    with pytest.raises(FormError) as info:
        load_form(_write(tmp_path, text))
    return info.value


@pytest.mark.parametrize("form_id", [*REQUIRED_FORMS, "dossier"])
def test_every_official_form_loads(form_id):
    spec = load_form(BUILTIN_FORMS / f"{form_id}.toml")
    assert spec.id == form_id and spec.layout.blocks


def test_unknown_placeholder_names_file_line_and_name(tmp_path):
    error = _error(tmp_path, GOOD + """
[[blocks]]
type = "paragraph"
text = "纠纷：{{ sumary }}"
""")
    assert (error.file.name, error.line, error.name) == ("probe.toml", 14, "sumary")
    assert "probe.toml:14" in str(error) and "sumary" in str(error) and "未知的占位符" in str(error)


def test_unknown_attribute_of_a_context_object_fails_on_load(tmp_path):
    error = _error(tmp_path, GOOD + """
[[blocks]]
type = "paragraph"
text = '''
本协议涉及金额：
{{ agreement.amount_txt }}。
'''
""")
    assert (error.line, error.name) == (16, "agreement.amount_txt")


def test_loop_variables_are_checked_against_their_element_type(tmp_path):
    error = _error(tmp_path, GOOD + """
[[blocks]]
type = "paragraph"
text = "{% for p in parties %}{{ p.nmae }}{% endfor %}"
""")
    assert (error.line, error.name) == (14, "p.nmae")


def test_unknown_block_type_names_the_type(tmp_path):
    error = _error(tmp_path, GOOD + """
[[blocks]]
type = "pragraph"
text = "x"
""")
    assert (error.line, error.name) == (13, "pragraph") and "未知的块类型" in error.message


def test_unknown_key_of_a_block_names_the_key(tmp_path):
    error = _error(tmp_path, GOOD + """
[[blocks]]
type = "paragraph"
txet = "x"
""")
    assert (error.line, error.name) == (14, "txet")


def test_unknown_party_field_names_the_field(tmp_path):
    error = _error(tmp_path, GOOD + """
[[blocks]]
type = "parties"
person = [["name", "gender"],
          ["idnumber"]]
""")
    assert (error.line, error.name) == (15, "idnumber") and "未知的当事人字段" in error.message


def test_unknown_filter_and_bad_syntax_name_their_line(tmp_path):
    error = _error(tmp_path, GOOD + """
[[blocks]]
type = "paragraph"
text = "{{ number | shout }}"
""")
    assert (error.line, error.name) == (14, "shout")
    error = _error(tmp_path, GOOD + """
[[blocks]]
type = "paragraph"
text = "{% if number %}x"
""")
    assert error.line == 14 and "模板写法有误" in error.message


def test_variant_of_an_unknown_block_fails(tmp_path):
    error = _error(tmp_path, GOOD + """
[variants.administrative.blocks.fatcs]
text = "{{ summary }}"
""")
    assert (error.line, error.name) == (12, "fatcs")


def test_variant_text_is_checked_too(tmp_path):
    error = _error(tmp_path, GOOD + """
[variants.administrative.blocks.facts]
text = "{{ sumary }}"
""")
    assert (error.line, error.name) == (13, "sumary")


def test_toml_syntax_error_names_the_line(tmp_path):
    error = _error(tmp_path, GOOD + 'oops = \n')
    assert error.line == 11 and "TOML" in error.message


def test_form_id_must_match_the_file_name(tmp_path):
    error = _error(tmp_path, GOOD.replace('id = "probe"', 'id = "other"'))
    assert (error.line, error.name) == (1, "other")


def test_variants_pick_the_title_of_the_track_and_detail():
    spec = load_form(BUILTIN_FORMS / "agreement.toml")
    assert spec.layout_for("people").title == "人民调解协议书"
    assert spec.layout_for("administrative", "police").title == "行政调解协议书"
    assert spec.layout_for("judicial", "entrusted").title == "调解协议"
    assert spec.layout_for("judicial", "pre_litigation").title == "诉前调解的调解协议"
    # a detail variant builds on its track's: the judicial copies sentence stays
    copies = {b.id: b for b in spec.layout_for("judicial", "pre_litigation").blocks}["copies"]
    assert "调解组织留存一份" in copies.raw["text"]


def test_parsed_forms_are_cached_until_the_file_changes(tmp_path):
    path = _write(tmp_path, GOOD)
    first = load_form(path)
    assert load_form(path) is first
    path.write_text(GOOD.replace("测试表", "测试表二"), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert load_form(path).title == "测试表二"


def test_parse_form_needs_no_file(tmp_path):
    spec = parse_form(GOOD, tmp_path / "probe.toml")
    assert [b.type for b in spec.layout.blocks] == ["title", "paragraph"]


def test_a_listing_checks_its_row_fields_against_the_list_it_walks(tmp_path):
    error = _error(tmp_path, GOOD + """
[[blocks]]
type = "listing"
items = "dossier.contents"
header = ["序号", "名称"]
cells = ["{{ row.seq }}", "{{ row.titel }}"]
""")
    assert (error.line, error.name) == (16, "row.titel")
    good = GOOD.replace('id = "probe"', 'id = "probe2"') + """
[[blocks]]
type = "listing"
items = "dossier.contents"
cells = ["{{ row.seq }}", "{{ row.title }}"]
align = ["center", "left"]
widths = [1, 5]
"""
    ok = load_form(_write(tmp_path, good, name="probe2"))
    assert ok.layout.blocks[-1].type == "listing"


def test_roles_alignments_and_widths_are_checked(tmp_path):
    error = _error(tmp_path, GOOD + """
[[blocks]]
type = "signatures"
per_party = "申请人（签名）："
roles = ["applicant", "witness"]
""")
    assert (error.line, error.name) == (15, "witness") and "当事人身份" in error.message
    error = _error(tmp_path, GOOD + """
[[blocks]]
type = "listing"
items = "dossier.contents"
cells = ["{{ row.seq }}"]
align = ["middle"]
""")
    assert (error.line, error.name) == (16, "middle")
    error = _error(tmp_path, GOOD + """
[[blocks]]
type = "listing"
items = "dossier.contents"
cells = ["{{ row.seq }}"]
widths = [0]
""")
    assert (error.line, error.name) == (16, "widths")


def test_qr_and_page_break_blocks_load(tmp_path):
    spec = load_form(_write(tmp_path, GOOD + """
[[blocks]]
type = "qr"
text = "验证码 {{ verify_code }}"

[[blocks]]
id = "back"
type = "page_break"
"""))
    assert [b.type for b in spec.layout.blocks][-2:] == ["qr", "page_break"]
