"""The printed opinion of a legal advisor's review (法律顾问审查意见书)."""
from __future__ import annotations

import dataclasses

from mediator.domain.enums import AdvisorKind
from mediator.domain.formatting import arabic_date
from mediator.services import audit
from mediator.services.advisors.reviews import review_row
from mediator.services.context import ServiceContext
from mediator.services.documents.context import document_context
from mediator.services.documents.rendering import (
    RenderedDocument,
    font_path_setting,
    get_form,
    render_context,
)
from mediator.services.permissions import Permission, requires
from mediator.store.models import Advisor


@requires(Permission.CASE_READ)
def review_form_values(ctx: ServiceContext, review_id: int) -> dict[str, str]:
    """The words the ``advisor_review`` form prints (its ``extra`` values)."""
    row = review_row(ctx, review_id)
    with ctx.read() as session:
        advisor = session.get(Advisor, row.advisor_id)
    return {
        "advisor": advisor.name, "advisor_kind": AdvisorKind(advisor.kind).label, "firm": advisor.firm,
        "license_no": advisor.license_no or "", "advisor_phone": advisor.phone or "",
        "requested_on": arabic_date(row.requested_on), "requested_by": row.requested_by,
        "request_note": row.request_note, "due": arabic_date(row.due),
        "result": "" if row.pending else row.result_label, "opinion": row.opinion,
        "reviewed_on": arabic_date(row.reviewed_on) if row.reviewed_on else "",
    }


@requires(Permission.DOCUMENT_PRINT)
def render_review_opinion(ctx: ServiceContext, review_id: int, fmt: str = "pdf") -> RenderedDocument:
    """法律顾问审查意见书 of one review, as PDF or DOCX."""
    values = review_form_values(ctx, review_id)
    row = review_row(ctx, review_id)
    form = get_form("advisor_review")
    context = document_context(ctx, row.case_id, form, on=row.reviewed_on or ctx.today())
    context = dataclasses.replace(context, extra={**context.extra, **values})
    document = render_context(form, context, fmt,
                                        font_path=font_path_setting(ctx))
    audit.log(ctx, "print", f"{row.case_number} {document.title}",
              {"kind": "review_opinion", "form": form.id, "fmt": fmt, "sha256": document.sha256})
    return document
