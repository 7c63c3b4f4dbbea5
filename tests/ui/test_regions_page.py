"""区划网格 page: the tree, the organisations of a place, and every edit going through the services."""
from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from mediator.domain.enums import VillageKind
from mediator.services.places import admin as ra
from mediator.ui.pages.regions import RegionsPage
from mediator.ui.widgets.region_forms import (
    AddRegionDialog,
    ImportFaultsDialog,
    MediatorDialog,
    MoveRegionDialog,
    OrganizationDialog,
    RenameRegionDialog,
)
from tests.helpers import sample_document


@pytest.fixture
def page(env, qtbot, monkeypatch):
    monkeypatch.setattr("mediator.ui.pages.regions.ask", lambda *_args: True)
    widget = RegionsPage(env)
    qtbot.addWidget(widget)
    widget.resize(1148, 760)
    widget.show()
    return widget


def _region(env, name: str) -> ra.RegionItem:
    return next(r for r in ra.region_tree(env.ctx) if r.name == name)


def _select(page: RegionsPage, name: str) -> None:
    assert page.tree.select_region(_region(page.env, name).id)


def _click(qtbot, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _tree_row(page: RegionsPage, name: str) -> list[str]:
    item = page.tree._items[_region(page.env, name).id]
    return [item.text(c) for c in range(item.columnCount())]


def test_tree_shows_codes_kinds_and_state_and_opens_at_the_users_place(page):
    assert _tree_row(page, "示范县") == ["示范县", "419901000000", "县（市、区）", "", "启用"]
    assert _tree_row(page, "南街社区") == ["南街社区", "419901100001", "村（社区）", "城市社区", "启用"]
    assert _tree_row(page, "一网格") == ["一网格", "", "网格", "", "启用"]
    assert page.tree.selected().name == "城关镇"
    orgs = [page.panel.org_table.item(r, 0).text() for r in range(page.panel.org_table.rowCount())]
    assert orgs == ["城关镇人民调解委员会", "城关镇自然资源所"]
    mediators = [(page.panel.mediator_table.item(r, 0).text(), page.panel.mediator_table.item(r, 1).text())
                 for r in range(page.panel.mediator_table.rowCount())]
    assert mediators == [("李建国", "13803710001"), ("王秀英", "13803710002")]
    assert page.add_button.text() == "新增村（社区）…"


def test_selecting_a_village_shows_its_committee_and_mediators(page):
    _select(page, "东关村")
    assert page.panel.title.text() == "东关村"
    assert "农村" in page.panel.details.text()
    assert page.panel.org_table.item(0, 0).text() == "东关村人民调解委员会"
    assert page.panel.mediator_table.item(0, 0).text() == "张满仓"
    _select(page, "一网格")
    assert page.panel.org_table.rowCount() == 0
    assert not page.panel.add_org_button.isEnabled()
    assert not page.add_button.isEnabled()


def test_new_village_is_added_with_code_and_kind(page, qtbot, env):
    _select(page, "城关镇")
    _click(qtbot, page.add_button)
    dialog = page.dialog
    assert isinstance(dialog, AddRegionDialog) and dialog.code.text() == "419901100"
    dialog.name.setText("柳树村")
    qtbot.keyClicks(dialog.code, "202")
    dialog.kind.setCurrentIndex(dialog.kind.findData(VillageKind.RURAL_VILLAGE.value))
    with qtbot.waitSignal(env.signals.reference_changed):
        _click(qtbot, dialog.ok_button)
    village = _region(env, "柳树村")
    assert (village.code, village.kind, village.parent_id) == (
        "419901100202", VillageKind.RURAL_VILLAGE, _region(env, "城关镇").id)
    assert page.tree.selected().name == "柳树村"
    assert "已新增" in page.message.text()


def test_wrong_code_is_shown_under_the_code_field_and_nothing_is_added(page, qtbot, env):
    _select(page, "城关镇")
    _click(qtbot, page.add_button)
    dialog = page.dialog
    dialog.name.setText("柳树村")
    dialog.code.setText("41990110")
    _click(qtbot, dialog.ok_button)
    assert dialog.isVisible()
    assert dialog.field_error("code") == "区划代码应为12位数字"
    dialog.code.setText("419902100202")
    _click(qtbot, dialog.ok_button)
    assert "前9位不一致" in dialog.field_error("code")
    assert "柳树村" not in [r.name for r in ra.region_tree(env.ctx)]


def test_grid_is_added_under_a_village_without_a_code(page, qtbot, env):
    _select(page, "南街社区")
    _click(qtbot, page.add_button)
    dialog = page.dialog
    assert dialog.code is None and dialog.kind is None
    dialog.name.setText("南二网格")
    _click(qtbot, dialog.ok_button)
    grid = _region(env, "南二网格")
    assert grid.parent_id == _region(env, "南街社区").id and grid.code is None


def test_rename_keeps_the_code_and_may_change_the_kind(page, qtbot, env):
    _select(page, "城关产业园")
    _click(qtbot, page.rename_button)
    dialog = page.dialog
    assert isinstance(dialog, RenameRegionDialog)
    dialog.name.setText("城关工业园")
    dialog.kind.setCurrentIndex(dialog.kind.findData(VillageKind.URBAN_COMMUNITY.value))
    _click(qtbot, dialog.ok_button)
    park = _region(env, "城关工业园")
    assert (park.code, park.kind) == ("419901100401", VillageKind.URBAN_COMMUNITY)
    assert _tree_row(page, "城关工业园")[3] == "城市社区"


def test_moving_a_village_to_another_township_proposes_a_code_with_its_prefix(page, qtbot, env):
    ra.add_region(env.ctx, _region(env, "示范县").id, name="河口镇", code="419901101000")
    env.signals.reference_changed.emit()
    _select(page, "南街社区")
    _click(qtbot, page.move_button)
    dialog = page.dialog
    assert isinstance(dialog, MoveRegionDialog)
    assert [dialog.target.itemText(i) for i in range(dialog.target.count())] == ["河口镇（419901101000）"]
    assert dialog.code.text() == "419901101001"
    dialog.code.setText("419901100001")
    _click(qtbot, dialog.ok_button)
    assert "前9位不一致" in dialog.field_error("code")
    dialog.code.setText("419901101001")
    _click(qtbot, dialog.ok_button)
    moved = _region(env, "南街社区")
    assert (moved.code, moved.parent_id) == ("419901101001", _region(env, "河口镇").id)


def test_grid_moves_to_another_village(page, qtbot, env):
    _select(page, "园区网格")
    _click(qtbot, page.move_button)
    dialog = page.dialog
    dialog.target.setCurrentIndex(dialog.target.findText("南街社区（419901100001）"))
    _click(qtbot, dialog.ok_button)
    assert _region(env, "园区网格").parent_id == _region(env, "南街社区").id


def test_place_with_open_cases_is_not_deactivated(page, qtbot, env):
    _select(page, "东关村")
    _click(qtbot, page.active_button)
    assert "未办结的案件" in page.message.text() and not page.message.isHidden()
    assert _region(env, "东关村").active


def test_deactivate_and_enable_a_place_with_its_grids(page, qtbot, env):
    _select(page, "城关产业园")
    assert page.active_button.text() == "停用"
    _click(qtbot, page.active_button)
    assert not _region(env, "城关产业园").active and not _region(env, "园区网格").active
    assert page.tree.selected().name == "城关产业园"
    assert _tree_row(page, "城关产业园")[4] == "已停用"
    assert page.active_button.text() == "启用"
    page.show_inactive.setChecked(False)
    assert _region(env, "城关产业园").id not in page.tree._items
    page.show_inactive.setChecked(True)
    _select(page, "城关产业园")
    _click(qtbot, page.active_button)
    assert _region(env, "园区网格").active


def test_deactivation_needs_a_yes(page, qtbot, env, monkeypatch):
    monkeypatch.setattr("mediator.ui.pages.regions.ask", lambda *_args: False)
    _select(page, "城关产业园")
    _click(qtbot, page.active_button)
    assert _region(env, "城关产业园").active


def test_organisation_and_mediator_are_added_with_checked_phone(page, qtbot, env):
    _select(page, "南街社区")
    _click(qtbot, page.panel.add_org_button)
    dialog = page.panel.dialog
    assert isinstance(dialog, OrganizationDialog)
    dialog.name.setText("南街社区人民调解委员会")
    _click(qtbot, dialog.ok_button)
    assert dialog.field_error("short") == "请填写案号简称，如“城关”"
    dialog.short.setText("南街")
    with qtbot.waitSignal(env.signals.reference_changed):
        _click(qtbot, dialog.ok_button)
    assert page.panel.org_table.item(0, 0).text() == "南街社区人民调解委员会"

    _click(qtbot, page.panel.add_mediator_button)
    dialog = page.panel.dialog
    assert isinstance(dialog, MediatorDialog)
    dialog.name.setText("周玉梅")
    qtbot.keyClicks(dialog.phone, "12345")
    _click(qtbot, dialog.ok_button)
    assert "电话" in dialog.field_error("phone")
    dialog.phone.setText("13803710021")
    _click(qtbot, dialog.ok_button)
    [org] = ra.organizations_at(env.ctx, _region(env, "南街社区").id)
    assert [(m.name, m.phone) for m in org.mediators] == [("周玉梅", "13803710021")]
    assert page.panel.mediator_table.item(0, 1).text() == "13803710021"


def test_organisation_is_renamed(page, qtbot, env):
    _select(page, "东关村")
    _click(qtbot, page.panel.edit_org_button)
    dialog = page.panel.dialog
    dialog.name.setText("东关村调委会")
    _click(qtbot, dialog.ok_button)
    [org] = ra.organizations_at(env.ctx, _region(env, "东关村").id)
    assert (org.name, org.short, org.version) == ("东关村调委会", "东关", 2)


def _exchange(tmp_path, regions: list[dict]):
    doc = {"format": sample_document()["format"], "regions": regions}
    path = tmp_path / "exchange.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_import_button_imports_the_chosen_file(page, qtbot, env, tmp_path, monkeypatch):
    path = _exchange(tmp_path, [{"code": "419901100203", "name": "西关村", "level": "village",
                                 "kind": "rural_village", "parent": "419901100000",
                                 "grids": ["西一网格"]}])
    monkeypatch.setattr("mediator.ui.pages.regions.QFileDialog.getOpenFileName",
                        lambda *_args, **_kw: (str(path), ""))
    with qtbot.waitSignal(env.signals.reference_changed):
        _click(qtbot, page.import_button)
    assert _region(env, "西关村").code == "419901100203"
    assert _region(env, "西一网格").parent_id == _region(env, "西关村").id
    assert page.message.text().startswith("导入完成")


def test_import_faults_are_listed_by_path_and_nothing_is_written(page, env, tmp_path):
    path = _exchange(tmp_path, [
        {"code": "419901100203", "name": "西关村", "level": "village", "kind": "rural_village",
         "parent": "419901100000"},
        {"code": "4199", "name": "坏村", "level": "village", "kind": "rural_village",
         "parent": "419901100000"},
    ])
    page.import_file(str(path))
    dialog = page.dialog
    assert isinstance(dialog, ImportFaultsDialog)
    lines = [dialog.faults.item(i).text() for i in range(dialog.faults.count())]
    assert lines and lines[0].startswith("regions[1]")
    assert "区划代码应为12位数字" in lines[0]
    assert "导入失败" in page.message.text()
    assert "西关村" not in [r.name for r in ra.region_tree(env.ctx)]


def test_village_cannot_be_moved_when_there_is_no_other_township(page, qtbot):
    _select(page, "东关村")
    _click(qtbot, page.move_button)
    dialog = page.dialog
    assert dialog.target.count() == 0 and not dialog.ok_button.isEnabled()


def test_importing_runs_off_the_ui_thread_and_can_be_cancelled(env, qtbot, tmp_path):
    import json

    from mediator.services.cases.read import CaseFilter, count_cases
    from mediator.ui.ops import CancelToken
    from mediator.ui.pages.regions import RegionsPage
    from tests.helpers import sample_document

    calls = []

    class CancellingRunner:
        def run(self, fn, *, on_done, on_error, parent=None, label=None, cancellable=False):
            calls.append((label, cancellable))
            token = CancelToken()
            token.cancel()
            try:
                on_done(fn(cancel=token))
            except Exception as exc:
                on_error(exc)
            return token

    page = RegionsPage(env)
    qtbot.addWidget(page)
    doc = sample_document()
    for case in doc["cases"]:
        case["ref"] += "-B"
    path = tmp_path / "more.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    before = count_cases(env.ctx, CaseFilter())
    env.runner = CancellingRunner()
    page.import_file(str(path))
    assert calls and calls[0][1] is True
    assert count_cases(env.ctx, CaseFilter()) == before


def test_a_mediators_id_number_and_village_are_kept_for_the_conflict_check(page, qtbot, env):
    from sqlmodel import select

    from mediator.store.models import Mediator

    _select(page, "东关村")
    page.panel.mediator_table.selectRow(0)
    _click(qtbot, page.panel.edit_mediator_button)
    dialog = page.panel.dialog
    assert isinstance(dialog, MediatorDialog) and dialog.name.text() == "张满仓"
    assert dialog.village.currentText() == "（未填写）"
    qtbot.keyClicks(dialog.id_number, "419901197108093511")  # wrong check digit
    _click(qtbot, dialog.ok_button)
    assert "身份证号" in dialog.field_error("id_number")
    dialog.id_number.setText("419901197108093512")
    dialog.village.setCurrentIndex(dialog.village.findText("东关村"))
    with qtbot.waitSignal(env.signals.reference_changed):
        _click(qtbot, dialog.ok_button)
    with env.ctx.read() as session:
        m = session.exec(select(Mediator).where(Mediator.name == "张满仓")).one()
        assert (m.id_number, m.birth_date.isoformat(), m.village_id) == (
            "419901197108093512", "1971-08-09", _region(env, "东关村").id)
