"""The access gate of the statistics family: whose figures a user counts,
and what they may publish.

- Reports are for the roles holding ``STATS_VIEW`` (coordinators and
  researchers). Figures are never records: a report page, download or API
  answer only ever holds published (suppressed or noisy) figures.
- A user counts the records of the organisations where they hold such a
  role. Coalition members pool their figures: a holder in a coalition
  member organisation counts every active coalition member's records (the
  network's abstract and TIP-report figures); a holder in a partner
  organisation only that organisation's.
- Small-cell suppression applies with k = ``HOMEWARD_MIN_CELL_COUNT`` (11)
  unless the user holds ``STATS_PUBLISH`` (coordinators) in *every*
  organisation counted: then any k down to 1 (no suppression) is allowed —
  never on another organisation's figures. The command line (no user) is
  the server's operator and may use any k.
- HTCDS exports read the cases the user manages through the case gate, in
  organisations where they hold ``STATS_PUBLISH``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from homeward.accounts.models import Organisation, User
from homeward.accounts.roles import Capability, roles_with
from homeward.accounts.selectors import organisation_ids, signed_in
from homeward.cases.models import Case
from homeward.core import access
from homeward.stats.models import Abstract, CtdcDataset, PrivacyBudget, Release

VIEW_ROLES = roles_with(Capability.STATS_VIEW)
PUBLISH_ROLES = roles_with(Capability.STATS_PUBLISH)


def default_min_cell() -> int:
    """k of every published figure unless a coordinator chooses otherwise."""
    return int(settings.HOMEWARD_MIN_CELL_COUNT)


def may_view(user: Any) -> bool:
    """Whether ``user`` may open the reports at all."""
    return signed_in(user) and organisation_ids(user, VIEW_ROLES).exists()


def may_publish(user: Any) -> bool:
    """Whether ``user`` may publish anywhere (releases, exchange files)."""
    return signed_in(user) and organisation_ids(user, PUBLISH_ROLES).exists()


def require_viewer(user: Any) -> User:
    """``user`` when they may open the reports (``may_view``); else
    PermissionDenied (403) — for every other role and the site
    administrator."""
    if not isinstance(user, User) or not may_view(user):
        raise PermissionDenied
    return user


def require_publisher(user: Any) -> User:
    """``user`` when they may publish (``may_publish``: coordinators); else
    PermissionDenied (403)."""
    if not isinstance(user, User) or not may_publish(user):
        raise PermissionDenied
    return user


def report_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations whose records ``user``'s reports count (see above)."""
    if not signed_in(user):
        return Organisation.objects.none()
    own = Organisation.objects.filter(pk__in=organisation_ids(user, VIEW_ROLES))
    pooled = Q(pk__in=own.values("pk"))
    if own.filter(is_coalition_member=True).exists():
        pooled |= Q(is_coalition_member=True, is_active=True)
    return Organisation.objects.filter(pooled).order_by("code")


def publish_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations where ``user`` holds ``STATS_PUBLISH``."""
    if not signed_in(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        pk__in=organisation_ids(user, PUBLISH_ROLES)
    ).order_by("code")


def min_cell_floor(user: Any, organisations: tuple[int, ...]) -> int:
    """The smallest k ``user`` may publish the figures of ``organisations``
    with: 1 for the command line (``user`` None) and for coordinators of
    every one of them, the configured k for everyone else."""
    if user is None:
        return 1
    if organisations and not set(organisations) - set(
        publish_organisations(user).values_list("pk", flat=True)
    ):
        return 1
    return default_min_cell()


def exportable_cases(user: Any) -> QuerySet[Case]:
    """The cases ``user`` may write to an HTCDS file: those the case gate
    shows them, of organisations where they hold ``STATS_PUBLISH``."""
    return access.for_user(user, Case).filter(organisation__in=publish_organisations(user))


# --- the scopes of the family's own records -------------------------------------------


@access.register(Release)
def _releases(user: Any, queryset: QuerySet[Release]) -> QuerySet[Release]:
    """Released (noisy) tables: for report readers who count every
    organisation the release counted."""
    if not may_view(user):
        return queryset.none()
    others = Organisation.objects.exclude(pk__in=report_organisations(user).values("pk"))
    return queryset.exclude(organisations__in=others)


@access.register(PrivacyBudget)
def _budgets(user: Any, queryset: QuerySet[PrivacyBudget]) -> QuerySet[PrivacyBudget]:
    """The ledgers of the datasets the user counts (and of the CTDC data)."""
    if not may_view(user):
        return queryset.none()
    return queryset.filter(
        Q(organisation__in=report_organisations(user)) | Q(organisation__isnull=True)
    )


@access.register(Abstract)
def _abstracts(user: Any, queryset: QuerySet[Abstract]) -> QuerySet[Abstract]:
    """An abstract is its maker's."""
    if not may_view(user):
        return queryset.none()
    return queryset.filter(created_by=user)


@access.register(CtdcDataset)
def _datasets(user: Any, queryset: QuerySet[CtdcDataset]) -> QuerySet[CtdcDataset]:
    """CTDC's public reference data: every report reader."""
    return queryset if may_view(user) else queryset.none()
