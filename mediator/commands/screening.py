"""`mediator-cli screening …`: 矛盾纠纷排查 — plan a round (plan), record a held round with its
findings (record), list the rounds (list)."""
from __future__ import annotations

import argparse

from mediator.commands._support import day, print_json
from mediator.domain.enums import Category
from mediator.domain.screening import FindingKind, Prevention, PreventionFlag, RoundStatus, ScreeningKind

_KIND = {k.label: k for k in ScreeningKind} | {k.label[:2]: k for k in ScreeningKind} | \
    {k.value: k for k in ScreeningKind}
CASE_KEYS = {"parties", "summary", "mediators", "category", "org"}
PREVENTED_KEYS = {"summary", "parties", "people", "how", "flags"}


def _kind(text: str) -> ScreeningKind:
    if text not in _KIND:
        raise argparse.ArgumentTypeError(f"排查类型“{text}”无效，可选：常规、节前、专项")
    return _KIND[text]


def _fields(keys: set[str], what: str):
    """``key=value;key=value`` → dict, refusing keys not in ``keys``."""
    def parse(text: str) -> dict[str, str]:
        out = {}
        for part in (p for p in text.split(";") if p.strip()):
            key, sep, value = part.partition("=")
            if not sep or key.strip() not in keys:
                raise argparse.ArgumentTypeError(f"{what}“{part}”无效，应写成 键=值，键可为：{'、'.join(sorted(keys))}")
            out[key.strip()] = value.strip()
        flags = [f for f in out.get("flags", "").split(",") if f]
        wrong = [f for f in flags if f not in {x.value for x in PreventionFlag}]
        if wrong:
            raise argparse.ArgumentTypeError(f"预防成效“{'，'.join(wrong)}”无效，可选：suicide、criminal、"
                                             "group_petition、group_fight")
        if out.get("category") and out["category"] not in {c.value for c in Category} | {c.label for c in Category}:
            raise argparse.ArgumentTypeError(f"纠纷类型“{out['category']}”无效")
        return out
    return parse


def register(sub, common: argparse.ArgumentParser) -> None:
    screening = sub.add_parser("screening", parents=[common], help="矛盾纠纷排查：计划、登记结果、列表")
    what = screening.add_subparsers(dest="screening_command", required=True, metavar="子命令")

    plan = what.add_parser("plan", parents=[common], help="计划排查（村、社区或网格）")
    plan.add_argument("--village", metavar="CODE", required=True, help="村（社区）12位区划代码")
    plan.add_argument("--grid", metavar="NAME", help="网格名称（不填：整个村、社区）")
    plan.add_argument("--kind", type=_kind, default=ScreeningKind.REGULAR, help="常规、节前、专项（默认常规）")
    plan.add_argument("--risk", default="", help="节前排查的节日或专项排查的风险")
    plan.add_argument("--on", type=day, help="计划排查日期（默认今天）")
    plan.add_argument("--due", type=day, help="排查截止日期（默认当月月底）")
    plan.add_argument("--monthly", action="store_true", help="常规排查按月重复：登记结果后自动计划下月")
    plan.add_argument("--org", help="负责排查的调解组织（默认本人所在组织）")
    plan.set_defaults(handler=_plan)

    record = what.add_parser("record", parents=[common], help="登记排查结果")
    record.add_argument("id", type=int, help="排查计划编号")
    record.add_argument("--on", type=day, help="排查日期（默认今天）")
    record.add_argument("--by", required=True, help="排查人员（多人用顿号分隔）")
    record.add_argument("--places", required=True, help="走访地点")
    record.add_argument("--notes", default="", help="排查情况")
    record.add_argument("--case", action="append", default=[], type=_fields(CASE_KEYS, "登记案件"),
                        help="登记为案件：parties=当事人（顿号分隔）;summary=纠纷情况;mediators=调解员;"
                             "category=纠纷类型代码;org=调解组织（可重复）")
    record.add_argument("--prevented", action="append", default=[], type=_fields(PREVENTED_KEYS, "预防记录"),
                        help="预防记录：summary=纠纷情况;parties=涉及人员;people=人数;how=化解措施;"
                             "flags=suicide,criminal,group_petition,group_fight（可重复）")
    record.add_argument("--nothing", action="store_true", help="未发现矛盾纠纷")
    record.set_defaults(handler=_record)

    listing = what.add_parser("list", parents=[common], help="排查计划和结果")
    listing.add_argument("--status", choices=[s.value for s in RoundStatus], help="planned 待排查 / held 已排查")
    listing.add_argument("--json", action="store_true", help="以JSON输出")
    listing.set_defaults(handler=_list)


def _plan(ctx, args: argparse.Namespace) -> int:
    from mediator.services.screening.planning import PlanInput, plan_round

    found = plan_round(ctx, PlanInput(village_code=args.village, grid=args.grid, kind=args.kind, risk=args.risk,
                                      planned_on=args.on, due_on=args.due, monthly=args.monthly,
                                      organization=args.org))
    print(f"已计划排查，编号{found.id}")
    return 0


def _category(text: str) -> Category:
    return next(c for c in Category if text in (c.value, c.label))  # checked when parsed


def _people(text: str) -> int:
    return int(text) if text.strip().isdigit() else 0  # 0 is refused by the check, naming the field


def _record(ctx, args: argparse.Namespace) -> int:
    from mediator.services.screening.recording import CaseFinding, FindingInput, HeldInput, record_round

    findings = [FindingInput(FindingKind.CASE, case=CaseFinding(
        parties=c.get("parties", ""), summary=c.get("summary", ""),
        mediators=[m for m in c.get("mediators", "").replace("，", "、").split("、") if m],
        category=_category(c["category"]) if c.get("category") else Category.OTHER, organization=c.get("org")))
        for c in args.case]
    findings += [FindingInput(FindingKind.PREVENTED, prevention=Prevention(
        summary=p.get("summary", ""), parties=p.get("parties", ""), how=p.get("how", ""),
        people=_people(p.get("people", "1")),
        flags=[PreventionFlag(f) for f in p.get("flags", "").split(",") if f]))
        for p in args.prevented]
    if args.nothing:
        findings.append(FindingInput(FindingKind.NOTHING))
    record_round(ctx, args.id, HeldInput(held_on=args.on or ctx.today(), held_by=args.by,
                                         places_visited=args.places, notes=args.notes, findings=findings))
    print(f"已登记排查{args.id}的结果：{len(findings)}项")
    return 0


def _list(ctx, args: argparse.Namespace) -> int:
    from mediator.services.screening.rows import list_rounds

    rows = list_rounds(ctx, status=RoundStatus(args.status) if args.status else None)
    if args.json:
        print_json([r.to_json() for r in rows])
        return 0
    today = ctx.today()
    for r in rows:
        state = "已逾期" if r.overdue(today) else r.status_label
        held = f"  {r.held_on.isoformat()} {r.held_by}  {r.findings_text}" if r.held_on else ""
        print(f"  {r.id}  {r.place}  {r.kind_label}  截止{r.due_on.isoformat()}  {state}{held}")
    print(f"共{len(rows)}轮排查")
    return 0
