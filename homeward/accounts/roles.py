"""Roles and what each may do.

A user holds one role per organisation (a membership). Capabilities are the
only thing views check; roles map to capabilities here, in one table.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    HOTLINE_OPERATOR = "hotline_operator", _("Hotline operator")
    CASE_WORKER = "case_worker", _("Case worker")
    SHELTER_STAFF = "shelter_staff", _("Shelter staff")
    MEDICAL = "medical", _("Medical staff")
    REINTEGRATION_WORKER = "reintegration_worker", _("Reintegration social worker")
    COORDINATOR = "coordinator", _("Coordinator")
    RESEARCHER = "researcher", _("Researcher")
    ORG_ADMIN = "org_admin", _("Organisation administrator")


class Capability(StrEnum):
    # Seeing records that identify a person (victims, callers, residents).
    IDENTIFYING_DATA = "identifying_data"
    # Aggregated, de-identified statistics only.
    AGGREGATES = "aggregates"
    # Managing the organisation's own members.
    MEMBERS_MANAGE = "members.manage"
    # Reading the organisation's audit log.
    AUDIT_VIEW = "audit.view"
    # Editing the organisation's directory entries and library documents.
    DIRECTORY_EDIT = "directory.edit"
    # Opening cases and running every case of the organisation.
    CASES_MANAGE = "cases.manage"
    # Working on the cases one is assigned to (and only those).
    CASES_TEAM = "cases.team"
    # Arranging and recording medical examinations in a case.
    CASES_MEDICAL = "cases.medical"
    # Logging hotline contacts and seeing those of the organisation.
    HOTLINE_LOG = "hotline.log"
    # Managing the organisation's hotline lines and information campaigns.
    HOTLINE_MANAGE = "hotline.manage"
    # Reading the aggregated analysis of the organisation's hotline contacts.
    HOTLINE_ANALYSE = "hotline.analyse"
    # Running the organisation's shelters: referrals, admissions, discharges,
    # the standard package and the service log of their residents.
    SHELTERS_RUN = "shelters.run"
    # Describing the organisation's shelters: eligibility, capacity, open/closed.
    SHELTERS_MANAGE = "shelters.manage"
    # Medical screening and diagnoses (medical staff only, nobody else).
    SHELTERS_MEDICAL = "shelters.medical"
    # The network's occupancy dashboard (no identifying data).
    SHELTERS_OVERVIEW = "shelters.overview"
    # Reintegration work: assessments, plans, assistance, monitoring reports,
    # and answering referrals received by the organisation.
    REINTEGRATION_WORK = "reintegration.work"
    # The assessment questionnaire, the assistance catalogue, programmes and
    # donors; approving grants; the totals and the overdue monitoring list.
    REINTEGRATION_MANAGE = "reintegration.manage"
    # The statistical reports and abstracts: suppressed (k-anonymous) figures
    # and published differentially private releases; never a record.
    STATS_VIEW = "stats.view"
    # Publishing figures: lower or turn off small-cell suppression on the
    # organisation's own figures, differentially private releases (spending
    # the privacy budget), HTCDS exchange files and CTDC reference data.
    STATS_PUBLISH = "stats.publish"


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.HOTLINE_OPERATOR: frozenset(
        {
            Capability.IDENTIFYING_DATA, Capability.AGGREGATES, Capability.CASES_TEAM,
            Capability.HOTLINE_LOG,
        }
    ),
    Role.CASE_WORKER: frozenset(
        {
            Capability.IDENTIFYING_DATA, Capability.AGGREGATES, Capability.CASES_MANAGE,
            Capability.CASES_TEAM, Capability.CASES_MEDICAL, Capability.REINTEGRATION_WORK,
        }
    ),
    Role.SHELTER_STAFF: frozenset(
        {
            Capability.IDENTIFYING_DATA, Capability.AGGREGATES, Capability.CASES_TEAM,
            Capability.CASES_MEDICAL, Capability.SHELTERS_RUN,
        }
    ),
    Role.MEDICAL: frozenset(
        {
            Capability.IDENTIFYING_DATA, Capability.AGGREGATES, Capability.CASES_TEAM,
            Capability.CASES_MEDICAL, Capability.SHELTERS_MEDICAL,
        }
    ),
    Role.REINTEGRATION_WORKER: frozenset(
        {
            Capability.IDENTIFYING_DATA, Capability.AGGREGATES, Capability.CASES_TEAM,
            Capability.REINTEGRATION_WORK,
        }
    ),
    Role.COORDINATOR: frozenset(
        {
            Capability.IDENTIFYING_DATA, Capability.AGGREGATES, Capability.DIRECTORY_EDIT,
            Capability.CASES_MANAGE, Capability.CASES_TEAM, Capability.HOTLINE_LOG,
            Capability.HOTLINE_MANAGE, Capability.HOTLINE_ANALYSE, Capability.SHELTERS_RUN,
            Capability.SHELTERS_MANAGE, Capability.SHELTERS_OVERVIEW,
            Capability.REINTEGRATION_WORK, Capability.REINTEGRATION_MANAGE,
            Capability.STATS_VIEW, Capability.STATS_PUBLISH,
        }
    ),
    Role.RESEARCHER: frozenset(
        {Capability.AGGREGATES, Capability.HOTLINE_ANALYSE, Capability.STATS_VIEW}
    ),
    Role.ORG_ADMIN: frozenset(
        {
            Capability.MEMBERS_MANAGE, Capability.AUDIT_VIEW, Capability.AGGREGATES,
            Capability.DIRECTORY_EDIT, Capability.SHELTERS_MANAGE,
        }
    ),
}


def roles_with(capability: Capability) -> frozenset[str]:
    """The roles that hold ``capability``."""
    return frozenset(
        role for role, capabilities in ROLE_CAPABILITIES.items() if capability in capabilities
    )


def role_requires_two_factor(role: str) -> bool:
    """Every role that can see identifying data, or manage people, needs 2FA."""
    capabilities = ROLE_CAPABILITIES.get(role, frozenset())
    return bool(capabilities & {Capability.IDENTIFYING_DATA, Capability.MEMBERS_MANAGE})
