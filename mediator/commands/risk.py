"""`mediator-cli risk …`: 风险预警 — the open warnings (alerts), the scan for stalled high-risk
cases (scan), 确认并记录跟进 (ack) and the office's rules (rules)."""
from __future__ import annotations

import argparse

from mediator.commands._support import day, print_json


def register(sub, common: argparse.ArgumentParser) -> None:
    risk = sub.add_parser("risk", parents=[common], help="风险监测预警：预警列表、检查、确认跟进、预警规则")
    what = risk.add_subparsers(dest="risk_command", required=True, metavar="子命令")

    alerts = what.add_parser("alerts", parents=[common], help="未处理的风险预警")
    alerts.add_argument("--on", type=day, help="按该日的情况列出（默认今天）")
    alerts.add_argument("--handled", action="store_true", help="改为列出已确认处理的预警")
    alerts.add_argument("--json", action="store_true",
                        help="以JSON输出：[{ref, number, rule, level, since}]，rule为规则名称，level为低/中/高")
    alerts.set_defaults(handler=_alerts)

    scan = what.add_parser("scan", parents=[common], help="检查高风险案件久无进展（每日自动检查，亦可随时运行）")
    scan.add_argument("--on", type=day, help="按该日检查（默认今天）")
    scan.set_defaults(handler=_scan)

    ack = what.add_parser("ack", parents=[common], help="确认预警并记录跟进情况")
    ack.add_argument("id", type=int, help="预警编号（见 risk alerts）")
    ack.add_argument("--who", required=True, help="跟进人")
    ack.add_argument("--note", required=True, help="跟进情况（采取了哪些措施）")
    ack.set_defaults(handler=_ack)

    rules = what.add_parser("rules", parents=[common], help="本所的预警规则")
    rules.set_defaults(handler=_rules)


def _alerts(ctx, args: argparse.Namespace) -> int:
    from mediator.services.risk.alerts import risk_alerts

    on = args.on or ctx.today()
    rows = risk_alerts(ctx, on=on, handled=args.handled)
    if args.json:
        print_json([r.as_json() for r in rows])
        return 0
    for r in rows:
        line = f"  [{r.id}] {r.number}  {r.rule_label}  {r.level_label}  自{r.since.isoformat()}  {r.detail}"
        if r.handled:
            line += f"  跟进人：{r.follow_up_by}；{r.follow_up}"
        print(line)
    print(f"共{len(rows)}条{'已处理' if args.handled else '未处理'}的预警（{on.isoformat()}）")
    return 0


def _scan(ctx, args: argparse.Namespace) -> int:
    from mediator.services.risk.evaluate import scan_risks

    raised = scan_risks(ctx, args.on)
    print(f"检查完成，新增{len(raised)}条预警")
    return 0


def _ack(ctx, args: argparse.Namespace) -> int:
    from mediator.services.risk.alerts import acknowledge_alert

    acknowledge_alert(ctx, args.id, args.who, args.note)
    print(f"预警{args.id}已确认，跟进情况已记录")
    return 0


def _rules(ctx, _args: argparse.Namespace) -> int:
    from mediator.services.risk.rules import office_rules

    for rule in office_rules(ctx):
        state = "启用" if rule.enabled else "停用"
        print(f"  {rule.label}（{rule.kind.value}）  {state}  等级{rule.level.label}  {rule.describe()}")
    return 0
