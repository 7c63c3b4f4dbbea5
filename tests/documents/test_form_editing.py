"""The form editor's model: blocks with Chinese field names, written back as TOML that loads."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from mediator.documents.context import DocumentContext
from mediator.documents.spec import parse_form
from mediator.documents.spec.editable import (
    EditError,
    block_errors,
    editable_toml,
    load_editable,
    split_template,
    to_display,
    to_template,
)
from mediator.documents.spec.fields import FIELD_NAMES, NAME_FIELDS
from mediator.documents.spec.jinja import attribute_type
from mediator.services.documents.rendering import BUILTIN_FORMS

FORMS = sorted(BUILTIN_FORMS.glob("*.toml"))


def _signature(spec):
    def layout(lay):
        return lay.title, [(b.type, b.id, b.raw) for b in lay.blocks]

    return (spec.id, spec.title, spec.dated, spec.requires, spec.style, layout(spec.layout),
            {k: layout(v) for k, v in spec.variants.items()})


@pytest.mark.parametrize("path", FORMS, ids=[p.stem for p in FORMS])
def test_every_shipped_form_survives_load_edit_write_load(path: Path):
    text = path.read_text(encoding="utf-8")
    form = load_editable(text)
    assert len(form.blocks) == len(parse_form(text, path).layout.blocks)
    written = editable_toml(form)
    assert _signature(parse_form(written, path)) == _signature(parse_form(text, path))
    assert editable_toml(load_editable(written)) == written  # stable
    assert not re.search(r"[A-Za-z]{4,}", "".join(p.text for b in form.blocks for p in b.parts
                                                   if p.editable).replace("「", "").replace("」", ""))


def test_every_field_path_exists_in_the_context_and_every_name_is_unique():
    assert len(NAME_FIELDS) == len(FIELD_NAMES)
    for path in FIELD_NAMES:
        tp: object = DocumentContext
        for attr in path.split("."):
            exists, tp = attribute_type(tp, attr)
            assert exists, path


def test_every_simple_field_the_shipped_forms_use_has_a_chinese_name():
    used = {m for p in FORMS for m in re.findall(r"\{\{\s*([a-z_][\w.]*)\s*\}\}", p.read_text(encoding="utf-8"))}
    loop_variables = {"term", "loop.index", "row.seq", "row.title", "row.date", "row.pages", "row.note"}
    assert used - loop_variables - set(FIELD_NAMES) == set()


def test_fields_convert_to_chinese_names_and_back():
    assert to_display("{{ organization }}") == "「调解组织名称」"
    assert to_display("本协议涉及金额：{{ agreement.amount_text }}。") == "本协议涉及金额：「协议金额大写」。"
    assert to_template("本协议涉及金额：「协议金额大写」。") == "本协议涉及金额：{{ agreement.amount_text }}。"
    assert to_template("「调解组织名称」") == "{{ organization }}"
    assert to_display("{% if grid %}{{ grid }}{% endif %}") is None
    assert to_display("{{ requests or '请求依法调解。' }}") is None
    shown, tokens = split_template("{% if agreement.performance %}{{ agreement.performance }}{% endif %}")
    assert shown == "〔如有「履行方式」：〕「履行方式」〔条件结束〕" and len(tokens) == 2
    fallback = split_template("{{ requests or '请求依法调解。' }}")[0]
    assert fallback == "〔「当事人请求事项」，未填写时为“请求依法调解。”〕"
    assert split_template("「引号」{{ grid }}") is None  # the editor's own brackets: read-only


def test_an_unknown_name_or_template_marks_name_the_block():
    with pytest.raises(EditError) as info:
        to_template("金额：「协议金钱」", 4, "正文")
    assert info.value.block == 4 and "「协议金钱」" in info.value.message and "正文" in info.value.message
    with pytest.raises(EditError, match="不能含有"):
        to_template("{{ organization }}", 1)
    with pytest.raises(EditError, match="不成对"):
        to_template("「调解组织名称", 1)


def test_edit_move_hide_and_the_written_form_prints_it():
    path = BUILTIN_FORMS / "agreement.toml"
    form = load_editable(path.read_text(encoding="utf-8"))
    ids = [b.id for b in form.blocks]
    copies = form.blocks[ids.index("copies")]
    copies.part("text").text = "本协议一式「协议份数」份，涉及「协议金额大写」。"
    assert form.move(ids.index("effect"), -1) == ids.index("copies")
    form.blocks[ids.index("facts")].hidden = True
    amount = form.blocks[ids.index("amount")]
    amount.hidden = True  # it has a condition of its own, kept
    spec = parse_form(editable_toml(form), path)
    by_id = {b.id: b for b in spec.layout.blocks}
    assert [b.id for b in spec.layout.blocks].index("effect") < [b.id for b in spec.layout.blocks].index("copies")
    assert by_id["copies"].raw["text"] == "本协议一式{{ agreement.copies_text }}份，涉及{{ agreement.amount_text }}。"
    assert by_id["facts"].raw["when"] == "false"
    assert by_id["amount"].raw["when"] == "false and (agreement.amount_text)"
    again = load_editable(editable_toml(form))
    hidden = {b.id: b.hidden for b in again.blocks}
    assert hidden["facts"] and hidden["amount"] and not hidden["copies"]
    assert next(b for b in again.blocks if b.id == "amount").raw["when"] == "agreement.amount_text"


def test_a_block_with_conditions_keeps_them_while_its_words_change():
    form = load_editable((BUILTIN_FORMS / "agreement.toml").read_text(encoding="utf-8"))
    performance = next(b for b in form.blocks if b.id == "performance")
    part = performance.part("text")
    assert part.editable and "{%" not in part.text and "〔否则：〕按上述协议条款履行" in part.text
    assert form.variant_note(performance) == ""
    effect = next(b for b in form.blocks if b.id == "effect")
    assert form.variant_note(effect).startswith("行政调解、司法调解另有文字")
    part.text = part.text.replace("按上述协议条款履行", "按协议约定的方式于「协议签订日期」起履行")
    written = editable_toml(form)
    assert ("{% else %}按协议约定的方式于{{ agreement.signed_on }}起履行{% endif %}{% if agreement.deadline %}"
            in written)
    parse_form(written, BUILTIN_FORMS / "agreement.toml")
    part.text = part.text.replace("〔条件结束〕", "", 1)  # a condition deleted
    with pytest.raises(EditError, match="条件不能删除"):
        editable_toml(form)
    part.text = "〔否则：〕" + part.text.replace("〔否则：〕", "")  # ... or moved
    assert "条件不能删除" in block_errors(form)[form.blocks.index(performance)]
    odd = load_editable('id = "x"\ntitle = "t"\n[[blocks]]\ntype = "paragraph"\ntext = "「引号」{{ grid }}"\n')
    assert not odd.blocks[0].parts[0].editable  # written back as loaded
    assert "「引号」{{ grid }}" in editable_toml(odd)


def test_mistakes_are_reported_per_block_in_chinese():
    form = load_editable((BUILTIN_FORMS / "agreement.toml").read_text(encoding="utf-8"))
    ids = [b.id for b in form.blocks]
    form.blocks[ids.index("effect")].part("text").text = "   "
    form.blocks[ids.index("copies")].part("text").text = "一式「份数」份"
    errors = block_errors(form)
    assert set(errors) == {ids.index("effect"), ids.index("copies")}
    assert "不能为空" in errors[ids.index("effect")] and "「份数」" in errors[ids.index("copies")]
    form.blocks[ids.index("effect")].hidden = True  # a hidden block may stay empty
    assert set(block_errors(form)) == {ids.index("copies")}
    with pytest.raises(EditError):
        editable_toml(form)
    form.title = " "
    form.blocks[ids.index("copies")].part("text").text = "一式「协议份数」份"
    with pytest.raises(EditError, match="文书名称"):
        editable_toml(form)


def test_an_edited_form_saved_for_the_office_prints_on_every_pc_as_pdf_and_docx(ctx, sample_case, tmp_path):
    from mediator.services.context import ServiceContext
    from mediator.services.documents.form_editing import editable_form, save_editable
    from mediator.services.documents.office_forms import form_history, sync_forms
    from mediator.services.documents.rendering import render
    from tests.documents.test_new_forms import docx_text, pdf_text

    this_pc, other_pc = tmp_path / "pc1", tmp_path / "pc2"
    form, fell_back = editable_form("agreement", this_pc)
    assert not fell_back
    copies = next(b for b in form.blocks if b.id == "copies")
    copies.part("text").text = "本协议一式「协议份数」份，涉及金额「协议金额大写」。"
    next(b for b in form.blocks if b.id == "facts").hidden = True
    save_editable(ctx, "agreement", form, this_pc)
    assert [v.action for v in form_history(ctx, "agreement")] == ["保存修改"]

    other = ServiceContext(ctx.db, actor="另一台电脑", clock=ctx.clock)
    assert sync_forms(other, other_pc) == 1
    for pc, directory in ((ctx, this_pc), (other, other_pc)):
        directories = [directory, BUILTIN_FORMS]
        printed = pdf_text(render(pc, sample_case, "agreement", directories=directories).data)
        assert "涉及金额人民币" in printed and "纠纷主要事实" not in printed
        words = docx_text(render(pc, sample_case, "agreement", "docx", directories=directories).data)
        assert "涉及金额人民币" in words and "纠纷主要事实" not in words


def test_a_paragraph_is_added_and_a_block_removed_unless_a_variant_changes_it():
    path = BUILTIN_FORMS / "agreement.toml"
    form = load_editable(path.read_text(encoding="utf-8"))
    ids = [b.id for b in form.blocks]
    index = form.add_paragraph(ids.index("effect"))
    assert index == ids.index("effect") + 1 and "不能为空" in block_errors(form)[index]
    form.blocks[index].part("text").text = "双方当事人应当自觉履行本协议。"
    with pytest.raises(EditError, match="不能删除"):
        form.remove(ids.index("effect"))
    form.remove(ids.index("amount"))
    spec = parse_form(editable_toml(form), path)
    texts = [b.raw.get("text") for b in spec.layout.blocks]
    assert "双方当事人应当自觉履行本协议。" in texts and "amount" not in [b.id for b in spec.layout.blocks]
    judicial = [b.raw.get("text") for b in spec.variants["judicial"].blocks]
    assert judicial.index("双方当事人应当自觉履行本协议。") == texts.index("双方当事人应当自觉履行本协议。")


def test_the_dossier_preview_shows_an_unsaved_edit(ctx, tmp_path):
    from mediator.services.documents import forms as library
    from tests.documents.test_new_forms import pdf_text

    tmp_path = tmp_path / "forms"
    form = load_editable(library.form_text("dossier", tmp_path))
    contents = next(b for b in form.blocks if b.part("text") and b.part("text").text == "卷内目录")
    contents.part("text").text = "卷内文件目录"
    printed = pdf_text(library.preview_form(ctx, "dossier", user_dir=tmp_path, text=editable_toml(form)).data)
    assert "卷内文件目录" in printed
    assert "卷内文件目录" not in pdf_text(library.preview_form(ctx, "dossier", user_dir=tmp_path).data)
    assert not tmp_path.exists()  # nothing saved


def test_a_broken_office_copy_opens_the_shipped_form_in_the_editor(tmp_path):
    from mediator.services.documents.form_editing import editable_form

    (tmp_path / "rejection.toml").write_text("title = ", encoding="utf-8")
    form, fell_back = editable_form("rejection", tmp_path)
    assert fell_back and form.title == "不予受理告知书"
