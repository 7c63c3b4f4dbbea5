"""The permission check every service call makes (the matrix is ``domain/permissions.py``).

A context without a user (command line, scheduled jobs, imports run by the office) acts as the
system and is not restricted; a logged-in user is checked against the matrix.
"""
from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from mediator.domain.errors import PermissionDenied, ValidationError
from mediator.domain.permissions import Permission, Role, may, refusal
from mediator.services.access import check_case_visible
from mediator.services.acting_user import refresh_user
from mediator.services.context import ServiceContext

P = ParamSpec("P")
R = TypeVar("R")


def can(user: Any | None, permission: Permission) -> bool:
    """Whether ``user`` (a CurrentUser, or None for the system) may do ``permission``."""
    return user is None or may(Role(user.role), permission)


def require(ctx: ServiceContext, permission: Permission) -> None:
    """Raise PermissionDenied (a Chinese sentence) unless the context's user may do this.

    The user is re-read first (``acting_user``): a new role counts from this call on, and a
    deactivated account is refused with AccountDisabled.
    """
    user = refresh_user(ctx)
    if not can(user, permission):
        raise PermissionDenied(refusal(user.role, permission))


def case_id_of(value: object) -> int | None:
    """A case id as an int: an int, or a string of digits; None stays None; anything else is refused."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    raise ValidationError("case_id", f"案件编号应为整数，而不是“{str(value)[:30]}”")


def requires(permission: Permission) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a use case whose first argument is the ServiceContext: check before anything runs.

    A use case with a ``case_id`` parameter also checks that the case lies in the user's scope
    (``access``), so no single-case read or act can reach a case the user may not see.
    The decorated function carries ``required_permission`` so tests can walk every service.
    """
    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        names = list(inspect.signature(fn).parameters)
        case_at = names.index("case_id") if "case_id" in names else None

        @functools.wraps(fn)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            ctx = args[0] if args else kwargs.get("ctx")
            if not isinstance(ctx, ServiceContext):
                raise TypeError(f"{fn.__qualname__}: the first argument must be the ServiceContext")
            require(ctx, permission)
            if case_at is not None:
                # Whatever form the id comes in (a row's text, a JSON number), the function and
                # the scope check see the same int; what is not an id is refused, never skipped.
                positional = len(args) > case_at
                case_id = case_id_of(args[case_at] if positional else kwargs.get("case_id"))
                if positional:
                    args = (*args[:case_at], case_id, *args[case_at + 1:])  # type: ignore[assignment]
                elif "case_id" in kwargs:
                    kwargs["case_id"] = case_id
                if case_id is not None and ctx.user is not None:
                    check_case_visible(ctx, None, case_id)
            return ctx.run_use_case(lambda: fn(*args, **kwargs))

        checked.required_permission = permission  # type: ignore[attr-defined]
        return checked
    return decorate


_SCOPE = "a scope helper other services call to restrict what they read"
_INTERNAL = "an internal step run inside the calling use case's transaction (it checked already)"
_REFERENCE = "reference data every role needs to fill in forms and read pages"
_SETTING = "reads a setting every role's pages and jobs need"
_SCAN = "the reminder scan runs it for every logged-in user (derived data, scoped where it reads)"

# Use cases deliberately left without @requires, and why; tests/services/test_permissions.py
# checks that every other public service function carries a permission.
OPEN_SERVICES: dict[str, str] = {
    "permissions.require": "the check itself",
    "acting_user.refresh_user": "part of the check itself (re-reads the acting account)",
    "safety.accounts.change_own_password": "the login's 修改密码 step, before the user is let in",
    "opening.needs_named_actor": "asked before the command line's user has logged in",
    "opening.act_as": "the command line's login (--as)",
    "opening.initialize": "`mediator-cli init` on a new database, before any account exists",
    "opening.grant_app_role": "the schema owner's `mediator-cli db grant-app-role`: PostgreSQL's own privileges decide",
    "safety.auth.is_first_run": "asked before anyone has logged in",
    "safety.auth.setup_office": "the first-run wizard, before any account exists (refused once one does)",
    "safety.auth.authenticate": "login",
    "offices.has_offices": "the wizard asks it before anyone has logged in",
    "offices.county_of_server": "the join wizard shows the server's county before anyone has logged in",
    "documents.office_forms.store_form": _INTERNAL,
    "documents.office_forms.sync_forms": "copies the user's office's forms from the database at login (no new data)",
    "offices.office_id": "finds an office by name for the command line (each use case then checks)",
    "offices.acting_admin": "the command line's --as: who acts (each use case then checks the role)",
    "offices.request_join": "a new office's request, before its account exists (it waits for an approval)",
    "audit.record": "every use case writes its audit entry, whoever acts",
    "audit.log": "every use case writes its audit entry, whoever acts",
    "office_scope.user_office": _SCOPE + " (whose office's settings a user reads)",
    "access.advisor_id_of": _SCOPE,
    "access.advisor_scope_of": _SCOPE,
    "access.case_condition": _SCOPE,
    "access.restrict_cases": _SCOPE,
    "access.visible_case_ids": _SCOPE,
    "access.check_case_visible": _SCOPE,
    "reports.statistics.visible_in_scope": _SCOPE,
    "cases.reviews.review_gate": _INTERNAL,
    "cases.reviews.review_deadlines": _INTERNAL,
    "cases.deadlines.compute_for_case": _INTERNAL,
    "cases.office_deadlines.settings_for_case": _INTERNAL,
    "cases.deadlines.refresh_case_deadlines": _INTERNAL,
    "cases.change_log.record_changes": _INTERNAL,
    "cases.change_log.add_timeline_event": _INTERNAL,
    "risk.evaluate.evaluate_case": _INTERNAL + " (every use case that changes a case runs it)",
    "risk.evaluate.raise_alerts": _INTERNAL,
    "cases.drafts.revise": _INTERNAL,
    "cases.handlers.replace_mediators": _INTERNAL,
    "cases.drafts.freeze_for_signing": _INTERNAL,
    "cases.reviews.review_standing": _INTERNAL,
    "cases.reviews.withdraw_pending_review": _INTERNAL,
    "exchange.demo.demo_home": "reads where the logged-in user works, for the demo loader (DATA_IMPORT)",
    "exchange.outcome.audit_import": "inside an import, which required DATA_IMPORT",
    "reminders.sources.case_sources": _INTERNAL,
    "reminders.sources.review_sources": _INTERNAL,
    "reminders.sources.all_sources": _INTERNAL,
    "reminders.sources.sources_for_key": _INTERNAL,
    "reminders.sources.village_sources": _SCAN,
    "reminders.sources.screening_sources": _SCAN + " (through planned_rounds, which checks CASE_READ)",
    "reminders.sources.other_sources": _INTERNAL,
    "reminders.sync_sql.case_reminder_sources": "the SELECT the scan's SQL sync compares with (built, not run)",
    "reminders.sync_sql.sync_case_reminders": _INTERNAL,
    "advisors.deadlines.advisor_deadlines": _SCAN,
    "advisors.ledger.visit_minimum": _SETTING,
    "cases.dossier_check.case_files": _INTERNAL,
    "cases.deadline_settings.recompute_if_changed": _SCAN,
    "cases.deadline_settings.recompute_all_deadlines": _SCAN + "; also after a settings change",
    "cases.deadline_settings.fingerprint": _SCAN,
    "cases.deadline_settings.apply_deadline_settings": _SCAN + "; also at start-up",
    "advisors.overview.advisor_registry": _REFERENCE,
    "advisors.overview.appointment_grid": _REFERENCE,
    "advisors.coverage.coverage": _REFERENCE,
    "advisors.coverage.advisor_choices": _REFERENCE,
    "advisors.roster.office_only": "a check the registry's use cases make: an advisor may not change it",
    "places.choices.organizations": _REFERENCE,
    "places.choices.mediators": _REFERENCE,
    "places.choices.places": _REFERENCE,
    "places.admin.region_tree": _REFERENCE,
    "places.admin.organizations_at": _REFERENCE,
    "safety.backup.schema_info": "the 系统 page shows the program and database version to everyone",
    "cases.deadline_settings.holiday_years": "the holiday calendar (reference data; editing it needs SETTINGS_EDIT)",
    "settings.get_setting": _SETTING,
    "settings.all_settings": _SETTING,
    "reminders.due.warn_days": _SETTING,
    "reminders.notices.daily_time": _SETTING,
    "reminders.notices.scan_minutes": _SETTING,
    "reports.statistics.office_name": _SETTING + " (the login dialog shows it)",
    "documents.context.document_settings": _SETTING,
    "documents.rendering.font_path_setting": _SETTING,
    "cases.personal_data.sees_personal_data": "asks the matrix whether to mask; every reader calls it",
    "cases.personal_data.protect_parties": "masks what a reader may not see; every reader calls it",
    "safety.backup_schedule.backup_job_time": _SETTING,
    "safety.retention.periods_by_category": _SETTING + " (保管期限 by category, inside retention's use cases)",
    "safety.backup_schedule.scheduled_backup": "the daily backup job acts as the system, whoever is logged in",
}


__all__ = ["OPEN_SERVICES", "Permission", "Role", "can", "case_id_of", "require", "requires"]
