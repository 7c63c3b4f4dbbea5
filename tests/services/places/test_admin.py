"""Editing places, organisations and mediators; the overview read models (SQLite and PostgreSQL)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from mediator.domain.enums import OrganizationKind, RegionLevel, VillageKind
from mediator.domain.errors import ConflictError, ValidationError, ValidationErrors
from mediator.services.cases import deadline_settings, open_deadlines
from mediator.services.cases import lifecycle as uc
from mediator.services.places import admin as ra
from mediator.services.places import choices as lookups
from mediator.services.reports import dashboard
from mediator.services.safety import backup
from mediator.store.models import Mediator, Organization, Region
from tests.helpers import DONGGUAN, TOWNSHIP_COMMITTEE, case_input, seed_county

TOWNSHIP = "419901100000"
COUNTY = "419901000000"


@pytest.fixture
def county(ctx):
    seed_county(ctx)
    return ctx


def _by_code(ctx, code: str) -> Region:
    with ctx.read() as s:
        return s.exec(select(Region).where(Region.code == code)).one()


def _by_name(ctx, name: str) -> Region:
    with ctx.read() as s:
        return s.exec(select(Region).where(Region.name == name)).one()


def _error(info) -> tuple[str, str]:
    return info.value.path, info.value.message


def test_tree_lists_every_place_parents_first(county):
    items = ra.region_tree(county)
    assert [i.level for i in items[:2]] == [RegionLevel.COUNTY, RegionLevel.TOWNSHIP]
    dongguan = next(i for i in items if i.code == DONGGUAN)
    assert dongguan.kind is VillageKind.RURAL_VILLAGE and dongguan.kind_label == "农村"
    grids = [i.name for i in items if i.parent_id == dongguan.id]
    assert grids == ["一网格", "二网格", "三网格"]  # grids in the order they were made


def test_township_village_and_grid_are_added_under_their_parents(county):
    county_id = _by_code(county, COUNTY).id
    town_id = ra.add_region(county, county_id, name="河口镇", code="419901101000").id
    village_id = ra.add_region(county, town_id, name="柳树村", code="419901101201",
                               kind=VillageKind.RURAL_VILLAGE).id
    grid_id = ra.add_region(county, village_id, name="柳一网格").id
    with county.read() as s:
        grid = s.get(Region, grid_id)
        village = s.get(Region, village_id)
    assert (grid.level, grid.code, grid.parent_id) == ("grid", None, village_id)
    assert (village.level, village.kind) == ("village", "rural_village")
    assert [c.name for c in lookups.places(county, "grid") if c.parent_id == village_id] == ["柳一网格"]


@pytest.mark.parametrize("code, message", [
    ("41990110120", "区划代码应为12位数字"),
    ("4199011012ab", "区划代码应为12位数字"),
    ("419902100201", "前9位不一致"),
])
def test_village_code_must_be_twelve_digits_with_the_townships_prefix(county, code, message):
    town_id = _by_code(county, TOWNSHIP).id
    with pytest.raises(ValidationError) as info:
        ra.add_region(county, town_id, name="新村", code=code, kind=VillageKind.RURAL_VILLAGE)
    assert info.value.path == "code" and message in info.value.message


def test_village_needs_a_kind_and_a_free_code_and_name(county):
    town_id = _by_code(county, TOWNSHIP).id
    with pytest.raises(ValidationError) as info:
        ra.add_region(county, town_id, name="新村", code="419901100299")
    assert _error(info) == ("kind", "请选择村（社区）类型：城市社区、农村或园区")
    with pytest.raises(ValidationError) as info:
        ra.add_region(county, town_id, name="新村", code=DONGGUAN, kind=VillageKind.RURAL_VILLAGE)
    assert info.value.path == "code" and "东关村" in info.value.message
    with pytest.raises(ValidationError) as info:
        ra.add_region(county, town_id, name="东关村", code="419901100299", kind=VillageKind.RURAL_VILLAGE)
    assert info.value.path == "name"
    with pytest.raises(ValidationError) as info:
        ra.add_region(county, town_id, name="  ", code="419901100299", kind=VillageKind.RURAL_VILLAGE)
    assert _error(info) == ("name", "请填写名称")


def test_nothing_is_added_under_a_grid(county):
    grid = _by_name(county, "一网格")
    with pytest.raises(ValidationError) as info:
        ra.add_region(county, grid.id, name="子网格")
    assert info.value.path == "parent"


def test_rename_checks_the_version_and_the_siblings(county):
    village = _by_code(county, DONGGUAN)
    changes = ra.rename_region(county, village.id, "东关社区", expected_version=village.version)
    assert changes.reference and not changes.cases_changed  # views of places reload, no case list
    assert _by_code(county, DONGGUAN).name == "东关社区"
    with pytest.raises(ConflictError):
        ra.rename_region(county, village.id, "东关村", expected_version=village.version)
    with pytest.raises(ValidationError) as info:
        ra.rename_region(county, village.id, "南街社区")
    assert info.value.path == "name"
    ra.rename_region(county, village.id, "东关社区", kind=VillageKind.URBAN_COMMUNITY)
    assert _by_code(county, DONGGUAN).kind == "urban_community"
    with pytest.raises(ValidationError) as info:
        ra.rename_region(county, _by_code(county, TOWNSHIP).id, "城关镇", kind=VillageKind.URBAN_COMMUNITY)
    assert info.value.path == "kind"


def test_grid_moves_to_another_village(county):
    grid = _by_name(county, "二网格")
    target = _by_code(county, "419901100001")
    ra.move_region(county, grid.id, target.id)
    assert _by_name(county, "二网格").parent_id == target.id


def test_grid_with_cases_stays_in_its_village(county):
    uc.register_case(county, case_input(grid="一网格"))
    grid = _by_name(county, "一网格")
    with pytest.raises(ValidationError) as info:
        ra.move_region(county, grid.id, _by_code(county, "419901100001").id)
    assert info.value.path == "parent" and "案件" in info.value.message


def test_village_moved_to_another_township_needs_a_code_with_the_new_prefix(county):
    county_id = _by_code(county, COUNTY).id
    new_town = ra.add_region(county, county_id, name="河口镇", code="419901101000").id
    village = _by_code(county, DONGGUAN)
    with pytest.raises(ValidationError) as info:
        ra.move_region(county, village.id, new_town)
    assert _error(info) == ("code", "移到“河口镇”须填写以419901101开头的新区划代码")
    with pytest.raises(ValidationError) as info:
        ra.move_region(county, village.id, new_town, new_code="419901100209")
    assert info.value.path == "code"
    ra.move_region(county, village.id, new_town, new_code="419901101201")
    with county.read() as s:
        moved = s.get(Region, village.id)
    assert (moved.code, moved.parent_id) == ("419901101201", new_town)
    assert moved.version == village.version + 1


def test_only_grids_and_villages_move_and_only_to_the_right_level(county):
    town = _by_code(county, TOWNSHIP)
    with pytest.raises(ValidationError) as info:
        ra.move_region(county, town.id, _by_code(county, COUNTY).id)
    assert _error(info) == ("parent", "只能移动网格或村（社区）")
    grid = _by_name(county, "一网格")
    with pytest.raises(ValidationError) as info:
        ra.move_region(county, grid.id, town.id)
    assert _error(info) == ("parent", "网格只能移到村（社区）下")


def test_place_with_unfinished_cases_cannot_be_deactivated(county):
    uc.register_case(county, case_input())
    village = _by_code(county, DONGGUAN)
    with pytest.raises(ValidationError) as info:
        ra.set_region_active(county, village.id, False)
    assert info.value.path == "active" and "1件未办结的案件" in info.value.message
    with pytest.raises(ValidationError):
        ra.set_region_active(county, _by_code(county, TOWNSHIP).id, False)
    assert ra.unfinished_case_count(county, village.id) == 1
    assert _by_code(county, DONGGUAN).active


def test_deactivating_a_village_hides_it_and_its_grids_from_pickers(county):
    village = _by_code(county, "419901100401")
    assert ra.set_region_active(county, village.id, False).count == 2  # the park and its grid
    assert "城关产业园" not in [c.name for c in lookups.places(county, "village")]
    assert "园区网格" not in [c.name for c in lookups.places(county, "grid")]
    assert ra.set_region_active(county, village.id, True).count == 2
    assert "园区网格" in [c.name for c in lookups.places(county, "grid")]


def test_a_place_under_an_inactive_parent_cannot_be_enabled(county):
    village = _by_code(county, "419901100401")
    ra.set_region_active(county, village.id, False)
    grid = _by_name(county, "园区网格")
    with pytest.raises(ValidationError) as info:
        ra.set_region_active(county, grid.id, True)
    assert info.value.path == "active" and "城关产业园" in info.value.message


def test_organisation_added_renamed_and_listed_at_its_place(county):
    village = _by_code(county, "419901100001")
    org_id = ra.add_organization(county, village.id, name="南街社区人民调解委员会",
                                 kind=OrganizationKind.VILLAGE_COMMITTEE, short="南街").id
    ra.update_organization(county, org_id, name="南街社区调委会",
                           kind=OrganizationKind.VILLAGE_COMMITTEE, short="南街社", expected_version=1)
    [org] = ra.organizations_at(county, village.id)
    assert (org.name, org.short, org.version, org.mediators) == ("南街社区调委会", "南街社", 2, [])
    with pytest.raises(ValidationError) as info:
        ra.add_organization(county, village.id, name=TOWNSHIP_COMMITTEE,
                            kind=OrganizationKind.VILLAGE_COMMITTEE, short="x")
    assert info.value.path == "name"
    with pytest.raises(ValidationError) as info:
        ra.add_organization(county, village.id, name="新组织", kind=OrganizationKind.VILLAGE_COMMITTEE,
                            short=" ")
    assert info.value.path == "short"


def test_mediator_phone_is_validated_and_stored_compact(county):
    with county.read() as s:
        org = s.exec(select(Organization).where(Organization.name == TOWNSHIP_COMMITTEE)).one()
    mediator_id = ra.add_mediator(county, org.id, name="赵红梅", phone="138 0371 0009").id
    with pytest.raises(ValidationError) as info:
        ra.add_mediator(county, org.id, name="钱多多", phone="12345")
    assert info.value.path == "phone"
    with pytest.raises(ValidationError) as info:
        ra.add_mediator(county, org.id, name="李建国", phone=None)
    assert info.value.path == "name"
    ra.update_mediator(county, mediator_id, name="赵红梅", phone="", expected_version=1)
    with county.read() as s:
        m = s.get(Mediator, mediator_id)
    assert (m.phone, m.version) == (None, 2)
    names = [p.name for o in ra.organizations_at(county, _by_code(county, TOWNSHIP).id)
             for p in o.mediators]
    assert names == ["李建国", "王秀英", "赵红梅"]


def test_failed_change_writes_nothing(county):
    village = _by_code(county, DONGGUAN)
    with pytest.raises(ValidationError):
        ra.move_region(county, village.id, _by_code(county, TOWNSHIP).id)
    assert _by_code(county, DONGGUAN).version == village.version


# --- overview read models -----------------------------------------------------------------------

def test_status_counts_cover_every_status(county):
    uc.register_case(county, case_input())
    counts = {c.status.value: c.count for c in dashboard.status_counts(county)}
    assert counts["registered"] == 1 and counts["archived"] == 0 and len(counts) == 9


def test_deadline_rows_carry_case_and_days_left(county):
    case_id = uc.register_case(county, case_input(received_on=date(2026, 11, 20))).id
    rows = open_deadlines.deadline_rows(county, date(2026, 11, 29))
    assert [(r.case_id, r.kind, r.due, r.days_left, r.days_text) for r in rows] == [
        (case_id, "escalation", date(2026, 11, 30), 1, "还有1天")]
    assert open_deadlines.deadline_rows(county, date(2026, 12, 3))[0].days_text == "逾期3天"
    assert rows[0].parties == "刘桂兰、杨国强" and rows[0].status_label == "待受理"
    with county.read() as s:
        other = s.exec(select(Organization).where(Organization.name != TOWNSHIP_COMMITTEE)).first()
    assert open_deadlines.deadline_rows(county, date(2026, 11, 29), organization_id=other.id) == []


def test_deadline_buckets_follow_the_calendar_week():
    sunday = date(2026, 11, 29)
    wednesday = date(2026, 11, 25)
    assert open_deadlines.deadline_bucket(date(2026, 11, 24), wednesday) == "overdue"
    assert open_deadlines.deadline_bucket(wednesday, wednesday) == "today"
    assert open_deadlines.deadline_bucket(sunday, wednesday) == "week"
    assert open_deadlines.deadline_bucket(date(2026, 11, 30), wednesday) == "later"
    assert open_deadlines.deadline_bucket(date(2026, 11, 30), sunday) == "later"


def test_settings_saved_together_or_not_at_all(county):
    with pytest.raises(ValidationErrors) as info:
        deadline_settings.save_settings(county, {"office.name": "城关镇司法所", "deadlines.warn_days": -1})
    assert [e.path for e in info.value.errors] == ["deadlines.warn_days"]
    from mediator.services.settings import get_setting
    assert get_setting(county, "office.name") == ""
    deadline_settings.save_settings(county, {"office.name": "城关镇司法所", "deadlines.warn_days": 5,
                                    "deadlines.escalation_grid_days": 2})
    assert get_setting(county, "office.name") == "城关镇司法所"
    assert county.deadline_settings.warn_days == 5
    assert county.deadline_settings.escalation_days["grid"] == 2


def test_schema_is_at_the_newest_revision(county):
    info = backup.schema_info(county)
    assert info.is_current and info.current == info.head
