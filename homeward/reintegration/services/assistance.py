"""The assistance catalogue (coordinators: kinds, default amounts,
eligibility rules as data, donors and programmes) and the ledger of grants
and payments per case.

The ledger is append-only: an entry is never edited or deleted (the model
refuses); a mistake is put right by a correction entry that points at the
entry it corrects. Amounts stay in their own currency.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.utils.translation import gettext as _

from homeward.accounts.models import Membership
from homeward.audit.services import Action, audit_record
from homeward.cases.choices import ConsentPurpose
from homeward.cases.selectors import consent_given
from homeward.cases.services._common import apply, not_in_future
from homeward.reintegration.choices import Currency, EntryType, RuleCondition, RuleMode
from homeward.reintegration.errors import ConsentRequired, LedgerRuleError
from homeward.reintegration.models import (
    AssistanceKind,
    Donor,
    EligibilityRule,
    LedgerEntry,
    Programme,
)
from homeward.reintegration.selectors import MANAGE_ROLES, CaseAccess
from homeward.reintegration.services._work import (
    audit_reference,
    audit_work,
    move_one_place,
    require_manager,
    require_write,
)

KIND_FIELDS = (
    "code", "category", "name_ru", "name_en", "description_ru", "description_en",
    "default_amount", "currency", "max_months", "is_active",
)
PROGRAMME_FIELDS = ("code", "name_ru", "name_en", "donor", "starts_on", "ends_on", "is_active")
COUNTRY_CONDITIONS = (RuleCondition.CITIZEN_OF, RuleCondition.NOT_CITIZEN_OF)


@transaction.atomic
def totals_export_record(
    *, actor: Any, group_by: str, date_from: datetime.date | None,
    date_to: datetime.date | None, rows: int,
) -> None:
    """The totals' download is an export: one audit row, no amounts in it."""
    audit_record(
        action=Action.EXPORT, actor=actor, target_type="reintegration.LedgerEntry",
        target_id="totals",
        detail={"format": "csv", "group_by": group_by,
                "from": date_from.isoformat() if date_from else None,
                "to": date_to.isoformat() if date_to else None, "rows": rows},
    )


# --- the catalogue -------------------------------------------------------------------


def _check_kind(kind: AssistanceKind) -> None:
    for name in ("name_ru", "name_en", "description_ru", "description_en"):
        setattr(kind, name, getattr(kind, name).strip())
    kind.full_clean()
    if kind.default_amount is not None and kind.default_amount < 0:
        raise ValidationError({"default_amount": _("The amount cannot be negative.")})


@transaction.atomic
def kind_create(
    *, actor: Any, code: str, category: str, name_ru: str, name_en: str,
    description_ru: str = "", description_en: str = "", default_amount: Decimal | None = None,
    currency: str = Currency.EUR, max_months: int | None = None,
) -> AssistanceKind:
    """A new kind of assistance. Coordinators only; audited."""
    require_manager(actor)
    kind = AssistanceKind(
        code=code.strip(), category=category, name_ru=name_ru, name_en=name_en,
        description_ru=description_ru, description_en=description_en,
        default_amount=default_amount, currency=currency, max_months=max_months,
    )
    _check_kind(kind)
    kind.save()
    audit_reference(Action.CREATE, actor, kind, [
        name for name in KIND_FIELDS if getattr(kind, name) not in (None, "")])
    return kind


@transaction.atomic
def kind_update(*, actor: Any, kind: AssistanceKind, **values: Any) -> AssistanceKind:
    """Edit a kind of assistance (entries already recorded keep their own
    amounts and currencies). Coordinators only; audited."""
    require_manager(actor)
    kind = AssistanceKind.objects.select_for_update().get(pk=kind.pk)
    changed = apply(kind, values, KIND_FIELDS)
    _check_kind(kind)
    if changed:
        kind.save()
        audit_reference(Action.UPDATE, actor, kind, changed)
    return kind


@transaction.atomic
def rule_add(
    *, actor: Any, kind: AssistanceKind, condition: str, mode: str, amount: Decimal,
    country: str = "",
) -> EligibilityRule:
    """A rule at the end of the kind's list (base rules count in order:
    the first that matches applies). Citizenship conditions need a country."""
    require_manager(actor)
    kind = AssistanceKind.objects.select_for_update().get(pk=kind.pk)
    country = (country or "").strip().upper()
    if condition in COUNTRY_CONDITIONS and not country:
        raise ValidationError({"country": _("Choose the country of citizenship.")})
    if condition not in COUNTRY_CONDITIONS:
        country = ""
    if mode not in RuleMode.values:
        raise ValidationError({"mode": _("Choose base amount or supplement.")})
    if amount is None or Decimal(amount) < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    position = (kind.rules.aggregate(top=Max("position"))["top"] or 0) + 1
    rule = EligibilityRule(kind=kind, position=position, condition=condition, country=country,
                           mode=mode, amount=Decimal(amount))
    rule.full_clean()
    rule.save()
    audit_reference(Action.CREATE, actor, rule, ["condition", "mode", "amount"]
                     + (["country"] if country else []))
    return rule


@transaction.atomic
def rule_remove(*, actor: Any, rule: EligibilityRule) -> None:
    """Remove a rule from its kind. Coordinators only; audited."""
    require_manager(actor)
    audit_reference(Action.DELETE, actor, rule, ["condition", "mode", "amount"])
    EligibilityRule.objects.filter(pk=rule.pk).delete()


@transaction.atomic
def rule_move(*, actor: Any, rule: EligibilityRule, up: bool) -> None:
    """Move a rule one place up or down in its kind's list: the first base
    rule that matches applies, so the order matters. Nothing happens at the
    ends. Coordinators only; audited."""
    require_manager(actor)
    kind = AssistanceKind.objects.select_for_update().get(pk=rule.kind_id)
    if move_one_place(list(kind.rules.order_by("position", "id")), rule, up=up):
        audit_reference(Action.UPDATE, actor, rule, ["position"])


@transaction.atomic
def donor_create(*, actor: Any, name: str) -> Donor:
    """A new donor. Coordinators only; audited."""
    require_manager(actor)
    donor = Donor(name=name.strip())
    donor.full_clean()
    donor.save()
    audit_reference(Action.CREATE, actor, donor, ["name"])
    return donor


def _check_programme(programme: Programme) -> None:
    programme.name_ru, programme.name_en = programme.name_ru.strip(), programme.name_en.strip()
    programme.full_clean()
    if (programme.starts_on is not None and programme.ends_on is not None
            and programme.ends_on < programme.starts_on):
        raise ValidationError({"ends_on": _("The programme cannot end before it starts.")})


@transaction.atomic
def programme_create(
    *, actor: Any, code: str, name_ru: str, name_en: str, donor: Donor,
    starts_on: datetime.date | None = None, ends_on: datetime.date | None = None,
) -> Programme:
    """A new programme paid by ``donor``. Coordinators only; audited."""
    require_manager(actor)
    programme = Programme(code=code.strip(), name_ru=name_ru, name_en=name_en, donor=donor,
                          starts_on=starts_on, ends_on=ends_on)
    _check_programme(programme)
    programme.save()
    audit_reference(Action.CREATE, actor, programme, [
        name for name in PROGRAMME_FIELDS if getattr(programme, name) not in (None, "")])
    return programme


@transaction.atomic
def programme_update(*, actor: Any, programme: Programme, **values: Any) -> Programme:
    """Edit a programme. Coordinators only; audited."""
    require_manager(actor)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    changed = apply(programme, values, PROGRAMME_FIELDS)
    _check_programme(programme)
    if changed:
        programme.save()
        audit_reference(Action.UPDATE, actor, programme, changed)
    return programme


# --- the ledger ----------------------------------------------------------------------


def effective_amount(entry: LedgerEntry) -> Decimal:
    """The entry's amount with its corrections."""
    corrections = LedgerEntry.objects.filter(corrects=entry).aggregate(total=Sum("amount"))
    return entry.amount + (corrections["total"] or Decimal(0))


def grant_remaining(grant: LedgerEntry) -> Decimal:
    """What is left to pay of a grant (its corrected amount less the
    corrected amounts of its payments)."""
    paid = LedgerEntry.objects.filter(
        Q(grant=grant) | Q(corrects__grant=grant)
    ).aggregate(total=Sum("amount"))["total"] or Decimal(0)
    return effective_amount(grant) - paid


def _may_approve(user: Any, organisation_id: int) -> bool:
    return user is not None and bool(getattr(user, "is_active", False)) and (
        Membership.objects.filter(
            user=user, organisation_id=organisation_id, organisation__is_active=True,
            is_active=True, role__in=MANAGE_ROLES,
        ).exists()
    )


def _linked(entry: LedgerEntry, access: CaseAccess, field: str) -> LedgerEntry:
    """The named entry locked, when it belongs to the same case."""
    locked = LedgerEntry.objects.select_for_update().filter(pk=entry.pk, case=access.case).first()
    if locked is None:
        raise LedgerRuleError({field: _("Choose an entry of this case.")})
    return locked


@transaction.atomic
def ledger_record(
    *, actor: Any, access: CaseAccess, entry_type: str, kind: AssistanceKind, amount: Decimal,
    currency: str, entry_on: datetime.date, approved_by: Any, purpose: str = "",
    programme: Programme | None = None, paid_by: Any = None, grant: LedgerEntry | None = None,
    corrects: LedgerEntry | None = None,
) -> LedgerEntry:
    """Append a grant, a payment or a correction to the case's ledger, in
    the name of the organisation the actor works for here.

    A coordinator of that organisation approves it; grants and payments are
    positive and need the person's consent to assistance on record; a
    payment may name the grant it pays (never more than is left of it); a
    correction names the entry it corrects (same case, organisation, kind
    and currency) and may not take it below zero. Audited (no amounts)."""
    organisation = require_write(actor, access)
    if entry_type not in EntryType.values:
        raise LedgerRuleError({"entry_type": _("Choose grant, payment or correction.")})
    if currency not in Currency.values:
        raise LedgerRuleError({"currency": _("Choose one of the currencies.")})
    if not _may_approve(approved_by, organisation.pk):
        raise LedgerRuleError({"approved_by": _(
            "Choose a coordinator of %(organisation)s to approve this."
        ) % {"organisation": organisation.name}})
    try:
        amount = Decimal(amount).quantize(Decimal("0.01"))
    except (ArithmeticError, TypeError, ValueError) as error:
        raise LedgerRuleError({"amount": _("Give an amount.")}) from error
    not_in_future(entry_on, "entry_on")
    if programme is not None and not programme.is_active and entry_type != EntryType.CORRECTION:
        raise LedgerRuleError({"programme": _("This programme is no longer in use.")})
    purpose = purpose.strip()

    if entry_type == EntryType.CORRECTION:
        if corrects is None:
            raise LedgerRuleError({"corrects": _("Choose the entry this corrects.")})
        if amount == 0:
            raise LedgerRuleError({"amount": _("A correction changes the amount: it cannot "
                                               "be zero.")})
        original = _linked(corrects, access, "corrects")
        if original.entry_type == EntryType.CORRECTION:
            raise LedgerRuleError({"corrects": _(
                "Correct the grant or payment itself, not a correction."
            )})
        if original.organisation_id != organisation.pk:
            raise LedgerRuleError({"corrects": _(
                "Only the organisation that recorded an entry corrects it."
            )})
        if original.currency != currency:
            raise LedgerRuleError({"currency": _(
                "A correction is in the currency of the entry it corrects (%(currency)s)."
            ) % {"currency": original.currency}})
        if original.kind_id != kind.pk:
            raise LedgerRuleError({"kind": _(
                "A correction is of the kind of assistance of the entry it corrects."
            )})
        if effective_amount(original) + amount < 0:
            raise LedgerRuleError({"amount": _(
                "The correction would take the entry below zero."
            )})
        if (original.entry_type == EntryType.PAYMENT and original.grant_id is not None
                and amount > 0):
            paid_grant = _linked(original.grant, access, "grant")  # type: ignore[arg-type]
            if amount > grant_remaining(paid_grant):
                raise LedgerRuleError({"amount": _(
                    "Payments of a grant cannot exceed it."
                )})
        grant, paid_by = None, None
    else:
        if amount <= 0:
            raise LedgerRuleError({"amount": _("The amount must be above zero.")})
        if corrects is not None:
            raise LedgerRuleError({"corrects": _("Only a correction corrects an entry.")})
        if not kind.is_active:
            raise LedgerRuleError({"kind": _("This kind of assistance is no longer in use.")})
        if not consent_given(case=access.case, purpose=ConsentPurpose.ASSISTANCE):
            raise ConsentRequired(_(
                "The person's consent to assistance is not on record. Record it first."
            ))
        if entry_type == EntryType.GRANT:
            grant, paid_by = None, None
        else:
            paid_by = paid_by or actor
            if not Membership.objects.filter(
                user=paid_by, organisation=organisation, is_active=True
            ).exists():
                raise LedgerRuleError({"paid_by": _(
                    "Choose a member of %(organisation)s who paid."
                ) % {"organisation": organisation.name}})
            if grant is not None:
                grant = _linked(grant, access, "grant")
                if grant.entry_type != EntryType.GRANT:
                    raise LedgerRuleError({"grant": _("Choose a grant.")})
                if grant.currency != currency:
                    raise LedgerRuleError({"currency": _(
                        "A payment of a grant is in the grant's currency (%(currency)s)."
                    ) % {"currency": grant.currency}})
                if amount > grant_remaining(grant):
                    raise LedgerRuleError({"amount": _(
                        "Payments of a grant cannot exceed it: %(left)s %(currency)s left."
                    ) % {"left": grant_remaining(grant), "currency": grant.currency}})
    entry = LedgerEntry.objects.create(
        case=access.case, organisation=organisation, entry_type=entry_type, kind=kind,
        programme=programme, amount=amount, currency=currency, entry_on=entry_on,
        purpose=purpose, approved_by=approved_by, paid_by=paid_by, corrects=corrects,
        grant=grant, recorded_by=actor,
    )
    audit_work(
        action=Action.CREATE, actor=actor, access=access, target=entry,
        fields=["entry_type", "kind", "amount", "currency", "entry_on", "approved_by"]
        + [name for name in ("purpose", "programme", "paid_by", "grant", "corrects")
           if getattr(entry, name)],
        detail={"entry_type": entry_type},
    )
    return entry
