"""Case text search: any substring of a case's number, summary, requests or a party's name or phone.

On SQLite the words are looked up in the FTS5 trigram index of migration 0004 (``search_case``,
``search_party``, kept in sync by triggers on every write path). A word of three characters or
more is a phrase query on the trigrams; a word of one or two characters, which the trigram
tokenizer cannot match, is a range of trigram *terms* starting with it (the ``fts5vocab``
'instance' tables): every stored value ends with two U+001F characters, so each one- or
two-character substring is the start of some trigram. On PostgreSQL the words are ILIKE patterns,
served by the ``pg_trgm`` GIN indexes where the server has the extension.

Several words separated by spaces must all be found (each anywhere in the case).
"""
from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.store.models import Case, CaseParty

TRIGRAM = 3  # shorter words go through the term tables
PAD = "\x1f\x1f"  # appended to every indexed value (see the module docstring)
# Control characters, and lone surrogates (which cannot even be sent to the database).
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")

_case_fts = sa.table("search_case", sa.column("rowid"))
_party_fts = sa.table("search_party", sa.column("rowid"))
_case_terms = sa.table("search_case_terms", sa.column("term"), sa.column("doc"))
_party_terms = sa.table("search_party_terms", sa.column("term"), sa.column("doc"))


def search_words(text: str | None) -> list[str]:
    """The words of a search box entry: split on white space, control characters dropped."""
    if not text:
        return []
    return [w for w in _CONTROL.sub(" ", text).split() if w]


def _phrase(word: str) -> str:
    """An FTS5 phrase matching ``word`` literally."""
    return '"' + word.replace('"', '""') + '"'


def _term_range(word: str) -> tuple[str, str]:
    """Bounds of the index terms that start with ``word`` (terms are case-folded)."""
    low = word.lower()
    return low, low[:-1] + chr(ord(low[-1]) + 1)


def _word_ids(word: str) -> Any:
    """The ids of the cases whose number, summary, requests or a party has ``word`` (FTS5)."""
    if len(word) >= TRIGRAM:
        phrase = _phrase(word)
        by_case = sa.select(_case_fts.c.rowid).where(sa.literal_column("search_case").match(phrase))
        party_ids = sa.select(_party_fts.c.rowid).where(sa.literal_column("search_party").match(phrase))
    else:
        low, high = _term_range(word)
        by_case = sa.select(_case_terms.c.doc).where(_case_terms.c.term >= low, _case_terms.c.term < high)
        party_ids = sa.select(_party_terms.c.doc).where(_party_terms.c.term >= low,
                                                        _party_terms.c.term < high)
    by_party = sa.select(CaseParty.case_id).where(CaseParty.id.in_(party_ids))
    return sa.union(by_case, by_party)


def _sqlite_word(word: str) -> ColumnElement[bool]:
    return Case.id.in_(_word_ids(word))


def matching_ids(text: str | None, dialect: str) -> Any | None:
    """The ids of the cases having every word (a select of one column), None without words:
    from the FTS5 index on SQLite, from the per-column trigram ILIKEs elsewhere.

    The case list reads it once and takes both its count and its page from it.
    """
    words = search_words(text)
    if not words:
        return None
    sets = [_word_ids(w) if dialect == "sqlite" else _like_ids(w) for w in words]
    return sets[0] if len(sets) == 1 else sa.intersect(*(s.subquery().select() for s in sets))


def _like_ids(word: str) -> Any:
    """PostgreSQL: the ids of the cases having ``word`` in a column, one ILIKE per column united.

    Each ILIKE alone is served by its column's trigram GIN index (words of three characters and
    more); OR-ed together in one WHERE, with the parties as a subquery, the planner scanned the
    whole case table (0.4–1.6 s at 100,000 cases).
    """
    pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"

    def like(column: Any) -> ColumnElement[bool]:
        return column.ilike(pattern, escape="\\")

    case_file = Case.__table__
    return sa.union(*(sa.select(case_file.c.id).where(like(column)) for column in
                      (case_file.c.number, case_file.c.ref, case_file.c.summary, case_file.c.requests)),
                    sa.select(CaseParty.case_id).where(like(CaseParty.name)),
                    sa.select(CaseParty.case_id).where(like(CaseParty.phone)))


def _like_word(word: str) -> ColumnElement[bool]:
    return Case.id.in_(_like_ids(word))


class _PerDialect(ColumnElement[bool]):
    """One condition written twice: for SQLite (the FTS5 index) and for any other database."""

    type = sa.Boolean()
    inherit_cache = True
    _is_implicitly_boolean = True  # a predicate: never rendered as “(…) = 1”, which defeats indexes
    _traverse_internals = [("sqlite", InternalTraversal.dp_clauseelement),
                           ("other", InternalTraversal.dp_clauseelement)]

    def __init__(self, sqlite: ColumnElement[bool], other: ColumnElement[bool]) -> None:
        self.sqlite = sqlite
        self.other = other


@compiles(_PerDialect)
def _compile_per_dialect(element: _PerDialect, compiler: Any, **kw: Any) -> str:
    chosen = element.sqlite if compiler.dialect.name == "sqlite" else element.other
    return "(" + compiler.process(chosen, **kw) + ")"  # the other branch is an OR


def text_condition(text: str | None) -> ColumnElement[bool] | None:
    """The condition on ``Case`` for a search box entry; None when it holds no word.

    Args:
        text: what the user typed: case number, party name, phone or words of the summary.
    """
    words = search_words(text)
    if not words:
        return None
    return sa.and_(*(_PerDialect(_sqlite_word(w), _like_word(w)) for w in words))


@requires(Permission.SETTINGS_EDIT)
def rebuild_index(ctx: ServiceContext) -> int:
    """Rewrite the SQLite search index from the cases and parties; returns the cases indexed.

    Only needed after the index was damaged or its triggers were lost (the triggers keep it in
    sync otherwise). On PostgreSQL the trigram indexes maintain themselves: returns 0.
    """
    with ctx.transaction() as session:
        if session.bind.dialect.name != "sqlite":
            return 0
        pad = "char(31, 31)"
        session.execute(sa.text("DELETE FROM search_case"))
        session.execute(sa.text("DELETE FROM search_party"))
        session.execute(sa.text(
            f"INSERT INTO search_case(rowid, number, ref, summary, requests) SELECT id, "
            f"number || {pad}, coalesce(ref, '') || {pad}, summary || {pad}, requests || {pad} "
            f"FROM case_file"))
        session.execute(sa.text(
            f"INSERT INTO search_party(rowid, name, phone) SELECT id, name || {pad}, "
            f"coalesce(phone, '') || {pad} FROM case_party"))
        return session.execute(sa.text("SELECT count(*) FROM search_case")).scalar_one()
