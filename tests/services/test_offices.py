"""Several offices on one database: settings per office over county defaults, a new office's
request to join and its approval, numbers, seal text and visibility kept apart."""
from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from mediator.domain.errors import NotFoundError, PermissionDenied, ValidationErrors
from mediator.services.access import check_case_visible
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.read import CaseFilter, case_detail, list_cases
from mediator.services.documents.rendering import render_document
from mediator.services.exchange.importer import import_document
from mediator.services.offices import JoinRequest, approve_office, office_rows, refuse_office, request_join
from mediator.services.safety.auth import LoginError, authenticate
from mediator.services.settings import COUNTY, all_settings, get_setting, set_setting
from tests.helpers import agreement_input, applicant, case_input, respondent, seed_county
from tests.services.safety.test_auth import PASSWORD, _setup

HEKOU = JoinRequest(office_name="河口镇司法所", organization_name="河口镇人民调解委员会", short="河口",
                    seal_text="河口镇人民调解委员会（印）", township_code="419901101",
                    township_name="河口镇", admin_username="hekou", admin_display_name="赵所长",
                    admin_password="hekou2026a")


def _text(data: bytes) -> str:
    return "".join(re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(io.BytesIO(data)).pages)


def _as(ctx, user):
    return replace(ctx, user=user, actor=user.display_name, _local=type(ctx._local)())


@pytest.fixture
def two_offices(ctx):
    """城关镇司法所 (set up first) and 河口镇司法所 (joined and approved), each with a mediator."""
    chengguan = _setup(ctx)
    seed_county(ctx)
    set_setting(ctx, "office.seal_text", "城关镇人民调解委员会（印）")
    request_join(ctx, HEKOU)
    approve_office(_as(ctx, chengguan), "河口镇司法所")
    import_document(ctx, {"format": "mediator-case/1", "regions": [
        {"code": "419901101201", "name": "河口村", "level": "village", "kind": "rural_village",
         "parent": "419901101000", "grids": ["一网格"]}],
        "organizations": [], "mediators": [{"name": "赵河", "organization": "河口镇人民调解委员会"}],
        "advisors": [], "cases": []})
    hekou = authenticate(ctx, "hekou", "hekou2026a")
    return ctx, _as(ctx, chengguan), _as(ctx, hekou)


def _hekou_case():
    return case_input(organization="河口镇人民调解委员会", village_code="419901101201", mediators=["赵河"])


def test_a_request_waits_for_an_approval_before_its_admin_logs_in(ctx):
    admin = _setup(ctx)
    assert request_join(ctx, HEKOU) == "河口镇司法所"
    with pytest.raises(LoginError) as info:
        authenticate(ctx, "hekou", "hekou2026a")
    assert "尚待服务器管理员批准" in str(info.value)
    pending = office_rows(_as(ctx, admin), pending_only=True)
    assert [(r.name, r.short, r.status_label, r.admins) for r in pending] == [
        ("河口镇司法所", "河口", "待批准", ("hekou",))]
    approve_office(_as(ctx, admin), "河口镇司法所")
    assert authenticate(ctx, "hekou", "hekou2026a").display_name == "赵所长"
    assert office_rows(_as(ctx, admin), pending_only=True) == []
    with pytest.raises(NotFoundError):
        approve_office(_as(ctx, admin), "河口镇司法所")


def test_a_bad_request_names_its_fields_and_stores_nothing(ctx):
    _setup(ctx)
    bad = replace(HEKOU, short="", township_code="12", admin_username="admin", admin_password="short")
    with pytest.raises(ValidationErrors) as info:
        request_join(ctx, bad)
    assert {e.path for e in info.value.errors} >= {"short", "township_code", "admin_password"}
    with pytest.raises(ValidationErrors) as info:
        request_join(ctx, replace(HEKOU, admin_username="admin"))
    assert info.value.errors[0].message == "用户名“admin”已被使用"
    assert office_rows(ctx) == [r for r in office_rows(ctx) if r.status == "active"]


def test_a_refused_request_is_removed(ctx):
    admin = _setup(ctx)
    request_join(ctx, HEKOU)
    refuse_office(_as(ctx, admin), "河口镇司法所")
    assert [r.name for r in office_rows(ctx)] == ["城关镇司法所"]
    with pytest.raises(LoginError):
        authenticate(ctx, "hekou", "hekou2026a")


def test_only_an_administrator_approves(two_offices):
    ctx, chengguan, _ = two_offices
    from mediator.services.safety.auth import Role, create_user

    create_user(ctx, username="li", display_name="李调解", password=PASSWORD, role=Role.MEDIATOR,
                organization_id=chengguan.user.organization_id)
    request_join(ctx, replace(HEKOU, office_name="西岭乡司法所", organization_name="西岭乡人民调解委员会",
                              short="西岭", township_code="419901102", township_name="西岭乡",
                              admin_username="xiling"))
    with pytest.raises(PermissionDenied):
        approve_office(_as(ctx, authenticate(ctx, "li", PASSWORD)), "西岭乡司法所")


def test_office_settings_fall_back_to_the_county_then_the_default(two_offices):
    ctx, chengguan, hekou = two_offices
    assert get_setting(hekou, "office.name") == "河口镇司法所"
    assert get_setting(chengguan, "office.name") == "城关镇司法所"  # the county row, as set up
    assert get_setting(hekou, "deadlines.follow_up_days") == 7  # the declared default
    set_setting(ctx, "deadlines.follow_up_days", 10, COUNTY)
    assert get_setting(hekou, "deadlines.follow_up_days") == 10  # the county default
    set_setting(hekou, "deadlines.follow_up_days", 5)  # its own, with several offices
    assert get_setting(hekou, "deadlines.follow_up_days") == 5
    assert get_setting(chengguan, "deadlines.follow_up_days") == 10
    assert all_settings(hekou)["office.seal_text"] == "河口镇人民调解委员会（印）"
    set_setting(hekou, "backup.keep", 3)  # county-wide, whoever sets it
    assert get_setting(chengguan, "backup.keep") == 3


def test_two_offices_number_print_and_see_apart(two_offices):
    ctx, chengguan, hekou = two_offices
    numbers = []
    for _ in range(2):
        numbers.append(case_detail(chengguan, uc.register_case(chengguan, case_input()).id).number)
        numbers.append(case_detail(hekou, uc.register_case(hekou, _hekou_case()).id).number)
    assert numbers == ["（2026）城关人调字第1号", "（2026）河口人调字第1号",
                       "（2026）城关人调字第2号", "（2026）河口人调字第2号"]

    def agreed(office, case):
        case_id = uc.register_case(office, case).id
        uc.accept_case(office, case_id, date(2026, 10, 15))
        uc.start_mediation(office, case_id, date(2026, 10, 16))
        uc.conclude_agreement(office, case_id, agreement_input(date(2026, 10, 20)))
        return case_id

    ours, theirs = agreed(chengguan, case_input()), agreed(hekou, _hekou_case())
    text = _text(render_document(hekou, theirs, "agreement", "pdf"))
    assert "河口镇人民调解委员会（印）" in text and "城关镇人民调解委员会（印）" not in text
    text = _text(render_document(chengguan, ours, "agreement", "pdf"))
    assert "城关镇人民调解委员会（印）" in text and "河口镇" not in text

    def seen(office):
        return {row.number for row in list_cases(office, CaseFilter())}
    assert {n for n in seen(hekou)} == {n for n in seen(hekou) if "河口" in n} and len(seen(hekou)) == 3
    assert all("城关" in n for n in seen(chengguan)) and len(seen(chengguan)) == 3
    with pytest.raises(PermissionDenied):
        check_case_visible(hekou, None, ours)
    with pytest.raises(PermissionDenied):
        check_case_visible(chengguan, None, theirs)
    assert len({n for n in seen(ctx)}) == 6  # the command line (no user): the whole county


def test_each_office_keeps_its_forms_in_the_database_with_their_history(two_offices, tmp_path):
    from mediator.documents.spec import FormError
    from mediator.services.documents.forms import copy_form, reset_form, save_form
    from mediator.services.documents.office_forms import export_form, form_history, import_form, sync_forms

    ctx, chengguan, hekou = two_offices
    pc1, pc2, pc3 = tmp_path / "pc1", tmp_path / "pc2", tmp_path / "pc3"
    text = copy_form(hekou, "agreement", pc1).read_text(encoding="utf-8")
    save_form(hekou, "agreement", text.replace("人民调解协议书", "河口人民调解协议书", 1), pc1)
    assert sync_forms(hekou, pc2) == 1  # another PC of 河口: the same form
    assert "河口人民调解协议书" in (pc2 / "agreement.toml").read_text(encoding="utf-8")
    assert sync_forms(chengguan, pc3) == 0 and not list(pc3.glob("*.toml"))  # 城关: the shipped one
    assert [(v.action, v.saved_by) for v in form_history(hekou, "agreement")] == [
        ("保存修改", "赵所长"), ("复制并编辑", "赵所长")]
    exported = export_form(hekou, "agreement", tmp_path / "out.toml")
    import_form(chengguan, "agreement", exported, pc3)
    assert "河口人民调解协议书" in (pc3 / "agreement.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text("[[blocks]]\ntype = \"nonsense\"\n", encoding="utf-8")
    with pytest.raises(FormError):
        import_form(chengguan, "agreement", bad, pc3)
    assert reset_form(hekou, "agreement", pc2)
    assert sync_forms(hekou, pc1) == 0 and not (pc1 / "agreement.toml").exists()  # 恢复默认 on every PC
    assert form_history(hekou, "agreement")[0].action == "恢复默认"


def test_forms_edited_before_the_database_kept_them_are_taken_in(ctx, tmp_path):
    from mediator.services.documents.office_forms import form_history, sync_forms
    from mediator.services.documents.rendering import BUILTIN_FORMS

    _setup(ctx)
    old = tmp_path / "forms"
    old.mkdir()
    (old / "rejection.toml").write_text((BUILTIN_FORMS / "rejection.toml").read_text(encoding="utf-8"),
                                        encoding="utf-8")
    assert sync_forms(ctx, old) == 1 and (old / "rejection.toml").is_file()
    assert [v.action for v in form_history(ctx, "rejection")] == ["导入"]


def test_two_offices_registering_at_once_keep_their_own_gap_free_numbers(two_offices):
    from concurrent.futures import ThreadPoolExecutor

    ctx, chengguan, hekou = two_offices

    def register(office, case, count):
        return [case_detail(office, uc.register_case(office, case).id).number for _ in range(count)]

    with ThreadPoolExecutor(max_workers=2) as pool:
        ours = pool.submit(register, chengguan, case_input(), 6)
        # Other parties: two transactions creating the same new person at once is another race.
        others = [applicant(name="孙玉芬", id_number=None, phone="13700000011"),
                  respondent(name="周大勇", id_number=None, phone="13700000012")]
        theirs = pool.submit(register, hekou, replace(_hekou_case(), parties=others), 6)
        ours, theirs = ours.result(timeout=120), theirs.result(timeout=120)
    assert ours == [f"（2026）城关人调字第{i}号" for i in range(1, 7)]
    assert theirs == [f"（2026）河口人调字第{i}号" for i in range(1, 7)]


def test_a_county_level_head_or_admin_sees_every_township(two_offices):
    from mediator.domain.enums import OrganizationKind
    from mediator.services.places.reference import upsert_organization
    from mediator.services.safety.auth import Role, create_user

    ctx, chengguan, hekou = two_offices
    uc.register_case(chengguan, case_input())
    uc.register_case(hekou, _hekou_case())
    with ctx.transaction() as session:
        county_org, _ = upsert_organization(session, name="示范县司法局", kind=OrganizationKind.ADMINISTRATIVE,
                                            region_code="419901000000", short="示范县")
        county_id = county_org.id
    for username, role in (("xianzhang", Role.HEAD), ("xianadmin", Role.ADMIN)):
        create_user(ctx, username=username, display_name="县里", password=PASSWORD, role=role,
                    organization_id=county_id)
        county = _as(ctx, authenticate(ctx, username, PASSWORD))
        assert len(list_cases(county, CaseFilter())) == 2


def test_each_office_computes_its_cases_deadlines_with_its_own_settings(two_offices):
    from mediator.services.cases.deadline_settings import recompute_all_deadlines

    ctx, chengguan, hekou = two_offices
    set_setting(hekou, "deadlines.escalation_village_days", 4)

    def handling_due(office, case):
        case_id = uc.register_case(office, case).id
        uc.accept_case(office, case_id, date(2026, 10, 15))
        return case_id

    ours, theirs = handling_due(chengguan, case_input()), handling_due(hekou, _hekou_case())

    def dues(case_id):
        return {d.kind: d.due for d in case_detail(ctx, case_id).deadlines}
    assert dues(ours)["escalation"] == date(2026, 10, 26) and dues(theirs)["escalation"] < date(2026, 10, 26)
    before = dues(ours), dues(theirs)
    recompute_all_deadlines(hekou)  # as 河口 (its settings in the context): 城关's cases keep theirs
    assert (dues(ours), dues(theirs)) == before
