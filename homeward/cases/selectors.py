"""Reads of the case family, through the access gate.

Who sees a case (need to know, nothing more):

* case workers and coordinators (``CASES_MANAGE``) see every case of their
  organisation;
* other roles that work on cases (``CASES_TEAM``: hotline operators, shelter
  staff, medical staff, reintegration workers) see only the cases of their
  organisation they are assigned to;
* nobody else — not researchers, not organisation administrators, not site
  administrators who are not members — sees any case. Outsiders get 404.

Every record of a case (events, consents, rescue, …) is scoped through its
case. A person is visible with any of their visible cases, and to the
managers of the organisation that recorded them.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any, Literal

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Case as DbCase
from django.db.models import IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from homeward.accounts.models import Membership, Organisation, User
from homeward.accounts.roles import Capability, roles_with
from homeward.accounts.selectors import organisation_ids
from homeward.cases.choices import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    ConsentDecision,
    ConsentPurpose,
)
from homeward.cases.models import (
    Case,
    CaseAssignment,
    CaseStep,
    Consent,
    ConsentScan,
    CriminalProceeding,
    Guardian,
    MedicalExam,
    MissingReport,
    Move,
    Person,
    Repatriation,
    RescueRecord,
    TraffickingEvent,
)
from homeward.core import access
from homeward.core.fields import encrypted_fields

MANAGER_ROLES = roles_with(Capability.CASES_MANAGE)
TEAM_ROLES = roles_with(Capability.CASES_TEAM)
MEDICAL_ROLES = roles_with(Capability.CASES_MEDICAL)
# Hotline operators open urgent cases from a rescue escalation (and only those).
URGENT_OPENER_ROLES = roles_with(Capability.HOTLINE_LOG)


@access.register(Case)
def _case_scope(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    assigned = CaseAssignment.objects.filter(
        user=user, is_active=True,
        case__organisation_id__in=organisation_ids(user, TEAM_ROLES),
    ).values("case_id")
    return queryset.filter(
        Q(organisation_id__in=organisation_ids(user, MANAGER_ROLES)) | Q(pk__in=assigned)
    )


@access.register(Person)
def _person_scope(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    visible_cases = access.for_user(user, Case).values("person_id")
    return queryset.filter(
        Q(organisation_id__in=organisation_ids(user, MANAGER_ROLES)) | Q(pk__in=visible_cases)
    )


def _through_case(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.filter(case__in=access.for_user(user, Case))


for _model in (
    CaseAssignment, CaseStep, Consent, CriminalProceeding, Guardian, MedicalExam,
    MissingReport, Move, Repatriation, RescueRecord, TraffickingEvent,
):
    access.register(_model)(_through_case)


@access.register(ConsentScan)
def _consent_scan_scope(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.filter(consent__case__in=access.for_user(user, Case))


# --- what a user may do with a case they can see -----------------------------


def _role_in(user: User, organisation: Organisation) -> str | None:
    membership = (
        Membership.objects.filter(
            user=user, organisation=organisation, is_active=True, organisation__is_active=True
        )
        .values_list("role", flat=True)
        .first()
    )
    return membership


def can_manage_case(user: User, case: Case) -> bool:
    """Case workers and coordinators of the owning organisation."""
    return _role_in(user, case.organisation) in MANAGER_ROLES


def can_work_on_case(user: User, case: Case) -> bool:
    """Managers, and active team members (who can add steps and records)."""
    if can_manage_case(user, case):
        return True
    return (
        _role_in(user, case.organisation) in TEAM_ROLES
        and case.assignments.filter(user=user, is_active=True).exists()
    )


def can_see_medical(user: User, case: Case) -> bool:
    """The medical tab: roles that arrange or perform examinations."""
    return _role_in(user, case.organisation) in MEDICAL_ROLES and can_work_on_case(user, case)


def require_manage(user: User, case: Case) -> None:
    """403 unless the user manages the case (call after the access gate)."""
    if not can_manage_case(user, case):
        raise PermissionDenied


def require_work(user: User, case: Case) -> None:
    if not can_work_on_case(user, case):
        raise PermissionDenied


def require_medical(user: User, case: Case) -> None:
    if not can_see_medical(user, case):
        raise PermissionDenied


def works_on_cases(user: Any) -> bool:
    """Whether the user holds a role that works on cases in some organisation
    (the case list and API answer 403 to everyone else)."""
    return Membership.objects.filter(
        user=user, is_active=True, organisation__is_active=True, role__in=TEAM_ROLES
    ).exists()


def lead_choices(*, case: Case) -> QuerySet[User]:
    """Who may lead the case: case workers and coordinators of its organisation."""
    return User.objects.filter(
        memberships__organisation=case.organisation, memberships__is_active=True,
        memberships__role__in=MANAGER_ROLES, is_active=True,
    ).distinct().order_by("username")


def case_organisations(*, user: User) -> list[Organisation]:
    """Organisations whose cases the user works on (for the list's filter)."""
    return list(
        Organisation.objects.filter(pk__in=organisation_ids(user, TEAM_ROLES)).order_by("code")
    )


def case_workers_of(*, organisations: list[Organisation]) -> QuerySet[User]:
    """Members of ``organisations`` who work on cases (for the list's filter)."""
    return User.objects.filter(
        memberships__organisation__in=organisations, memberships__is_active=True,
        memberships__role__in=TEAM_ROLES, is_active=True,
    ).distinct().order_by("username")


# The countries offered as list filters are counted over every visible case,
# so they are cached per user (ISO codes only) under a generation number that
# every write of a case or person moves on (services.cases / persons).
COUNTRIES_CACHE_SECONDS = 600
_COUNTRIES_GENERATION = "cases:countries-generation"


def case_countries_changed() -> None:
    """Forget every cached list of filter countries."""
    try:
        cache.incr(_COUNTRIES_GENERATION)
    except ValueError:
        cache.set(_COUNTRIES_GENERATION, 1, None)


def case_countries_for_user(*, user: User) -> tuple[list[str], list[str]]:
    """(citizenships, destinations) seen in the cases the user may see."""
    generation = cache.get_or_set(_COUNTRIES_GENERATION, 1, None)
    key = f"cases:countries:{generation}:{user.pk}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    visible = access.for_user(user, Case).order_by()
    nationalities: set[str] = set()
    for text in visible.values_list("person__citizenships", flat=True).distinct():
        nationalities.update(code for code in (text or "").split(",") if code)
    destinations = {
        str(code) for code in visible.exclude(destination_country="")
        .values_list("destination_country", flat=True).distinct()
    }
    result = (sorted(nationalities), sorted(destinations))
    cache.set(key, result, COUNTRIES_CACHE_SECONDS)
    return result


def case_opening_organisations(*, user: User, urgent: bool = False) -> QuerySet[Organisation]:
    """Organisations in which the user may open cases: where they manage
    cases; for an urgent case (a rescue escalated from the hotline) also
    where they log hotline contacts."""
    roles = MANAGER_ROLES | URGENT_OPENER_ROLES if urgent else MANAGER_ROLES
    return Organisation.objects.filter(pk__in=organisation_ids(user, roles)).order_by("code")


def opens_only_urgent_cases(user: User, organisation: Organisation) -> bool:
    """Whether the user may open only urgent cases in ``organisation`` (a
    hotline operator: no lead role, joins the team as the hotline's member)."""
    return _role_in(user, organisation) in URGENT_OPENER_ROLES - MANAGER_ROLES


def case_managers_of(*, organisation: Organisation) -> QuerySet[User]:
    """Active case workers and coordinators of ``organisation``."""
    return User.objects.filter(
        memberships__organisation=organisation, memberships__is_active=True,
        memberships__role__in=MANAGER_ROLES, is_active=True,
    ).distinct().order_by("username")


# --- cases -------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CaseFilters:
    q: str = ""  # a case code, or a name (exact word, through the blind index)
    status: str = ""
    step: str = ""
    organisation: str = ""  # organisation code
    assignee: int | None = None
    nationality: str = ""  # ISO code
    destination: str = ""  # ISO code
    minor: bool | None = None
    overdue: bool = False
    kind: str = ""
    urgent: bool = False


# Lists never show names or notes: those columns are not even read (nor
# decrypted) for them. The birth date stays: it tells who is a minor.
LIST_DEFERRED = [
    *(f"person__{field.name}" for field in encrypted_fields(Person)
      if field.name != "birth_date"),
    *(field.name for field in encrypted_fields(Case)),
]

Need = Literal["see", "work", "manage", "medical"]


def case_get_for_user(*, user: Any, code: str, need: Need = "see") -> Case:
    """One case by its code, or 404 (the same for missing and not yours);
    then 403 unless the user may do ``need`` with it."""
    case = access.get_for_user(
        user, Case.objects.select_related("person", "organisation", "case_owner"), code=code
    )
    if need == "work":
        require_work(user, case)
    elif need == "manage":
        require_manage(user, case)
    elif need == "medical":
        require_medical(user, case)
    return case


def case_list_for_user(*, user: Any, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """The cases the user may see, filtered, newest first.

    "Minor" compares the year of birth (a person born in or after this year
    minus 18 may still be a child); the case page states it exactly.
    """
    from homeward.cases.matching import name_token_digests

    filters = filters or CaseFilters()
    queryset = (
        access.for_user(user, Case)
        .select_related("person", "organisation", "case_owner")
        .defer(*LIST_DEFERRED)
    )
    today = timezone.localdate()
    if filters.q:
        query = filters.q.strip()
        by_name = Q(person__match_keys__kind="token",
                    person__match_keys__digest__in=name_token_digests(query))
        queryset = queryset.filter(Q(code__istartswith=query) | Q(
            pk__in=Case.objects.filter(by_name).values("pk")
        ))
    if filters.status == "open":
        queryset = queryset.exclude(status__in=CLOSED_STATUSES)
    elif filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.step:
        queryset = queryset.filter(step=filters.step)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.organisation:
        queryset = queryset.filter(organisation__code=filters.organisation)
    if filters.assignee is not None:
        queryset = queryset.filter(
            Q(case_owner_id=filters.assignee)
            | Q(pk__in=CaseAssignment.objects.filter(
                user_id=filters.assignee, is_active=True).values("case_id"))
        )
    if filters.nationality:
        queryset = queryset.filter(person__citizenships__contains=f",{filters.nationality},")
    if filters.destination:
        queryset = queryset.filter(destination_country=filters.destination)
    if filters.minor is True:
        queryset = queryset.filter(person__birth_year__gte=today.year - 18)
    elif filters.minor is False:
        queryset = queryset.exclude(person__birth_year__gte=today.year - 18)
    if filters.overdue:
        queryset = queryset.filter(review_due_on__lt=today).exclude(status__in=CLOSED_STATUSES)
    if filters.urgent:
        queryset = queryset.filter(is_urgent=True).exclude(status__in=CLOSED_STATUSES)
    # Open urgent cases come first: a rescue in progress must not scroll away.
    urgent_first = DbCase(
        When(is_urgent=True, status__in=OPEN_STATUSES, then=Value(0)), default=Value(1),
        output_field=IntegerField(),
    )
    return queryset.annotate(urgent_rank=urgent_first).order_by("urgent_rank", "-opened_on", "-id")


def cases_of_person_for_user(*, user: Any, person: Person) -> QuerySet[Case]:
    return access.for_user(user, Case).filter(person=person).order_by("-opened_on", "-id")


def person_get_for_user(*, user: Any, pk: int) -> Person:
    return access.get_for_user(user, Person, pk=pk)


def assignable_users(*, case: Case) -> QuerySet[User]:
    """Members of the owning organisation whose role works on cases."""
    return User.objects.filter(
        memberships__organisation=case.organisation, memberships__is_active=True,
        memberships__role__in=TEAM_ROLES, is_active=True,
    ).distinct().order_by("username")


# --- consents ----------------------------------------------------------------


def consent_in_force(
    *, case: Case, purpose: str, organisation: Organisation | None = None
) -> Consent | None:
    """The newest decision for ``purpose`` (for data sharing: with
    ``organisation``), or None when none was ever recorded."""
    queryset = Consent.objects.filter(case=case, purpose=purpose)
    if purpose == ConsentPurpose.DATA_SHARING:
        queryset = queryset.filter(organisation=organisation)
    return queryset.order_by("-decided_on", "-id").first()


def consent_given(
    *, case: Case, purpose: str, organisation: Organisation | None = None
) -> bool:
    consent = consent_in_force(case=case, purpose=purpose, organisation=organisation)
    return consent is not None and consent.decision == ConsentDecision.GIVEN


def may_share_with(*, case: Case, organisation: Organisation) -> bool:
    """Whether the case's identifying data may go to ``organisation``: the
    case's own organisation, or one the person consented to sharing data
    with (the newest decision on record for it is "given")."""
    return organisation.pk == case.organisation_id or consent_given(
        case=case, purpose=ConsentPurpose.DATA_SHARING, organisation=organisation
    )


def shareable_organisation_ids(*, case: Case) -> set[int]:
    """Every organisation :func:`may_share_with` allows, in one query (for
    pages that offer a choice of receivers)."""
    newest: dict[int, str] = {}
    for organisation_id, decision in (
        Consent.objects.filter(case=case, purpose=ConsentPurpose.DATA_SHARING,
                               organisation__isnull=False)
        .order_by("-decided_on", "-id").values_list("organisation_id", "decision")
    ):
        newest.setdefault(organisation_id, decision)
    given = {pk for pk, decision in newest.items() if decision == ConsentDecision.GIVEN}
    return given | {case.organisation_id}


def consent_panel(*, case: Case) -> list[tuple[str, Any, Consent | None]]:
    """(purpose, label, consent in force) for every purpose, in order; data
    sharing once per organisation it was ever recorded for."""
    rows: list[tuple[str, Any, Consent | None]] = []
    consents = list(Consent.objects.filter(case=case).select_related("organisation")
                    .order_by("-decided_on", "-id"))
    for purpose, label in ConsentPurpose.choices:
        if purpose == ConsentPurpose.DATA_SHARING:
            seen: set[int | None] = set()
            for consent in consents:
                if consent.purpose == purpose and consent.organisation_id not in seen:
                    seen.add(consent.organisation_id)
                    rows.append((purpose, label, consent))
            if not seen:
                rows.append((purpose, label, None))
            continue
        current = next((c for c in consents if c.purpose == purpose), None)
        rows.append((purpose, label, current))
    return rows


def is_minor(case: Case, on: datetime.date | None = None) -> bool:
    return case.person.is_minor_on(on or timezone.localdate())


@dataclasses.dataclass(frozen=True)
class CaseWorkload:
    open_cases: int
    mine: int
    overdue: int
    minors: int
    urgent: int = 0


def case_workload_for_user(*, user: User) -> CaseWorkload | None:
    """Counts for the dashboard; None for users who work on no cases."""
    if not works_on_cases(user):
        return None
    today = timezone.localdate()
    open_cases = access.for_user(user, Case).exclude(status__in=CLOSED_STATUSES)
    return CaseWorkload(
        open_cases=open_cases.count(),
        mine=open_cases.filter(
            Q(case_owner=user) | Q(pk__in=CaseAssignment.objects.filter(
                user=user, is_active=True).values("case_id"))
        ).count(),
        overdue=open_cases.filter(review_due_on__lt=today).count(),
        minors=open_cases.filter(person__birth_year__gte=today.year - 18).count(),
        urgent=open_cases.filter(is_urgent=True).count(),
    )
