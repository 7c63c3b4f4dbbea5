"""Fill a form spec with a context: the final texts and tables both renderers draw.

The PDF and DOCX renderers only lay out what this module produces, so the two formats always
carry the same words.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields, replace
from typing import Any

import jinja2

from mediator.documents.context import DocumentContext, PartyInfo
from mediator.documents.spec import (
    DEFAULT_ORGANIZATION_ROWS,
    DEFAULT_PERSON_ROWS,
    ORGANIZATION_FIELDS,
    PERSON_FIELDS,
    Block,
    FormRenderError,
    FormSpec,
    Style,
)

_CHINESE_NUMERALS = "零一二三四五六七八九"


def chinese_ordinal(n: int) -> str:
    """一, 二, … 十, 十一, … 九十九 (term numbers)."""
    if n < 1 or n > 99:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if not tens else ("十" if tens == 1 else _CHINESE_NUMERALS[tens] + "十")
    return head + (_CHINESE_NUMERALS[ones] if ones else "") if tens else _CHINESE_NUMERALS[ones]


# --- what the renderers draw -------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    text: str
    label: bool = False  # a printed caption (姓名) rather than a filled value
    colspan: int = 1
    rowspan: int = 1
    align: str = ""  # "" : captions centred, values left


@dataclass(frozen=True)
class GridRow:
    cells: tuple[Cell | None, ...]  # None: covered by a span from the left or above
    min_height: float = 0.0


@dataclass(frozen=True)
class Grid:
    """A ruled table; ``widths`` are fractions of the text width.

    ``lead`` and ``labels`` are the widths (points) the leading role column and each caption
    column need; :func:`compose` sets ``widths`` so consecutive tables of a form line up.
    """

    rows: tuple[GridRow, ...]
    size: float
    pairs: int
    lead: float = 0.0
    labels: tuple[float, ...] = ()
    widths: tuple[float, ...] = ()  # set by the form (a listing) or by :func:`compose`
    header_rows: int = 0  # rows repeated at the top of each page the table runs onto


@dataclass(frozen=True)
class Text:
    """A run of lines: ``kind`` is title, line, paragraph, label, term, signature, seal or date."""

    kind: str
    text: str
    align: str = "left"
    indent: bool = False  # first line indented two characters
    size: float | None = None
    hanging: str = ""  # a term's number, hung before the text
    keep: bool = False  # kept on one page with what follows (此致 with the addressee)


@dataclass(frozen=True)
class Spacer:
    height: float


@dataclass(frozen=True)
class PageBreak:
    """The next element starts a new page; a named break starts a section (see the dossier)."""

    id: str | None = None


@dataclass(frozen=True)
class QrMark:
    """The verification QR code of an issued document: what it encodes and the caption."""

    payload: str
    caption: str


@dataclass(frozen=True)
class Closing:
    """Signatures, seal and date: printed together on one page."""

    items: tuple[Text, ...]


Element = Text | Grid | Spacer | Closing | PageBreak


@dataclass(frozen=True)
class Composed:
    form_id: str
    title: str
    style: Style
    elements: tuple[Element, ...]
    qr: QrMark | None = None


QR_SCHEME = "MEDIATOR-DOC/1"


def qr_matrix(payload: str) -> list[list[bool]]:
    """The dark modules of the payload's QR code (error correction M), row by row; the PDF and
    the DOCX draw the same code from it."""
    from reportlab.graphics.barcode import qrencoder

    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(qrencoder.QR8bitByte(payload.encode("utf-8")))
    code.make()
    return [[bool(dark) for dark in row] for row in code.modules]


def text_digest(elements: tuple[Element, ...] | list[Element]) -> str:
    """A short SHA-256 of the printed words (what the QR code vouches for)."""
    parts: list[str] = []
    for element in elements:
        if isinstance(element, Text):
            parts.append(element.hanging + element.text)
        elif isinstance(element, Closing):
            parts += [i.text for i in element.items]
        elif isinstance(element, Grid):
            parts += [c.text for row in element.rows for c in row.cells if c is not None]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]


def qr_payload(number: str, form_id: str, verify_code: str, digest: str) -> str:
    """``MEDIATOR-DOC/1|案号|form|验证码|digest``: enough to find the register entry by phone."""
    return "|".join((QR_SCHEME, number, form_id, verify_code, digest))


# --- filling -----------------------------------------------------------------------------------


def context_variables(context: DocumentContext) -> dict[str, Any]:
    return {f.name: getattr(context, f.name) for f in fields(context)}


class _Filler:
    def __init__(self, spec: FormSpec, context: DocumentContext) -> None:
        self.spec = spec
        self.context = context
        self.variables = context_variables(context)

    def _fail(self, block: Block, exc: Exception) -> FormRenderError:
        return FormRenderError(f"{self.spec.path}:{block.line}: 表单“{self.spec.id}”的"
                               f"“{block.type}”块无法填写：{exc}")

    def render(self, block: Block, key: str, **extra: Any) -> str:
        template: jinja2.Template | None = block.template(key)
        if template is None:
            return ""
        try:
            return template.render(self.variables, **extra).strip()
        except (jinja2.TemplateError, TypeError, ValueError, AttributeError) as exc:
            raise self._fail(block, exc) from None

    def evaluate(self, block: Block, key: str) -> Any:
        try:
            return block.expressions[key](**self.variables)
        except (jinja2.TemplateError, TypeError, ValueError, AttributeError) as exc:
            raise self._fail(block, exc) from None


def compose(spec: FormSpec, context: DocumentContext) -> Composed:
    """The texts and tables of ``spec`` filled for ``context`` (its track's variant)."""
    for name in spec.requires:
        if getattr(context, name) is None:
            raise FormRenderError(MISSING_MESSAGES.get(name, f"缺少{name}") + f"，不能生成“{spec.title}”")
    layout = spec.layout_for(context.track, context.track_detail)
    filler = _Filler(spec, context)
    style = spec.style
    elements: list[Element] = []
    closing: list[Text] = []
    qr_blocks: list[Block] = []
    title = layout.title
    titled = False
    for block in layout.blocks:
        if "when" in block.expressions and not filler.evaluate(block, "when"):
            continue
        if block.type == "qr":
            qr_blocks.append(block)
            continue
        before = block.options.get("space_before")
        produced = _block_elements(block, filler, layout.title, style)
        if block.type == "title" and not titled:  # the first title printed names the document
            titled = True
            title = next((e.text for e in produced if isinstance(e, Text)), title) or title
        if block.type in ("signatures", "seal", "date"):
            if before:
                closing.append(Text("spacer", "", size=float(before)))
            closing.extend(e for e in produced if isinstance(e, Text))
            continue
        if closing:  # a closing group ends where ordinary content resumes
            elements.append(Closing(tuple(closing)))
            closing = []
        if before:
            elements.append(Spacer(float(before)))
        elements.extend(produced)
    if closing:
        elements.append(Closing(tuple(closing)))
    final = tuple(_with_widths(elements))
    qr = None
    if qr_blocks and context.verify_code:
        caption = filler.render(qr_blocks[0], "text") or f"验证码 {context.verify_code}"
        qr = QrMark(qr_payload(context.number, spec.id, context.verify_code, text_digest(final)),
                    caption)
    return Composed(spec.id, title, style, final, qr)


MISSING_MESSAGES = {"agreement": "本案尚未达成调解协议", "termination": "本案未终止调解",
            "rejection": "本案未作不予受理决定", "follow_up": "本案尚无回访记录",
            "investigation": "本案尚无调查记录", "session": "本案尚无调解记录",
            "confirmation": "本案尚未申请司法确认", "advisor_review": "本案尚无法律顾问审查意见",
            "dossier": "缺少卷宗信息", "supplement": "本案尚无变更（补充）协议"}


def _block_elements(block: Block, filler: _Filler, title: str, style: Style) -> list[Element]:
    opts = block.options
    kind = block.type
    if kind == "title":
        return [Text("title", filler.render(block, "text") or title, align="center",
                     size=float(opts.get("size", style.title_size)))]
    if kind in ("line", "number"):
        text = filler.render(block, "text") if "text" in block.templates else filler.context.number
        default = "right" if kind == "number" else "left"
        return [Text("line", text, align=opts.get("align", default), size=opts.get("size"))]
    if kind == "paragraph":
        out: list[Element] = []
        label = filler.render(block, "label")
        if label:
            out.append(Text("label", label))
        text = filler.render(block, "text")
        keep = bool(opts.get("keep_with_next", False))
        out.extend(Text("paragraph", part, indent=opts.get("indent", True), keep=keep)
                   for part in text.split("\n") if part.strip())
        return out
    if kind == "terms":
        out = []
        intro = filler.render(block, "intro")
        if intro:
            out.append(Text("paragraph", intro, indent=True))
        items = filler.evaluate(block, "items") or ()
        if isinstance(items, str):
            items = [items]
        numbering = opts.get("numbering", "chinese")
        for i, item in enumerate(items, start=1):
            number = {"arabic": f"{i}.", "paren": f"（{chinese_ordinal(i)}）"}.get(
                numbering, f"{chinese_ordinal(i)}、")
            out.append(Text("term", str(item).strip(), indent=True, hanging=number))
        return out
    if kind == "parties":
        parties = _chosen(filler.context.parties, opts.get("roles"))
        if opts.get("role_label"):
            parties = tuple(replace(p, role_label=opts["role_label"]) for p in parties)
        return [_party_grid(block, parties, style)] if parties else []
    if kind == "table":
        return [_field_grid(block, filler, style)]
    if kind == "listing":
        return [_listing_grid(block, filler, style)]
    if kind == "page_break":
        return [PageBreak(block.id)]
    if kind == "signatures":
        out = []
        if "per_party" in block.templates:
            out.extend(Text("signature", filler.render(block, "per_party", party=p))
                       for p in _chosen(filler.context.parties, opts.get("roles")))
        i = 0
        while f"lines[{i}]" in block.templates:
            out.append(Text("signature", filler.render(block, f"lines[{i}]")))
            i += 1
        return out
    if kind == "seal":  # the office's own seal text (its setting) over the form's line
        return [Text("seal", filler.context.office_seal or filler.render(block, "text"), align="right")]
    if kind == "date":
        text = filler.render(block, "text") if "text" in block.templates else filler.context.date_text
        return [Text("date", text, align="right")]
    if kind == "spacer":
        return [Spacer(float(opts["height"]))]
    raise AssertionError(f"unhandled block type {kind}")  # the loader refuses unknown types


def _chosen(parties: tuple[PartyInfo, ...], roles: list[str] | None) -> tuple[PartyInfo, ...]:
    return tuple(p for p in parties if not roles or p.role in roles)


# --- tables -------------------------------------------------------------------------------------


TEXT_WIDTH = 156 / 25.4 * 72  # points: the GB/T 9704 text block is 156 mm wide
_CELL_PAD = 8.0
_MAX_LABEL_EM = 10.0


def _text_width(text: str) -> float:
    """Width in em: CJK and full-width characters 1, the rest about half."""
    return sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in text)


def _need(texts: list[str], size: float) -> float:
    """Points a caption column needs for its longest caption (long ones wrap past 10 em)."""
    return min(max((_text_width(t) for t in texts), default=2.0), _MAX_LABEL_EM) * size + _CELL_PAD


def _with_widths(elements: list[Element]) -> list[Element]:
    """Set table column widths so a form's tables share their vertical rules.

    Tables of one or two caption/value pairs share one scheme: the first caption column of a
    field table is as wide as role + caption of the party table, value columns are equal, so
    every rule of a field table continues a rule of the party table above or below it.
    """
    grids = [e for e in elements if isinstance(e, Grid) and e.pairs <= 2 and not e.widths]
    parties = [g for g in grids if g.lead]
    fields_ = [g for g in grids if not g.lead]

    def widest(gs: list[Grid], i: int) -> float:
        return max((g.labels[i] for g in gs if len(g.labels) > i), default=0.0)

    role = max((g.lead for g in parties), default=0.0)
    first = max(role + widest(parties, 0), widest(fields_, 0))
    second = max(widest(parties, 1), widest(fields_, 1))
    two = any(g.pairs == 2 for g in grids)
    value = (TEXT_WIDTH - first - second) / 2 if two else TEXT_WIDTH - first

    def shared(g: Grid) -> tuple[float, ...]:
        head = [role, first - role] if g.lead else [first]
        tail = [value, second, value] if g.pairs == 2 else [TEXT_WIDTH - first]
        return tuple(w / TEXT_WIDTH for w in head + tail)

    out: list[Element] = []
    for e in elements:
        if isinstance(e, Grid) and not e.widths:
            widths = shared(e) if e.pairs <= 2 else _own_widths(e)
            e = replace(e, widths=widths)
        out.append(e)
    return out


def _own_widths(grid: Grid) -> tuple[float, ...]:
    """Widths of a wider table: its captions as needed, the values sharing the rest."""
    rest = TEXT_WIDTH - grid.lead - sum(grid.labels)
    value = max(rest / grid.pairs, 3 * grid.size)
    widths = [grid.lead] if grid.lead else []
    for label in grid.labels:
        widths += [label, value]
    total = sum(widths)
    return tuple(w / total for w in widths)


def _party_value(party: PartyInfo, name: str) -> str:
    return str(getattr(party, name) or "")


def _party_grid(block: Block, parties: tuple[PartyInfo, ...], style: Style) -> Grid:
    opts = block.options
    size = float(opts.get("size", style.table_size))
    person_rows = opts.get("person", DEFAULT_PERSON_ROWS)
    org_rows = opts.get("organization", DEFAULT_ORGANIZATION_ROWS)
    with_agent = opts.get("agent", True)
    pairs = max(len(r) for r in (*person_rows, *org_rows))
    pairs = max(pairs, 2) if with_agent and any(p.agent for p in parties) else pairs
    labels: list[list[str]] = [[] for _ in range(pairs)]
    rows: list[GridRow] = []
    for party in parties:
        layout, captions = ((org_rows, ORGANIZATION_FIELDS) if party.is_organization
                            else (person_rows, PERSON_FIELDS))
        party_rows: list[list[Cell | None]] = []
        for row in layout:
            cells: list[Cell | None] = []
            for i, name in enumerate(row):
                labels[i].append(captions[name])
                span = 1 + 2 * (pairs - len(row)) if i == len(row) - 1 else 1
                cells += [Cell(captions[name], label=True), Cell(_party_value(party, name), colspan=span)]
                cells += [None] * (span - 1)
            party_rows.append(cells)
        if with_agent and party.agent:
            agent = party.agent
            name = agent.name + (f"（{agent.relation}）" if agent.relation else "")
            labels[0].append("委托代理人")
            if pairs >= 2:
                span = 1 + 2 * (pairs - 2)
                cells = [Cell("委托代理人", label=True), Cell(name), Cell("联系方式", label=True),
                         Cell(agent.phone, colspan=span)] + [None] * (span - 1)
            else:
                cells = [Cell("委托代理人", label=True),
                         Cell(name + (f" {agent.phone}" if agent.phone else ""))]
            party_rows.append(cells)
        role = Cell(party.role_label, label=True, rowspan=len(party_rows))
        rows.append(GridRow((role, *party_rows[0])))
        rows.extend(GridRow((None, *r)) for r in party_rows[1:])
    lead = max((_text_width(p.role_label) for p in parties), default=3.0) * size + _CELL_PAD + 2
    return Grid(tuple(rows), size, pairs, lead, tuple(_need(col, size) for col in labels))


def _field_grid(block: Block, filler: _Filler, style: Style) -> Grid:
    size = float(block.options.get("size", style.table_size))
    specs = block.options["rows"]
    columns = max(r["cells"] for r in specs)
    columns += columns % 2  # label/value pairs
    pairs = columns // 2
    labels: list[list[str]] = [[] for _ in range(pairs)]
    rows: list[GridRow] = []
    for i, row in enumerate(specs):
        texts = [filler.render(block, f"rows[{i}].cells[{j}]") for j in range(row["cells"])]
        cells: list[Cell | None] = []
        for j, text in enumerate(texts):
            is_label = j % 2 == 0
            if is_label:
                labels[j // 2].append(text)
            span = columns - j if j == len(texts) - 1 else 1
            cells.append(Cell(text, label=is_label, colspan=span))
            cells += [None] * (span - 1)
        rows.append(GridRow(tuple(cells), row["min_height"]))
    return Grid(tuple(rows), size, pairs, 0.0, tuple(_need(col, size) for col in labels))


def _listing_grid(block: Block, filler: _Filler, style: Style) -> Grid:
    """One header row, then one row per item of the block's list."""
    opts = block.options
    size = float(opts.get("size", style.table_size))
    count = sum(1 for key in block.templates if key.startswith("cells["))
    header = [filler.render(block, f"header[{j}]") for j in range(count)]
    rows: list[GridRow] = []
    if any(header):
        rows.append(GridRow(tuple(Cell(t, label=True) for t in header)))
    min_height = float(opts.get("min_height", 0))
    aligns = (list(opts.get("align") or []) + [""] * count)[:count]
    for item in filler.evaluate(block, "items") or ():
        texts = [filler.render(block, f"cells[{j}]", row=item) for j in range(count)]
        rows.append(GridRow(tuple(Cell(t, align=a) for t, a in zip(texts, aligns, strict=True)),
                            min_height))
    if len(rows) == (1 if any(header) else 0):  # keep an empty table visible
        rows.append(GridRow(tuple(Cell("") for _ in range(count)), max(min_height, size * 2)))
    weights = list(opts.get("widths") or [1.0] * count)
    weights = (weights + [weights[-1]] * count)[:count]
    total = sum(weights)
    return Grid(tuple(rows), size, 0, widths=tuple(w / total for w in weights),
                header_rows=1 if any(header) else 0)
