"""The vocabulary a form may use: block types, their keys and key kinds, party fields.

Data tables only; the compiler checks a form against them.
"""
from __future__ import annotations

from mediator.documents.context import PartyInfo

ALIGNS = ("left", "center", "right")
NUMBERINGS = ("chinese", "arabic", "paren")  # 一、 / 1. / （一）
DATED = ("agreement", "termination", "rejection", "follow_up", "received", "accepted", "today",
         "investigation", "session", "confirmation", "review", "archive", "supplement")
REQUIRABLE = ("agreement", "termination", "rejection", "follow_up", "investigation", "session",
              "confirmation", "advisor_review", "dossier", "supplement")
PARTY_ROLES = ("applicant", "respondent", "third_party")

# Party block fields and their printed labels.
PERSON_FIELDS = {
    "name": "姓名", "gender": "性别", "ethnicity": "民族", "age": "年龄", "birth_date": "出生日期",
    "occupation": "职业或单位", "address": "住址", "phone": "联系方式", "id_number": "身份证号",
}
ORGANIZATION_FIELDS = {
    "name": "名称", "address": "住所", "credit_code": "统一社会信用代码",
    "representative": "法定代表人", "phone": "联系方式",
}

# Key kinds: how a value is checked and compiled.
TEXT = "template"  # a Jinja2 template
TEXTS = "template list"
EXPR = "expression"  # a Jinja2 expression (``when``, ``items``)
NUMBER = "number"
BOOL = "bool"
NAME = "name"
ALIGN = "align"
NUMBERING = "numbering"
PERSON_ROWS = "person rows"
ORGANIZATION_ROWS = "organization rows"
ROWS = "rows"
ROLES = "roles"
NUMBERS = "numbers"
ALIGN_LIST = "align list"

COMMON_KEYS = {"type": NAME, "id": NAME, "when": EXPR, "space_before": NUMBER}
BLOCK_KEYS: dict[str, dict[str, str]] = {
    "title": {"text": TEXT, "size": NUMBER},
    "line": {"text": TEXT, "align": ALIGN, "size": NUMBER},
    "number": {"text": TEXT, "align": ALIGN},
    "parties": {"person": PERSON_ROWS, "organization": ORGANIZATION_ROWS, "agent": BOOL,
                "size": NUMBER, "roles": ROLES, "role_label": NAME},
    "paragraph": {"label": TEXT, "text": TEXT, "indent": BOOL, "keep_with_next": BOOL},
    "terms": {"intro": TEXT, "items": EXPR, "numbering": NUMBERING},
    "table": {"rows": ROWS, "size": NUMBER},
    "signatures": {"per_party": TEXT, "lines": TEXTS, "roles": ROLES},
    "seal": {"text": TEXT},
    "date": {"text": TEXT},
    "spacer": {"height": NUMBER},
    # The verification QR code (drawn in the top margin of the first page of an issued PDF).
    "qr": {"text": TEXT},
    "page_break": {},
    # A ruled table with one row per item of a list (e.g. the dossier's contents).
    "listing": {"items": EXPR, "header": TEXTS, "cells": TEXTS, "widths": NUMBERS, "align": ALIGN_LIST,
                "size": NUMBER, "min_height": NUMBER},
}
REQUIRED_KEYS = {"line": ("text",), "paragraph": ("text",), "terms": ("items",),
                 "table": ("rows",), "seal": ("text",), "spacer": ("height",),
                 "listing": ("items", "cells")}
ROW_KEYS = {"cells": TEXTS, "min_height": NUMBER}
STYLE_KEYS = {"body_size": NUMBER, "title_size": NUMBER, "leading": NUMBER, "table_size": NUMBER}
TOP_KEYS = {"id", "title", "dated", "requires", "style", "variants", "blocks"}
VARIANT_KEYS = {"title", "blocks"}

DEFAULT_PERSON_ROWS = (("name", "gender"), ("ethnicity", "age"), ("occupation", "phone"),
                       ("id_number",), ("address",))
DEFAULT_ORGANIZATION_ROWS = (("name",), ("address",), ("credit_code",), ("representative", "phone"))
# Variables a key sees besides the context (``per_party`` is filled once per party).
EXTRA_VARIABLES: dict[str, dict[str, type]] = {"per_party": {"party": PartyInfo}}
