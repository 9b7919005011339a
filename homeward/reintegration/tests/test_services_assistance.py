"""The assistance catalogue and the ledger (services/assistance.py,
selectors_assistance.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from homeward.accounts.roles import Role
from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.cases.tests.factories import give_consent, open_case
from homeward.reintegration.choices import (
    AssistanceCategory,
    EntryType,
    RuleCondition,
    RuleMode,
    SharedPart,
)
from homeward.reintegration.errors import ConsentRequired, LedgerRuleError
from homeward.reintegration.models import EligibilityRule, LedgerEntry, LedgerImmutable
from homeward.reintegration.selectors import CaseAccess, case_access
from homeward.reintegration.selectors_assistance import (
    CurrencyTotals,
    TotalRow,
    case_ledger,
    ledger_totals,
    totals,
)
from homeward.reintegration.services.assistance import (
    donor_create,
    kind_create,
    kind_update,
    ledger_record,
    programme_create,
    programme_update,
    rule_add,
    rule_move,
    rule_remove,
)
from homeward.reintegration.tests.factories import (
    make_kind,
    make_programme,
    make_referral,
    partner_organisation,
    standard_cash_kind,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _case(cast: Any, consent: bool = True) -> tuple[Any, CaseAccess]:
    worker = cast.user(Role.CASE_WORKER)
    case = open_case(cast)
    if consent:
        give_consent(case, worker)
    return worker, case_access(user=worker, code=case.code)


def _record(actor: Any, access: CaseAccess, **values: Any) -> LedgerEntry:
    spec: dict[str, Any] = {
        "entry_type": EntryType.GRANT, "amount": Decimal("100"), "currency": "EUR",
        "entry_on": timezone.localdate(), **values,
    }
    spec.setdefault("kind", make_kind())
    spec.setdefault("approved_by", _coordinator_of(access))
    return ledger_record(actor=actor, access=access, **spec)


def _coordinator_of(access: CaseAccess) -> Any:
    from homeward.accounts.models import Membership

    membership = Membership.objects.get(organisation=access.organisation, role=Role.COORDINATOR)
    return membership.user


# --- the catalogue -----------------------------------------------------------------


def test_coordinator_builds_the_standard_cash_kind_as_data(cast: Any) -> None:
    coordinator = cast.user(Role.COORDINATOR)
    kind = kind_create(actor=coordinator, code="standard-cash",
                       category=AssistanceCategory.CASH, name_ru="Денежная помощь",
                       name_en="Cash support", default_amount=Decimal("150"))
    rule_add(actor=coordinator, kind=kind, condition=RuleCondition.CITIZEN_OF, country="ru",
             mode=RuleMode.BASE, amount=Decimal("150"))
    everyone = rule_add(actor=coordinator, kind=kind, condition=RuleCondition.EVERYONE,
                        country="RU", mode=RuleMode.BASE, amount=Decimal("50"))
    rule_add(actor=coordinator, kind=kind, condition=RuleCondition.MOTHER_WITH_SMALL_CHILDREN,
             mode=RuleMode.SUPPLEMENT, amount=Decimal("350"))

    rules = list(kind.rules.all())
    assert [(r.position, r.condition, str(r.country)) for r in rules] == [
        (1, RuleCondition.CITIZEN_OF, "RU"), (2, RuleCondition.EVERYONE, ""),
        (3, RuleCondition.MOTHER_WITH_SMALL_CHILDREN, ""),
    ]
    rule_remove(actor=coordinator, rule=everyone)
    assert kind.rules.count() == 2
    assert AuditEntry.objects.filter(target_type="reintegration.EligibilityRule",
                                     action=Action.DELETE).count() == 1
    updated = kind_update(actor=coordinator, kind=kind, max_months=6, is_active=False)
    assert (updated.max_months, updated.is_active) == (6, False)


def test_moving_a_rule_changes_which_base_rule_applies_first(cast: Any) -> None:
    coordinator = cast.user(Role.COORDINATOR)
    kind = standard_cash_kind()
    russians, everyone, mothers = kind.rules.order_by("position")
    rule_move(actor=coordinator, rule=everyone, up=True)
    assert list(kind.rules.order_by("position")) == [everyone, russians, mothers]
    assert [rule.position for rule in kind.rules.order_by("position")] == [1, 2, 3]
    assert AuditEntry.objects.filter(target_type="reintegration.EligibilityRule",
                                     target_id=str(everyone.pk),
                                     action=Action.UPDATE, fields=["position"]).count() == 1
    # Nothing happens, nor is audited, at the ends of the list.
    rule_move(actor=coordinator, rule=everyone, up=True)
    rule_move(actor=coordinator, rule=mothers, up=False)
    assert list(kind.rules.order_by("position")) == [everyone, russians, mothers]
    assert AuditEntry.objects.filter(target_type="reintegration.EligibilityRule",
                                     action=Action.UPDATE).count() == 1


def test_catalogue_refuses_bad_data(cast: Any) -> None:
    coordinator = cast.user(Role.COORDINATOR)
    kind = make_kind()
    with pytest.raises(ValidationError) as country:
        rule_add(actor=coordinator, kind=kind, condition=RuleCondition.CITIZEN_OF,
                 mode=RuleMode.BASE, amount=Decimal("1"))
    with pytest.raises(ValidationError) as amount:
        rule_add(actor=coordinator, kind=kind, condition=RuleCondition.EVERYONE,
                 mode=RuleMode.BASE, amount=Decimal("-1"))
    with pytest.raises(ValidationError) as code:
        kind_create(actor=coordinator, code=kind.code, category=AssistanceCategory.CASH,
                    name_ru="x", name_en="x")
    with pytest.raises(ValidationError) as currency:
        kind_update(actor=coordinator, kind=kind, currency="GBP")

    assert "country" in country.value.message_dict
    assert "amount" in amount.value.message_dict
    assert "code" in code.value.message_dict
    assert "currency" in currency.value.message_dict
    assert not EligibilityRule.objects.exists()


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.REINTEGRATION_WORKER, Role.ORG_ADMIN])
def test_only_coordinators_manage_the_catalogue(cast: Any, role: str) -> None:
    user = cast.user(role)
    kind = make_kind()
    with pytest.raises(PermissionDenied):
        kind_create(actor=user, code="x", category=AssistanceCategory.CASH, name_ru="x",
                    name_en="x")
    with pytest.raises(PermissionDenied):
        kind_update(actor=user, kind=kind, name_en="y")
    with pytest.raises(PermissionDenied):
        rule_add(actor=user, kind=kind, condition=RuleCondition.EVERYONE, mode=RuleMode.BASE,
                 amount=Decimal("1"))
    with pytest.raises(PermissionDenied):
        donor_create(actor=user, name="EU")
    rule = rule_add(actor=cast.user(Role.COORDINATOR), kind=kind,
                    condition=RuleCondition.EVERYONE, mode=RuleMode.BASE, amount=Decimal("1"))
    with pytest.raises(PermissionDenied):
        rule_move(actor=user, rule=rule, up=True)


def test_donors_and_programmes(cast: Any) -> None:
    coordinator = cast.user(Role.COORDINATOR)
    donor = donor_create(actor=coordinator, name="European Union")
    programme = programme_create(actor=coordinator, code="eu-2026", name_ru="ЕС 2026",
                                 name_en="EU 2026", donor=donor,
                                 starts_on=datetime.date(2026, 1, 1))
    with pytest.raises(ValidationError) as ends:
        programme_update(actor=coordinator, programme=programme,
                         ends_on=datetime.date(2025, 1, 1))
    with pytest.raises(ValidationError):
        donor_create(actor=coordinator, name="European Union")

    assert "ends_on" in ends.value.message_dict
    assert programme_update(actor=coordinator, programme=programme,
                            name_en="EU programme 2026").name_en == "EU programme 2026"


# --- the ledger --------------------------------------------------------------------


def test_grant_payment_and_correction_make_the_case_totals(cast: Any) -> None:
    worker, access = _case(cast)
    kind = make_kind()
    grant = _record(worker, access, kind=kind, amount=Decimal("500"), purpose="Rent deposit")
    payment = _record(worker, access, kind=kind, entry_type=EntryType.PAYMENT,
                      amount=Decimal("200"), grant=grant)
    _record(worker, access, kind=kind, entry_type=EntryType.CORRECTION, amount=Decimal("-50"),
            corrects=payment)
    _record(worker, access, kind=kind, entry_type=EntryType.CORRECTION,
            amount=Decimal("-100"), corrects=grant)
    _record(worker, access, kind=make_kind(currency="RUB"), amount=Decimal("10000"),
            currency="RUB")

    entries = case_ledger(user=worker, case=access.case)

    assert payment.paid_by == worker
    assert ledger_totals(entries) == [
        CurrencyTotals(currency="EUR", granted=Decimal("400"), paid=Decimal("150"),
                       balance=Decimal("250")),
        CurrencyTotals(currency="RUB", granted=Decimal("10000"), paid=Decimal("0"),
                       balance=Decimal("10000")),
    ]
    audit = AuditEntry.objects.filter(target_type="reintegration.LedgerEntry",
                                      target_id=str(grant.pk)).get()
    assert audit.action == Action.CREATE
    assert "Rent" not in str(audit.detail)
    assert "500" not in str(audit.detail)


def test_the_ledger_is_never_edited_or_deleted(cast: Any) -> None:
    worker, access = _case(cast)
    entry = _record(worker, access)
    entry.amount = Decimal("1")

    with pytest.raises(LedgerImmutable):
        entry.save()
    with pytest.raises(LedgerImmutable):
        entry.delete()
    with pytest.raises(LedgerImmutable):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("1"))
    with pytest.raises(LedgerImmutable):
        LedgerEntry.objects.filter(pk=entry.pk).delete()

    entry.refresh_from_db()
    assert entry.amount == Decimal("100")


def test_a_correction_is_a_new_entry_pointing_at_the_original(cast: Any) -> None:
    worker, access = _case(cast)
    grant = _record(worker, access)

    correction = _record(worker, access, kind=grant.kind, entry_type=EntryType.CORRECTION,
                         amount=Decimal("-30"), corrects=grant)

    grant.refresh_from_db()
    assert grant.amount == Decimal("100")
    assert list(grant.corrections.all()) == [correction]
    assert LedgerEntry.objects.filter(case=access.case).count() == 2


@pytest.mark.parametrize(("values", "field"), [
    ({"amount": Decimal("0")}, "amount"),
    ({"amount": Decimal("-5")}, "amount"),
    ({"entry_on": "future"}, "entry_on"),
    ({"currency": "GBP"}, "currency"),
    ({"entry_type": "Gift"}, "entry_type"),
    ({"entry_type": EntryType.CORRECTION}, "corrects"),
    ({"approved_by": "worker"}, "approved_by"),
    ({"approved_by": "away"}, "approved_by"),
    ({"entry_type": EntryType.PAYMENT, "paid_by": "away"}, "paid_by"),
])
def test_bad_entries_are_refused(cast: Any, values: dict[str, Any], field: str) -> None:
    worker, access = _case(cast)
    if values.get("entry_on") == "future":
        values["entry_on"] = timezone.localdate() + DAY
    if values.get("approved_by") == "worker":
        values["approved_by"] = worker
    if values.get("approved_by") == "away":
        values["approved_by"] = cast.user(Role.COORDINATOR, "away")
    if values.get("paid_by") == "away":
        values["paid_by"] = cast.user(Role.CASE_WORKER, "away")

    with pytest.raises(ValidationError) as refused:
        _record(worker, access, **values)

    assert field in refused.value.message_dict
    assert not LedgerEntry.objects.exists()


def test_correction_rules(cast: Any) -> None:
    worker, access = _case(cast)
    grant = _record(worker, access, amount=Decimal("100"))
    correction = _record(worker, access, kind=grant.kind, entry_type=EntryType.CORRECTION,
                         amount=Decimal("-40"), corrects=grant)
    bad: list[tuple[dict[str, Any], str]] = [
        ({"amount": Decimal("0"), "corrects": grant}, "amount"),
        ({"amount": Decimal("-61"), "corrects": grant}, "amount"),  # below zero
        ({"amount": Decimal("5"), "corrects": grant, "currency": "USD"}, "currency"),
        ({"amount": Decimal("5"), "corrects": correction}, "corrects"),
        ({"amount": Decimal("5"), "corrects": grant, "kind": make_kind()}, "kind"),
    ]
    for values, field in bad:
        values.setdefault("kind", grant.kind)
        with pytest.raises(LedgerRuleError) as refused:
            _record(worker, access, entry_type=EntryType.CORRECTION, **values)
        assert field in refused.value.message_dict
    other_worker, other = _case(cast)
    with pytest.raises(LedgerRuleError) as elsewhere:
        _record(other_worker, other, entry_type=EntryType.CORRECTION, kind=grant.kind,
                amount=Decimal("-1"), corrects=grant)
    assert "corrects" in elsewhere.value.message_dict


def test_payments_of_a_grant_never_exceed_it(cast: Any) -> None:
    worker, access = _case(cast)
    grant = _record(worker, access, amount=Decimal("300"))
    kind = grant.kind
    _record(worker, access, kind=kind, entry_type=EntryType.PAYMENT, amount=Decimal("200"),
            grant=grant)

    with pytest.raises(LedgerRuleError) as over:
        _record(worker, access, kind=kind, entry_type=EntryType.PAYMENT,
                amount=Decimal("101"), grant=grant)
    with pytest.raises(LedgerRuleError) as currency:
        _record(worker, access, kind=kind, entry_type=EntryType.PAYMENT, amount=Decimal("1"),
                currency="USD", grant=grant)
    _record(worker, access, kind=kind, entry_type=EntryType.PAYMENT, amount=Decimal("100"),
            grant=grant)

    assert "amount" in over.value.message_dict
    assert "currency" in currency.value.message_dict
    assert LedgerEntry.objects.filter(grant=grant).count() == 2


def test_grants_and_payments_need_consent_to_assistance(cast: Any) -> None:
    worker, access = _case(cast, consent=False)

    with pytest.raises(ConsentRequired):
        _record(worker, access)
    with pytest.raises(ConsentRequired):
        _record(worker, access, entry_type=EntryType.PAYMENT)
    assert not LedgerEntry.objects.exists()


def test_wrong_role_and_outsiders_may_not_record(cast: Any) -> None:
    _worker, access = _case(cast)
    for actor in (cast.user(Role.ORG_ADMIN), cast.user(Role.SHELTER_STAFF),
                  cast.user(Role.CASE_WORKER, "away")):
        with pytest.raises(PermissionDenied):
            _record(actor, access)
    assert not LedgerEntry.objects.exists()


def test_partner_records_its_own_entries_and_the_case_side_sees_all(cast: Any) -> None:
    worker, home_access = _case(cast)
    case = home_access.case
    partner = partner_organisation("YAR")
    make_referral(case, partner.organisation)
    yaroslavl = partner.user(Role.REINTEGRATION_WORKER)
    access = case_access(user=yaroslavl, code=case.code)
    ours = _record(worker, home_access)

    theirs = _record(yaroslavl, access, entry_type=EntryType.PAYMENT, amount=Decimal("50"))

    assert (theirs.organisation, theirs.approved_by) == (
        partner.organisation, partner.user(Role.COORDINATOR))
    assert set(case_ledger(user=worker, case=case)) == {ours, theirs}
    assert case_ledger(user=yaroslavl, case=case) == [theirs]
    # A home coordinator cannot approve the partner's entry.
    with pytest.raises(LedgerRuleError):
        _record(yaroslavl, access, approved_by=cast.user(Role.COORDINATOR))
    # Nor may the partner correct the case side's entry.
    with pytest.raises(LedgerRuleError):
        _record(yaroslavl, access, entry_type=EntryType.CORRECTION, kind=ours.kind,
                amount=Decimal("-1"), corrects=ours)


def test_partner_sees_the_case_sides_ledger_when_assistance_is_shared(cast: Any) -> None:
    worker, home_access = _case(cast)
    partner = partner_organisation("YAR")
    make_referral(home_access.case, partner.organisation,
                  shared_parts=[SharedPart.CODE, SharedPart.ASSISTANCE])
    ours = _record(worker, home_access)

    assert case_ledger(user=partner.user(Role.REINTEGRATION_WORKER),
                       case=home_access.case) == [ours]


def test_totals_per_programme_donor_month_year_and_kind_keep_currencies_apart(
    cast: Any
) -> None:
    # Labels are in the active language: an earlier test's Russian page may have left it on.
    translation.activate("en")
    worker, access = _case(cast)
    coordinator = cast.user(Role.COORDINATOR)
    eu = make_programme(name_en="EU fund")
    other = make_programme(name_en="City fund")
    kind = make_kind(name_en="Training")
    year = timezone.localdate().year - 1
    jan, feb = datetime.date(year, 1, 10), datetime.date(year, 2, 10)
    grant = _record(worker, access, kind=kind, programme=eu, amount=Decimal("300"),
                    entry_on=jan)
    _record(worker, access, kind=kind, programme=eu, entry_type=EntryType.PAYMENT,
            amount=Decimal("100"), entry_on=feb, grant=grant)
    _record(worker, access, kind=kind, programme=eu, entry_type=EntryType.CORRECTION,
            amount=Decimal("-50"), entry_on=feb, corrects=grant)
    _record(worker, access, kind=kind, programme=eu, amount=Decimal("7000"), currency="RUB",
            entry_on=feb)
    _record(worker, access, kind=kind, programme=other, amount=Decimal("20"), entry_on=jan)
    _record(worker, access, kind=kind, amount=Decimal("5"), currency="USD", entry_on=jan)
    # Another organisation's entries do not count for HOME's coordinator.
    away_worker = cast.user(Role.CASE_WORKER, "away")
    away_case = open_case(cast.away, away_worker)
    give_consent(away_case, away_worker)
    _record(away_worker, case_access(user=away_worker, code=away_case.code), kind=kind,
            programme=eu, amount=Decimal("999"), entry_on=jan)

    by_programme = totals(user=coordinator, group_by="programme", date_from=None, date_to=None)

    assert by_programme == [
        TotalRow(label="City fund", currency="EUR", granted=Decimal("20"), paid=Decimal("0"),
                 entries=1),
        TotalRow(label="EU fund", currency="EUR", granted=Decimal("250"),
                 paid=Decimal("100"), entries=3),
        TotalRow(label="EU fund", currency="RUB", granted=Decimal("7000"), paid=Decimal("0"),
                 entries=1),
        TotalRow(label="No programme", currency="USD", granted=Decimal("5"),
                 paid=Decimal("0"), entries=1),
    ]
    by_donor = totals(user=coordinator, group_by="donor", date_from=None, date_to=None)
    assert {(row.label, row.currency) for row in by_donor} == {
        (eu.donor.name, "EUR"), (eu.donor.name, "RUB"), (other.donor.name, "EUR"),
        ("No donor", "USD"),
    }
    by_month = totals(user=coordinator, group_by="month", date_from=None, date_to=None)
    assert [(row.label, row.currency, row.granted, row.paid) for row in by_month] == [
        (f"{year}-01", "EUR", Decimal("320"), Decimal("0")),
        (f"{year}-01", "USD", Decimal("5"), Decimal("0")),
        (f"{year}-02", "EUR", Decimal("-50"), Decimal("100")),
        (f"{year}-02", "RUB", Decimal("7000"), Decimal("0")),
    ]
    by_year = totals(user=coordinator, group_by="year", date_from=None, date_to=None)
    assert [(row.label, row.currency, row.granted) for row in by_year] == [
        (str(year), "EUR", Decimal("270")), (str(year), "RUB", Decimal("7000")),
        (str(year), "USD", Decimal("5")),
    ]
    january = totals(user=coordinator, group_by="kind", date_from=jan, date_to=jan)
    assert [(row.label, row.currency, row.granted) for row in january] == [
        ("Training", "EUR", Decimal("320")), ("Training", "USD", Decimal("5")),
    ]
    assert totals(user=worker, group_by="year", date_from=None, date_to=None) == []
    with pytest.raises(ValidationError):
        totals(user=coordinator, group_by="colour", date_from=None, date_to=None)
    with pytest.raises(ValidationError):
        totals(user=coordinator, group_by="year", date_from=feb, date_to=jan)
