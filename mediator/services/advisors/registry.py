"""Legal advisors (一村（社区）一法律顾问): the registry, appointments, coverage and routing.

This module is the registry's one door: it re-exports the names of ``roster`` (advisors),
``appointments`` (聘任), ``overview`` (the registry and the village × advisor grid) and
``coverage`` (who serves a village, and routing a case to its advisor).

Reviews live in ``reviews``, the service ledger and the yearly summary in ``ledger``, who may
read what in ``mediator.services.access``.

The appointment rule: a village has at most one current primary appointment on any day; an
advisor may serve several villages. Only active advisors cover a village.
"""
from __future__ import annotations

from mediator.services.advisors.appointments import (
    ENDING_WITHIN_DAYS,
    AppointmentInput,
    add_appointment,
    check_overlap,
    end_appointment,
    require_village,
    update_appointment,
)
from mediator.services.advisors.coverage import (
    AdvisorChoice,
    Coverage,
    EndingAppointment,
    VillageCoverage,
    advisor_choices,
    advisor_for_case,
    coverage,
    current_appointment,
)
from mediator.services.advisors.overview import (
    AdvisorInfo,
    AppointmentGrid,
    AppointmentInfo,
    VillageRef,
    advisor_registry,
    appointment_grid,
)
from mediator.services.advisors.roster import AdvisorInput, add_advisor, link_user_to_advisor, update_advisor

__all__ = ["ENDING_WITHIN_DAYS", "AdvisorChoice", "AdvisorInfo", "AdvisorInput", "AppointmentGrid",
           "AppointmentInfo", "AppointmentInput", "Coverage", "EndingAppointment",
           "VillageCoverage", "VillageRef", "add_advisor", "add_appointment",
           "advisor_choices", "advisor_for_case", "advisor_registry", "appointment_grid",
           "check_overlap", "coverage", "current_appointment", "end_appointment",
           "link_user_to_advisor", "require_village", "update_advisor", "update_appointment"]
