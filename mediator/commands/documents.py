"""`mediator-cli documents …` (and the short forms `doc`, `dossier`, `verify`): official documents."""
from __future__ import annotations

import argparse
from pathlib import Path

FORMATS = ("pdf", "docx")
EXIT_NOT_GENUINE = 3


def register(sub, common) -> None:
    docs = sub.add_parser("documents", parents=[common], help="文书：生成、卷宗、验证、出具记录")
    what = docs.add_subparsers(dest="documents_command", required=True, metavar="子命令")

    render = what.add_parser("render", parents=[common], help="生成并出具一份文书（PDF或DOCX）")
    _render_arguments(render)
    doc = sub.add_parser("doc", parents=[common], help="生成并出具一份文书（同 documents render）")
    _render_arguments(doc)

    dossier = what.add_parser("dossier", parents=[common], help="生成案件卷宗（一个PDF）")
    _dossier_arguments(dossier)
    short = sub.add_parser("dossier", parents=[common], help="生成案件卷宗（同 documents dossier）")
    _dossier_arguments(short)

    verify = what.add_parser("verify", parents=[common], help="验证文书文件是否为本单位出具且未被改动")
    _verify_arguments(verify)
    verify_short = sub.add_parser("verify", parents=[common], help="验证文书文件（同 documents verify）")
    _verify_arguments(verify_short)

    issued = what.add_parser("list", parents=[common], help="列出一件案件已出具的文书")
    issued.add_argument("ref", help="案号或导入时的ref")
    issued.set_defaults(handler=_list)

    forms = what.add_parser("forms", parents=[common], help="列出可用的文书格式（含本机修改过的）")
    forms.set_defaults(handler=_forms)


def _render_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("ref", help="案号或导入时的ref")
    p.add_argument("form", help="文书编号，如 agreement、application、termination")
    p.add_argument("-o", "--output", type=Path, required=True, help="输出文件（.pdf 或 .docx）")
    p.add_argument("--format", choices=FORMATS, help="文件格式（默认按输出文件扩展名）")
    p.add_argument("--draft", action="store_true", help="只生成草稿：不登记、不带验证码")
    p.set_defaults(handler=_render)


def _dossier_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("ref", help="案号或导入时的ref")
    p.add_argument("-o", "--output", type=Path, required=True, help="输出的PDF文件")
    p.add_argument("--draft", action="store_true", help="只生成草稿：不登记、不带验证码")
    p.set_defaults(handler=_dossier)


def _verify_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, nargs="?", help="要验证的PDF或DOCX文件")
    p.add_argument("--code", help="按纸质文书上的验证码查询登记")
    p.set_defaults(handler=_verify)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)


def _render(ctx, args: argparse.Namespace) -> int:
    from mediator.domain.errors import ValidationError
    from mediator.services.cases.read import find_case_id
    from mediator.services.documents.issuing import issue_document
    from mediator.services.documents.rendering import record_draft, render

    fmt = args.format or args.output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValidationError("format", f"无法从“{args.output.name}”判断格式：请用 .pdf 或 .docx，或加 --format")
    case_id = find_case_id(ctx, args.ref)
    if args.draft:
        document = render(ctx, case_id, args.form, fmt)
        data, warnings, code = document.data, document.warnings, ""
    else:
        issued = issue_document(ctx, case_id, args.form, fmt)
        data, warnings, code = issued.data, list(issued.warnings), issued.info.verify_code
    _write(args.output, data)
    if args.draft:
        record_draft(ctx, case_id, document, args.output)
    for warning in warnings:
        print(f"注意：{warning}")
    suffix = f"（验证码 {code}，已登记）" if code else "（草稿，未登记）"
    print(f"已生成 {args.output}{suffix}")
    return 0


def _dossier(ctx, args: argparse.Namespace) -> int:
    from mediator.services.cases.read import find_case_id
    from mediator.services.documents.dossier_pdf import build_dossier, issue_dossier
    from mediator.services.documents.rendering import record_draft

    case_id = find_case_id(ctx, args.ref)
    if args.draft:
        document = build_dossier(ctx, case_id)
        data, warnings, code = document.data, document.warnings, ""
    else:
        issued = issue_dossier(ctx, case_id)
        data, warnings, code = issued.data, list(issued.warnings), issued.info.verify_code
    _write(args.output, data)
    if args.draft:
        record_draft(ctx, case_id, document, args.output)
    for warning in warnings:
        print(f"注意：{warning}")
    suffix = f"（验证码 {code}，已登记）" if code else "（草稿，未登记）"
    print(f"已生成卷宗 {args.output}{suffix}")
    return 0


def _verify(ctx, args: argparse.Namespace) -> int:
    from mediator.domain.errors import ValidationError
    from mediator.services.documents.issuing import find_by_code, verify_file

    if args.file is None and not args.code:
        raise ValidationError("file", "请给出要验证的文件，或用 --code 给出验证码")
    result = find_by_code(ctx, args.code) if args.file is None else verify_file(ctx, args.file)
    print(result.message)
    if args.file is not None:
        print(f"SHA-256：{result.sha256}")
    return 0 if result.genuine else EXIT_NOT_GENUINE


def _list(ctx, args: argparse.Namespace) -> int:
    from mediator.services.cases.read import find_case_id
    from mediator.services.documents.issuing import issued_documents

    rows = issued_documents(ctx, find_case_id(ctx, args.ref))
    for r in rows:
        print(f"{r.issued_at:%Y-%m-%d %H:%M}  {r.title}（{r.fmt.upper()}）  {r.issued_by}  "
              f"验证码 {r.verify_code}  {r.sha256[:16]}…")
    print(f"共{len(rows)}份")
    return 0


def _forms(ctx, args: argparse.Namespace) -> int:
    from mediator.services.documents.forms import list_forms

    for entry in list_forms():
        mark = "（本所修改版）" if entry.customised else ""
        problem = f"  【有误】{entry.error}" if entry.error else ""
        print(f"{entry.id:<24}{entry.title}{mark}{problem}")
    return 0
