"""类案参考: earlier ended cases of the office ranked by category, village and summary words,
with their outcome and agreement terms; never the case itself, a later one, or another office's."""
from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from mediator.domain.enums import Category
from mediator.domain.errors import PermissionDenied
from mediator.domain.permissions import Role
from mediator.domain.summary_terms import joined, salient_terms
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.similar import similar_cases
from mediator.store.models import Organization
from tests.helpers import VILLAGE_COMMITTEE, agreement_input, applicant, case_input, respondent
from tests.services.cases.test_handlers import _login
from tests.services.test_offices import _as, _hekou_case, two_offices  # noqa: F401 (a fixture)

D = date
DRAIN = "两户因宅前排水沟堵塞发生争执。"
NANJIE = "419901100001"


def _party(name: str, id_number: str, phone: str):
    return applicant(name=name, id_number=None, phone=phone, birth_date=D(1970, 1, 1))


def _ended(ctx, received: D, *, agreed: bool = True, terms=None, **fields) -> int:
    """A case received on ``received``, mediated and ended a month later (agreed or failed)."""
    values = dict(received_on=received, parties=[_party("王五", "419901197001011234", "13700000011"),
                                                 respondent(name="赵六", id_number=None, phone="13700000012")])
    values.update(fields)
    case_id = uc.register_case(ctx, case_input(**values)).id
    uc.accept_case(ctx, case_id, received)
    uc.start_mediation(ctx, case_id, received)
    if agreed:
        uc.conclude_agreement(ctx, case_id, agreement_input(
            D(received.year, received.month + 1, 1), items=terms or ["被申请人三日内疏通排水沟。"],
            performance="当场履行", deadline=None, amount_yuan="500"))
    else:
        uc.fail_mediation(ctx, case_id, "双方分歧较大", D(received.year, received.month + 1, 1))
    return case_id


@pytest.fixture
def cases(county):
    """The case looked at (2026-10-14, 东关村, 邻里, the drain) and earlier and later ones."""
    ids = {
        "best": _ended(county, D(2026, 3, 2), summary="邻居两家宅前排水沟堵塞，污水漫入院内。",
                       terms=["赵六于三日内疏通宅前排水沟。", "疏通费用双方各半负担。"]),
        "other_village": _ended(county, D(2026, 4, 2), summary="宅前排水沟堵塞引发争吵。", village_code=NANJIE,
                                grid=None, agreed=False),
        "same_category": _ended(county, D(2026, 5, 6), summary="两家因院墙高度互不相让。"),
        "words_only": _ended(county, D(2026, 6, 3), summary="村道排水沟堵塞致农田被淹。",
                             category=Category.LAND_FOREST, village_code=NANJIE, grid=None),
        "unrelated": _ended(county, D(2026, 6, 4), summary="夫妻因家庭琐事长期争吵。",
                            category=Category.MARRIAGE_FAMILY, village_code=NANJIE, grid=None),
        "later": _ended(county, D(2026, 7, 1), summary=DRAIN),  # received after 'this' (below)
    }
    open_case = uc.register_case(county, case_input(received_on=D(2026, 2, 1), summary=DRAIN)).id
    ids["open"] = open_case
    ids["this"] = uc.register_case(county, case_input(received_on=D(2026, 6, 20))).id
    return ids


def test_terms_leave_out_names_stop_words_and_numbers():
    terms = salient_terms("张三与李四因宅前排水沟堵塞发生纠纷，损失约3000元。", ["张三", "李四"])
    assert terms == ["宅前排", "损失", "前排水", "排水沟", "水沟堵", "沟堵塞"]
    assert salient_terms("王某与赵某发生纠纷。") == [] and salient_terms("") == []
    assert joined(["共用排", "用排水", "排水沟", "水沟堵", "沟堵塞"]) == ["共用排水沟堵塞"]
    assert joined(["排水沟", "沟堵塞", "争吵"]) == ["排水沟", "沟堵塞", "争吵"]


def test_the_same_category_village_and_words_rank_first(cases, county):
    found = similar_cases(county, cases["this"])
    order = [r.id for r in found]
    assert order == [cases["best"], cases["other_village"], cases["same_category"], cases["words_only"]]
    best = found[0]
    assert best.reasons == ("同类纠纷", "同村（社区）", "“宅前排水沟堵塞”")
    assert best.outcome == "调解成功" and best.terms == ("赵六于三日内疏通宅前排水沟。", "疏通费用双方各半负担。")
    assert (best.amount_yuan, best.performance, best.village, best.category_label) == (
        "500.00", "当场履行", "东关村", "邻里")
    assert found[1].outcome == "调解终止" and found[1].terms == () and found[1].signed_on is None
    assert best.score > found[1].score > found[2].score
    assert [r.id for r in similar_cases(county, cases["this"], limit=2)] == order[:2]  # cut in SQL


def test_the_case_itself_later_and_open_cases_are_left_out(cases, county):
    ids = {r.id for r in similar_cases(county, cases["this"])}
    assert not ids & {cases["this"], cases["later"], cases["open"], cases["unrelated"]}
    # Seen from the later case, the earlier same-summary ones come back, itself does not.
    later = [r.id for r in similar_cases(county, cases["later"])]
    assert cases["later"] not in later and later[0] == cases["best"]


def test_a_case_with_nothing_alike_gets_an_empty_list(cases, county):
    alone = uc.register_case(county, case_input(received_on=D(2026, 9, 1), category=Category.TOURISM,
                                                summary="游客购买景区门票后遇暴雨闭园，退票未果。")).id
    assert similar_cases(county, alone) == []
    first = [r for r in similar_cases(county, cases["best"])]  # nothing ended before it
    assert first == []


def test_another_office_never_sees_nor_shows_the_others_cases(two_offices):  # noqa: F811
    ctx, chengguan, hekou = two_offices
    theirs = _ended(hekou, D(2026, 3, 1), summary=DRAIN, organization="河口镇人民调解委员会",
                    village_code="419901101201", mediators=["赵河"])
    ours = _ended(chengguan, D(2026, 3, 1), summary=DRAIN)
    here = uc.register_case(chengguan, case_input(received_on=D(2026, 6, 1))).id
    there = uc.register_case(hekou, _hekou_case()).id
    assert [r.id for r in similar_cases(chengguan, here)] == [ours]
    assert [r.id for r in similar_cases(hekou, there)] == [theirs]
    # Without a user (the command line) the office of the case still bounds the pool.
    assert [r.id for r in similar_cases(ctx, here)] == [ours]
    with pytest.raises(PermissionDenied):
        similar_cases(hekou, here)


def test_a_mediator_gets_only_cases_they_may_open(cases, county):
    """张满仓 of 东关村人民调解委员会 sees that committee's cases, not the township committee's."""
    village = dict(organization=VILLAGE_COMMITTEE, mediators=["张满仓"])
    theirs = _ended(county, D(2026, 1, 5), summary=DRAIN, **village)
    own = uc.register_case(county, case_input(received_on=D(2026, 6, 21), **village)).id
    assert cases["best"] in {r.id for r in similar_cases(county, own)}  # the office sees all of them
    with county.read() as s:
        org = s.exec(select(Organization.id).where(Organization.name == VILLAGE_COMMITTEE)).one()
    mediator = _as(county, _login(county, "zhangmc", Role.MEDIATOR, org, "张满仓"))
    assert [r.id for r in similar_cases(mediator, own)] == [theirs]
    with pytest.raises(PermissionDenied):
        similar_cases(mediator, cases["this"])


def test_a_two_character_word_counts_for_a_case_found_otherwise(county):
    lent = _ended(county, D(2026, 3, 1), summary="两家邻居之间借款未还。")
    newer = _ended(county, D(2026, 4, 1), summary="两家邻居之间因琐事不和。")
    this = uc.register_case(county, case_input(received_on=D(2026, 6, 1), summary="双方借款，至今未还。")).id
    found = similar_cases(county, this)
    assert [r.id for r in found] == [lent, newer]
    assert found[0].reasons == ("同类纠纷", "同村（社区）", "“借款”") and found[0].score == found[1].score + 1
