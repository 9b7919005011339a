"""Reads of referrals between organisations, and what of a case each side sees.

Referrals are fetched through the access gate (``selectors._referrals``):
the sending side and the receiving side see them, at any status; everyone
else gets 404. What of the *case* a viewer reads is :func:`shared_view`:

- the sending side sees what it shared (only the minimum once a transfer
  moved the case away from it);
- the receiving side sees only the minimum (code, age band, sex, needs)
  while the referral waits for an answer or once it is completed, the parts
  shared once it accepted, and nothing of the case once it declined or the
  sender revoked;
- identifying parts (names, date of birth, contacts, documents) are shown
  only while the person's consent to share data with the receiving
  organisation is on record *now* — a consent withdrawn later hides them
  again, even from an export.

Lists never load the person (names are not even decrypted for them).
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.db.models import Case as DbCase
from django.db.models import IntegerField, QuerySet, Value, When
from django.utils import timezone
from django_countries import countries

from homeward.accounts.models import Membership, User
from homeward.accounts.selectors import holds_role_in, organisation_ids
from homeward.cases.models import Case, Person, TraffickingEvent
from homeward.cases.selectors import can_manage_case, may_share_with
from homeward.core import access
from homeward.core.fields import encrypted_fields
from homeward.directory.models import Entry
from homeward.reintegration.choices import (
    IDENTIFYING_PARTS,
    MINIMUM_PARTS,
    OPEN_REFERRAL_STATUSES,
    Need,
    ReferralKind,
    ReferralPurpose,
    ReferralStatus,
    SharedPart,
)
from homeward.reintegration.models import Referral
from homeward.reintegration.selectors import (
    CASE_MANAGER_ROLES,
    RECEIVER_ROLES,
    may_receive,
)

# Queues show the case code only: the case's encrypted columns are not read.
_QUEUE_DEFERRED = [f"case__{field.name}" for field in encrypted_fields(Case)]


def _queue(queryset: QuerySet[Referral]) -> QuerySet[Referral]:
    open_first = DbCase(
        When(status__in=OPEN_REFERRAL_STATUSES, then=Value(0)), default=Value(1),
        output_field=IntegerField(),
    )
    return (
        queryset.select_related("case", "sender", "receiver", "receiver_entry", "assignee",
                                "sent_by")
        .defer(*_QUEUE_DEFERRED)
        .annotate(open_rank=open_first)
        .order_by("open_rank", "answer_due_on", "-sent_at", "-id")
    )


def queue_page(queryset: QuerySet[Referral], limit: int) -> list[Referral]:
    """The first ``limit`` referrals of a queue (from :func:`incoming_queue`,
    :func:`outgoing_queue` …), in its order. In two steps: the ids, sorted on
    the referral's own columns, then just those rows with their cases and
    organisations — so the database never joins the whole queue to the cases
    table (tens of thousands of rows) before keeping the first ``limit``."""
    ids = list(queryset.values_list("pk", flat=True)[:limit])
    rows = {referral.pk: referral for referral in _queue(Referral.objects.filter(pk__in=ids))}
    return [rows[pk] for pk in ids if pk in rows]


def referral_get_for_user(*, user: Any, pk: int) -> Referral:
    """One referral the user may see (either side), or 404."""
    return access.get_for_user(
        user,
        Referral.objects.select_related(
            "case", "case__person", "case__organisation", "sender", "receiver",
            "receiver_entry", "assignee", "sent_by", "answered_by", "revoked_by",
        ),
        pk=pk,
    )


def referral_list_for_user(*, user: Any, status: str | None = None) -> QuerySet[Referral]:
    """Every referral the user sees, received or sent; open ones first, by
    the date an answer is due."""
    queryset = access.for_user(user, Referral)
    if status:
        queryset = queryset.filter(status=status)
    return _queue(queryset)


def incoming_queue(*, user: Any, status: str | None = None) -> QuerySet[Referral]:
    """Referrals received by the organisations where the user answers
    referrals; open ones first, by the date an answer is due."""
    queryset = access.for_user(user, Referral).filter(
        receiver_id__in=organisation_ids(user, RECEIVER_ROLES)
    )
    if status:
        queryset = queryset.filter(status=status)
    return _queue(queryset)


def outgoing_queue(*, user: Any, status: str | None = None) -> QuerySet[Referral]:
    """Referrals sent by the user's organisations that the user may see;
    open ones first, by the date an answer is due."""
    member_of = Membership.objects.filter(
        user=user, is_active=True, organisation__is_active=True
    ).values("organisation_id")
    queryset = access.for_user(user, Referral).filter(sender_id__in=member_of)
    if status:
        queryset = queryset.filter(status=status)
    return _queue(queryset)


def case_referrals(*, user: Any, case: Case) -> QuerySet[Referral]:
    """The case's referrals the user may see, newest first."""
    return (
        access.for_user(user, Referral).filter(case=case)
        .select_related("sender", "receiver", "assignee", "sent_by")
        .order_by("-sent_at", "-id")
    )


def referral_counts_for_user(*, user: Any) -> dict[str, int] | None:
    """The dashboard's "Referrals" panel: referrals waiting for the user's
    organisations to answer, how many of them are overdue, and sent ones
    whose answer is overdue. None for who neither answers nor sends."""
    if not may_receive(user):
        return None
    today = timezone.localdate()
    incoming = incoming_queue(user=user, status=ReferralStatus.PENDING)
    outgoing = outgoing_queue(user=user, status=ReferralStatus.PENDING)
    return {
        "pending": incoming.count(),
        "overdue": incoming.filter(answer_due_on__lt=today).count(),
        "sent_overdue": outgoing.filter(answer_due_on__lt=today).count(),
    }


# --- who may do what with a referral ---------------------------------------------


def is_sender_side(user: Any, referral: Referral) -> bool:
    """Case managers of the sending organisation, and the sending
    organisation's members who see the case (its team)."""
    if holds_role_in(user, referral.sender_id, CASE_MANAGER_ROLES):
        return True
    return (
        Membership.objects.filter(user=user, organisation_id=referral.sender_id,
                                  is_active=True, organisation__is_active=True).exists()
        and access.for_user(user, Case).filter(pk=referral.case_id).exists()
    )


def is_receiver_side(user: Any, referral: Referral) -> bool:
    """Members of the receiving organisation who answer referrals."""
    return holds_role_in(user, referral.receiver_id, RECEIVER_ROLES)


def may_answer(user: Any, referral: Referral) -> bool:
    return referral.status == ReferralStatus.PENDING and is_receiver_side(user, referral)


def may_revoke(user: Any, referral: Referral) -> bool:
    if referral.status not in OPEN_REFERRAL_STATUSES:
        return False
    if referral.is_transfer and referral.status == ReferralStatus.ACCEPTED:
        return False
    return holds_role_in(user, referral.sender_id, CASE_MANAGER_ROLES) or can_manage_case(
        user, referral.case
    )


def may_complete(user: Any, referral: Referral) -> bool:
    return referral.status == ReferralStatus.ACCEPTED and (
        is_receiver_side(user, referral) or may_revoke(user, referral)
        or holds_role_in(user, referral.sender_id, CASE_MANAGER_ROLES)
    )


def may_assign(user: Any, referral: Referral) -> bool:
    return referral.status in OPEN_REFERRAL_STATUSES and is_receiver_side(user, referral)


def receiver_users(referral: Referral) -> QuerySet[User]:
    """Who may be put in charge of a referral on the receiving side."""
    return User.objects.filter(
        memberships__organisation_id=referral.receiver_id, memberships__is_active=True,
        memberships__role__in=RECEIVER_ROLES, is_active=True,
    ).distinct().order_by("username")


def receivers_for(*, user: Any) -> QuerySet[Entry]:
    """Directory entries the user sees that describe an active Homeward
    organisation other than the user's own: where a referral can go."""
    own = Membership.objects.filter(user=user, is_active=True).values("organisation_id")
    return (
        access.for_user(user, Entry)
        .filter(organisation__isnull=False, organisation__is_active=True)
        .exclude(organisation_id__in=own)
        .select_related("organisation")
        .order_by("name_en", "id")
    )


def identifying_allowed(referral: Referral) -> bool:
    """Whether the person's consent to share data with the receiving
    organisation is on record now."""
    return may_share_with(case=referral.case, organisation=referral.receiver)


# --- what of the case a viewer reads -----------------------------------------------

_BAND_WIDTH = 5
_YOUNGEST_BAND = 15
_OLDEST_BAND = 60


def age_band(person: Person, on: datetime.date) -> str:
    """A five-year band ("<15", "15-19", …, "55-59", "60+"); "" when nothing is
    known. With only the year of birth, the younger possible age decides."""
    ages = person.age_range_on(on)
    if ages is None:
        return ""
    age = ages[0]
    if age < _YOUNGEST_BAND:
        return f"<{_YOUNGEST_BAND}"
    if age >= _OLDEST_BAND:
        return f"{_OLDEST_BAND}+"
    start = age - age % _BAND_WIDTH
    return f"{start}-{start + _BAND_WIDTH - 1}"


@dataclasses.dataclass(frozen=True)
class SharedNames:
    first_name: str
    middle_name: str
    last_name: str
    first_name_latin: str
    last_name_latin: str
    other_names: str


@dataclasses.dataclass(frozen=True)
class SharedContacts:
    phones: list[str]
    email: str
    address: str


@dataclasses.dataclass(frozen=True)
class SharedDocument:
    kind: str
    number: str


@dataclasses.dataclass(frozen=True)
class SharedOrigin:
    citizenships: list[str]  # country names
    country: str
    region: str
    city: str


@dataclasses.dataclass(frozen=True)
class SharedChildren:
    number: int | None
    accompanying: int


@dataclasses.dataclass(frozen=True)
class SharedTrafficking:
    exploitation_types: list[str]  # labels
    destination_countries: list[str]  # country names


@dataclasses.dataclass(frozen=True)
class SharedView:
    """What of a referred case the viewer may read.

    The minimum (``code``, ``age_band``, ``sex``, ``needs``) is blank once the
    receiving side may see nothing of the case; every other part is None
    unless shared and — for the identifying parts — consented to now.
    ``parts`` are the parts shown; ``withheld`` the labels of the parts the
    sender asked to share that are hidden for want of consent.
    """

    code: str
    age_band: str
    sex: str
    needs: list[str]
    names: SharedNames | None = None
    birth_date: datetime.date | None = None
    contacts: SharedContacts | None = None
    documents: list[SharedDocument] | None = None
    origin: SharedOrigin | None = None
    children: SharedChildren | None = None
    trafficking: SharedTrafficking | None = None
    withheld: list[str] = dataclasses.field(default_factory=list)
    parts: list[str] = dataclasses.field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.parts

    def shows(self, part: str) -> bool:
        return part in self.parts


def _labels(values: list[str], choices: Any) -> list[str]:
    labels = dict(choices)
    return [str(labels.get(value, value)) for value in values]


def _country(code: Any) -> str:
    code = str(code or "")
    return str(countries.name(code)) or code if code else ""


def _visible_parts(*, referral: Referral, user: Any) -> list[str]:
    """The parts the viewer may read before the consent check."""
    if is_sender_side(user, referral):
        if referral.is_transfer and referral.status in (
            ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED
        ):  # the case moved away: the former owner keeps the minimum only
            return [part for part in referral.shared_parts if part in MINIMUM_PARTS]
        return list(referral.shared_parts)
    if not is_receiver_side(user, referral):
        return []
    if referral.status == ReferralStatus.ACCEPTED:
        return list(referral.shared_parts)
    if referral.status in (ReferralStatus.PENDING, ReferralStatus.COMPLETED):
        return [part for part in referral.shared_parts if part in MINIMUM_PARTS]
    return []


def shared_view(*, referral: Referral, user: Any) -> SharedView:
    """What of the referral's case ``user`` may read (see the module's doc).
    Call it on a referral fetched through the gate."""
    parts = _visible_parts(referral=referral, user=user)
    labels = dict(SharedPart.choices)
    withheld: list[str] = []
    if any(part in IDENTIFYING_PARTS for part in parts) and not identifying_allowed(referral):
        withheld = [str(labels[part]) for part in parts if part in IDENTIFYING_PARTS]
        parts = [part for part in parts if part not in IDENTIFYING_PARTS]
    if not parts:
        return SharedView(code="", age_band="", sex="", needs=[], withheld=withheld)
    case = referral.case
    person = case.person
    values: dict[str, Any] = {
        "code": case.code if SharedPart.CODE in parts else "",
        "age_band": (age_band(person, timezone.localdate())
                     if SharedPart.AGE_BAND in parts else ""),
        "sex": person.get_gender_display() if SharedPart.SEX in parts else "",
        "needs": _labels(list(referral.needs), Need.choices) if SharedPart.NEEDS in parts
        else [],
        "withheld": withheld,
        "parts": parts,
    }
    if SharedPart.NAMES in parts:
        values["names"] = SharedNames(
            first_name=person.first_name, middle_name=person.middle_name,
            last_name=person.last_name, first_name_latin=person.first_name_latin,
            last_name_latin=person.last_name_latin, other_names=person.other_names,
        )
    if SharedPart.BIRTH_DATE in parts:
        values["birth_date"] = person.birth_date
    if SharedPart.CONTACTS in parts:
        values["contacts"] = SharedContacts(
            phones=[str(phone) for phone in person.phones or []], email=person.email,
            address=person.address,
        )
    if SharedPart.DOCUMENTS in parts:
        values["documents"] = [
            SharedDocument(kind=str(document.get("kind", "")),
                           number=str(document.get("number", "")))
            for document in person.identity_documents or [] if isinstance(document, dict)
        ]
    if SharedPart.ORIGIN in parts:
        values["origin"] = SharedOrigin(
            citizenships=[_country(code) for code in person.citizenship_list],
            country=_country(person.origin_country), region=person.origin_region,
            city=person.origin_city,
        )
    if SharedPart.CHILDREN in parts:
        values["children"] = SharedChildren(
            number=person.number_of_children, accompanying=person.children_accompanying,
        )
    if SharedPart.TRAFFICKING in parts:
        values["trafficking"] = _trafficking(case)
    return SharedView(**values)


def _trafficking(case: Case) -> SharedTrafficking:
    field = Case._meta.get_field("exploitation_types")
    item_choices = getattr(field, "item_choices", None) or []
    destinations = [str(case.destination_country or "")]
    destinations += [
        str(code) for code in TraffickingEvent.objects.filter(case=case)
        .exclude(country="").values_list("country", flat=True)
    ]
    return SharedTrafficking(
        exploitation_types=_labels(list(case.exploitation_types), item_choices),
        destination_countries=[_country(code) for code in dict.fromkeys(destinations) if code],
    )


def shared_view_export(*, referral: Referral, user: Any) -> dict[str, Any]:
    """The referral and :func:`shared_view`, JSON-ready (dates as ISO strings).
    Holds exactly what the page shows the user — no more."""
    view = shared_view(referral=referral, user=user)
    shared = dataclasses.asdict(view)
    if view.birth_date is not None:
        shared["birth_date"] = view.birth_date.isoformat()
    shared = {key: value for key, value in shared.items() if value is not None}
    return {
        "referral": {
            "id": referral.pk,
            "kind": referral.kind,
            "kind_label": str(dict(ReferralKind.choices).get(referral.kind, referral.kind)),
            "status": referral.status,
            "status_label": referral.get_status_display(),
            "sender": referral.sender.code,
            "receiver": referral.receiver.code,
            "reason": referral.reason,
            "purposes": list(referral.purposes),
            "purpose_labels": _labels(list(referral.purposes), ReferralPurpose.choices),
            "needs": list(referral.needs),
            "answer_due_on": referral.answer_due_on.isoformat(),
            "sent_at": referral.sent_at.isoformat(),
            "answered_at": referral.answered_at.isoformat() if referral.answered_at else None,
            "revoked_at": referral.revoked_at.isoformat() if referral.revoked_at else None,
            "completed_at": (referral.completed_at.isoformat()
                             if referral.completed_at else None),
        },
        "shared": shared,
    }
