"""An office's own forms: copy, edit (checked before saving), use, restore; previews on a sample."""
from __future__ import annotations

import pytest

from mediator.documents.spec import FormError
from mediator.services.documents import forms as lib
from mediator.services.documents.rendering import BUILTIN_FORMS, get_form
from mediator.services.settings import set_setting
from tests.documents.test_new_forms import pdf_text


def test_the_list_has_every_form_of_domain_in_order(tmp_path):
    entries = lib.list_forms(tmp_path)
    assert [e.id for e in entries][:len(lib.OFFICIAL_ORDER)] == list(lib.OFFICIAL_ORDER)
    assert entries[0].title == "人民调解申请书" and entries[len(lib.OFFICIAL_ORDER) - 1].title == "人民调解卷宗"
    assert not any(e.customised or e.error for e in entries)


def test_copy_edit_use_and_restore(ctx, tmp_path):
    path = lib.copy_form(ctx, "agreement", tmp_path)
    assert path == tmp_path / "agreement.toml"
    assert path.read_text(encoding="utf-8") == (BUILTIN_FORMS / "agreement.toml").read_text(encoding="utf-8")
    text = lib.form_text("agreement", tmp_path).replace("经调解，自愿达成如下协议：",
                                                        "经本委员会调解，双方自愿达成如下协议：")
    lib.save_form(ctx, "agreement", text, tmp_path)
    entry = lib.form_entry("agreement", tmp_path)
    assert entry.customised and entry.path == path
    assert get_form("agreement", [tmp_path, BUILTIN_FORMS]).path == path.resolve()
    assert lib.copy_form(ctx, "agreement", tmp_path) == path  # a second copy keeps the edit
    assert "经本委员会调解" in lib.form_text("agreement", tmp_path)
    assert lib.reset_form(ctx, "agreement", tmp_path) is True
    assert not path.exists() and not lib.form_entry("agreement", tmp_path).customised
    assert lib.reset_form(ctx, "agreement", tmp_path) is False
    from mediator.services.audit import entries

    assert [e.action for e in entries(ctx) if e.action.startswith("form.")][::-1] == [
        "form.copy", "form.save", "form.reset"]


def test_a_faulty_edit_is_refused_with_its_line_and_not_saved(ctx, tmp_path):
    lib.copy_form(ctx, "termination", tmp_path)
    good = lib.form_text("termination", tmp_path)
    bad = good.replace("{{ termination.reason", "{{ termination.reasn")
    with pytest.raises(FormError) as info:
        lib.save_form(ctx, "termination", bad, tmp_path)
    assert info.value.name == "termination.reasn" and info.value.line > 1
    assert lib.form_text("termination", tmp_path) == good


def test_an_unknown_form_is_refused(ctx):
    from mediator.domain.errors import ValidationError

    with pytest.raises(ValidationError):
        lib.copy_form(ctx, "../../etc/passwd")


@pytest.mark.parametrize("form_id", lib.OFFICIAL_ORDER)
def test_every_form_previews_on_the_sample_case(ctx, form_id, tmp_path):
    document = lib.preview_form(ctx, form_id, user_dir=tmp_path)
    text = pdf_text(document.data)
    # The title printed (a 变更（补充）协议书 is titled by its kind: the sample's is a 补充协议书).
    title = "补充协议书" if form_id == "supplementary_agreement" else get_form(form_id).title
    assert title in text and document.title == title and "（2026）示例人调字第1号" in text


def test_preview_follows_the_office_settings_and_unsaved_text(ctx, tmp_path):
    set_setting(ctx, "documents.date_style", "arabic")
    text = pdf_text(lib.preview_form(ctx, "agreement", user_dir=tmp_path).data)
    assert "2026年6月10日" in text and "二〇二六" not in text
    edited = (BUILTIN_FORMS / "agreement.toml").read_text(encoding="utf-8").replace(
        'title = "人民调解协议书"', 'title = "调解协议书（本所格式）"', 1)
    assert "调解协议书（本所格式）" in pdf_text(lib.preview_form(ctx, "agreement", user_dir=tmp_path,
                                                             text=edited).data)
