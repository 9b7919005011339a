"""Reintegration test data.

- ``partner_organisation(code)``: a third organisation (a regional partner
  NGO) with one user per receiving-side role: ``reintegration_worker@yar``,
  ``case_worker@yar``, ``coordinator@yar``, ``org_admin@yar``, and a
  directory entry that describes it (so referrals can choose it).
- ``standard_cash_kind()``: the catalogue's standard cash support as data —
  150 EUR for Russian nationals, 50 EUR for others, +350 EUR for mothers
  with small children.
- ``make_questionnaire()``: a published questionnaire with one question of
  each answer type.
- ``make_programme()``: a programme with its donor.
- ``make_referral(case, receiver, ...)``: a referral row as it would stand
  after sending (and, by default, acceptance), made directly — for tests
  of pages and the API; the services' own tests go through the services.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
from decimal import Decimal
from typing import Any, cast

from django.utils import timezone

from homeward.accounts.models import Organisation, User
from homeward.accounts.roles import Role
from homeward.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    totp_device,
)
from homeward.cases.models import Case
from homeward.directory.models import Entry, EntryKind
from homeward.reintegration.choices import (
    MINIMUM_PARTS,
    AnswerType,
    AssistanceCategory,
    Currency,
    Need,
    QuestionnaireStatus,
    ReferralPurpose,
    ReferralStatus,
    RuleCondition,
    RuleMode,
)
from homeward.reintegration.models import (
    AssistanceKind,
    Donor,
    EligibilityRule,
    Programme,
    Question,
    Questionnaire,
    Referral,
)

_numbers = itertools.count(1)

PARTNER_ROLES = (Role.REINTEGRATION_WORKER, Role.CASE_WORKER, Role.COORDINATOR, Role.ORG_ADMIN)


@dataclasses.dataclass
class Partner:
    organisation: Organisation
    entry: Entry
    users: dict[str, User]

    def user(self, role: str) -> User:
        return self.users[role]


def partner_organisation(code: str = "YAR") -> Partner:
    organisation = cast(Organisation, OrganisationFactory(
        code=code, name_en=f"{code} partner NGO", name_ru=f"НКО-партнёр {code}",
        region="Yaroslavl Oblast", city="Yaroslavl",
    ))
    users: dict[str, User] = {}
    for role in PARTNER_ROLES:
        user = cast(User, UserFactory(username=f"{role}@{code.lower()}"))
        MembershipFactory(user=user, organisation=organisation, role=role)
        totp_device(user)
        users[role] = user
    entry = Entry.objects.create(
        owner=organisation, organisation=organisation, kind=EntryKind.NGO,
        name_en=organisation.name_en, name_ru=organisation.name_ru, country="RU",
        region="Yaroslavl Oblast", city="Yaroslavl",
    )
    return Partner(organisation=organisation, entry=entry, users=users)


def directory_entry_for(organisation: Organisation) -> Entry:
    """A directory entry describing ``organisation`` (e.g. the cast's AWAY)."""
    return Entry.objects.create(
        owner=organisation, organisation=organisation, kind=EntryKind.NGO,
        name_en=organisation.name_en, name_ru=organisation.name_ru, country="RU",
    )


def standard_cash_kind() -> AssistanceKind:
    kind = AssistanceKind.objects.create(
        code=f"standard-cash-{next(_numbers)}", category=AssistanceCategory.CASH,
        name_en="Standard cash support", name_ru="Стандартная денежная помощь",
        default_amount=Decimal("150.00"), currency=Currency.EUR,
    )
    EligibilityRule.objects.create(kind=kind, position=1, condition=RuleCondition.CITIZEN_OF,
                                   country="RU", mode=RuleMode.BASE, amount=Decimal("150"))
    EligibilityRule.objects.create(kind=kind, position=2, condition=RuleCondition.EVERYONE,
                                   mode=RuleMode.BASE, amount=Decimal("50"))
    EligibilityRule.objects.create(
        kind=kind, position=3, condition=RuleCondition.MOTHER_WITH_SMALL_CHILDREN,
        mode=RuleMode.SUPPLEMENT, amount=Decimal("350"),
    )
    return kind


def make_kind(**overrides: Any) -> AssistanceKind:
    n = next(_numbers)
    values: dict[str, Any] = {
        "code": f"kind-{n}", "category": AssistanceCategory.VOCATIONAL_TRAINING,
        "name_en": f"Vocational training {n}", "name_ru": f"Профобучение {n}",
        "default_amount": Decimal("300.00"), "currency": Currency.EUR, **overrides,
    }
    return AssistanceKind.objects.create(**values)


def make_programme(**overrides: Any) -> Programme:
    n = next(_numbers)
    donor = overrides.pop("donor", None) or Donor.objects.create(name=f"Donor {n}")
    values: dict[str, Any] = {
        "code": f"programme-{n}", "name_en": f"Programme {n}", "name_ru": f"Программа {n}",
        "donor": donor, **overrides,
    }
    return Programme.objects.create(**values)


def make_questionnaire(
    *, version: int | None = None, status: str = QuestionnaireStatus.PUBLISHED,
    actor: User | None = None,
) -> Questionnaire:
    questionnaire = Questionnaire.objects.create(
        version=version if version is not None else next(_numbers),
        status=status, title_en="Pre-integration assessment",
        title_ru="Предынтеграционная оценка", created_by=actor,
        published_at=timezone.now() if status != QuestionnaireStatus.DRAFT else None,
    )
    specs: list[tuple[str, str, str, str, list[dict[str, str]]]] = [
        ("family", AnswerType.LONG_TEXT, "Family situation", "Семейная ситуация", []),
        ("wants_home", AnswerType.YES_NO, "Wants to go home?", "Хочет вернуться домой?", []),
        ("skills", AnswerType.MULTIPLE_CHOICE, "Skills", "Навыки", [
            {"key": "sewing", "en": "Sewing", "ru": "Шитьё"},
            {"key": "cooking", "en": "Cooking", "ru": "Кулинария"},
        ]),
        ("housing", AnswerType.SINGLE_CHOICE, "Housing", "Жильё", [
            {"key": "family", "en": "With family", "ru": "С семьёй"},
            {"key": "none", "en": "None", "ru": "Нет"},
        ]),
        ("children", AnswerType.NUMBER, "Children", "Дети", []),
        ("available_from", AnswerType.DATE, "Available from", "Доступна с", []),
    ]
    for position, (key, answer_type, en, ru, options) in enumerate(specs, start=1):
        Question.objects.create(
            questionnaire=questionnaire, position=position, key=key, answer_type=answer_type,
            text_en=en, text_ru=ru, options=options, required=key == "wants_home",
        )
    return questionnaire


def make_referral(
    case: Case, receiver: Organisation, *, status: str = ReferralStatus.ACCEPTED,
    shared_parts: tuple[str, ...] | list[str] = MINIMUM_PARTS, sent_by: User | None = None,
    **overrides: Any,
) -> Referral:
    now = timezone.now()
    values: dict[str, Any] = {
        "case": case, "sender": case.organisation, "receiver": receiver,
        "purposes": [ReferralPurpose.REINTEGRATION, ReferralPurpose.MONITORING],
        "needs": [Need.HOUSING, Need.WORK], "shared_parts": list(shared_parts),
        "status": status, "answer_due_on": timezone.localdate() + datetime.timedelta(days=7),
        "sent_by": sent_by,
        **overrides,
    }
    if status != ReferralStatus.PENDING:
        values.setdefault("answered_at", now)
    return Referral.objects.create(**values)
