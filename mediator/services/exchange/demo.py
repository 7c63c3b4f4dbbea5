"""Loads the fictional demo county (河湾县) and its cases through the bulk importer."""
from __future__ import annotations

from mediator.domain.enums import RegionLevel
from mediator.services.context import ServiceContext
from mediator.services.exchange.bulk import bulk_import_document, gc_paused
from mediator.services.exchange.demo_data import build_demo_document
from mediator.services.exchange.demo_data.home import DemoHome, settle
from mediator.services.exchange.importer import ImportResult
from mediator.services.permissions import Permission, requires
from mediator.store.models import Organization, Region


@requires(Permission.DATA_IMPORT)
def load_demo(ctx: ServiceContext, *, cases: int = 500, seed: int = 1) -> ImportResult:
    """Import the demo county with ``cases`` generated cases (deterministic for a seed).

    With a logged-in user whose organisation sits in a county, the demo is that county: the
    user's township and organisation get the demo's villages, grids, mediators and cases
    (``demo_data.home``). The bulk importer writes exactly what ``exchange.import_document``
    would, hundreds of times faster (100,000 cases in a few minutes).
    """
    home = demo_home(ctx)
    with gc_paused():  # building the document allocates millions of objects too
        document = build_demo_document(cases=cases, seed=seed, today=ctx.today())
        if home is not None:
            document = settle(document, home)
        return bulk_import_document(ctx, document)


def demo_home(ctx: ServiceContext) -> DemoHome | None:
    """Where the logged-in user's organisation is, or None (no user, no place in a county)."""
    user = ctx.user
    if user is None or user.organization_id is None:
        return None
    with ctx.read() as session:
        org = session.get(Organization, user.organization_id)
        region = session.get(Region, org.region_id) if org is not None else None
        township = None
        while region is not None and region.level != RegionLevel.COUNTY.value:
            if region.level == RegionLevel.TOWNSHIP.value:
                township = region
            region = session.get(Region, region.parent_id) if region.parent_id else None
        if region is None or not region.code:
            return None
        if township is None or not township.code:
            return DemoHome(region.code, region.name)
        return DemoHome(region.code, region.name, township.code, township.name, org.name, org.kind)
