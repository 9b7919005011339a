"""Differentially private releases and the privacy budget they spend."""

from __future__ import annotations

import dataclasses
import random
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import translation
from django.utils.translation import gettext as _

from homeward.accounts.models import Organisation
from homeward.audit.services import Action, audit_record
from homeward.stats import dp, render, scope
from homeward.stats.choices import OTHERS, UNKNOWN, Family, Format, Labels, Mechanism
from homeward.stats.filters import ReportFilter
from homeward.stats.models import BudgetCharge, PrivacyBudget, Release
from homeward.stats.publication import release_table
from homeward.stats.reports import Report
from homeward.stats.services.figures import audit_detail
from homeward.stats.tables import Counts, Table

# The formats a release downloads as.
RELEASE_FORMATS = (Format.CSV.value, Format.XLSX.value)


def epsilon_milli(epsilon: Decimal | float | str) -> int:
    """ε in thousandths (what the ledger sums), rounded; ValidationError
    when it is not a positive number."""
    try:
        value = Decimal(str(epsilon))
    except InvalidOperation as exc:
        raise ValidationError(_("ε must be a number."), code="epsilon") from exc
    milli = int((value * 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP)) \
        if value.is_finite() else 0
    if milli < 1:
        raise ValidationError(_("ε must be at least 0.001."), code="epsilon")
    return milli


def budget_spent_milli(budget: PrivacyBudget) -> int:
    """What ``budget``'s ledger has charged so far (ε × 1000)."""
    spent = budget.charges.aggregate(spent=Sum("epsilon_milli"))["spent"]
    return int(spent or 0)


def _datasets(report: Report, filter: ReportFilter) -> list[Organisation | None]:
    """The datasets a release of ``report`` counts: one per organisation, or
    the CTDC reference data (no organisation)."""
    if report.family == Family.CTDC:
        return [None]
    return list(Organisation.objects.filter(pk__in=filter.organisations).order_by("code"))


def _budget_for(family: str, organisation: Organisation | None) -> PrivacyBudget:
    """The budget of one dataset, created on first use and locked for the
    rest of the transaction (two releases never both spend the last ε)."""
    budget, _created = PrivacyBudget.objects.get_or_create(
        family=family, organisation=organisation,
        defaults={"epsilon_total_milli": int(settings.HOMEWARD_DP_BUDGET_MILLI)},
    )
    return PrivacyBudget.objects.select_for_update().get(pk=budget.pk)


@transaction.atomic
def release_create(
    *,
    actor: Any,
    report: Report,
    filter: ReportFilter,
    epsilon: Decimal | float | str,
    mechanism: str,
    note: str = "",
    rng: random.Random | None = None,
) -> Release:
    """Publish ``report`` under ``filter`` with differentially private noise.

    Only a user who may publish, for every organisation counted (else
    PermissionDenied). Every dataset counted — each organisation's records
    of the report's family, or the CTDC reference data — must have ``epsilon``
    left in its privacy budget (else ValidationError, nothing spent); each is
    charged ``epsilon`` in the ledger. The noisy table (non-negative integers,
    totals summed from the cells) is stored so the release always shows the
    same numbers. Audited (CREATE) with its parameters in the same
    transaction. ``rng`` is for tests; the default is the system's generator.
    """
    if not scope.may_publish(actor):
        raise PermissionDenied
    if mechanism not in Mechanism.values:
        raise ValidationError(_("Unknown noise mechanism."), code="mechanism")
    milli = epsilon_milli(epsilon)
    datasets = _datasets(report, filter)
    if report.family != Family.CTDC:
        if not datasets or len(datasets) != len(set(filter.organisations)):
            raise ValidationError(_("Choose at least one organisation."), code="organisations")
        allowed = set(scope.publish_organisations(actor).values_list("pk", flat=True))
        if any(organisation is not None and organisation.pk not in allowed
               for organisation in datasets):
            raise PermissionDenied
    budgets = [_budget_for(report.family, organisation) for organisation in datasets]
    for budget, organisation in zip(budgets, datasets, strict=True):
        left = budget.epsilon_total_milli - budget_spent_milli(budget)
        if left < milli:
            name = organisation.name if organisation is not None else str(Family.CTDC.label)
            raise ValidationError(
                _("The privacy budget of %(dataset)s has ε = %(left)s left; "
                  "this release needs ε = %(needed)s.")
                % {"dataset": name, "left": _epsilon_text(max(left, 0)),
                   "needed": _epsilon_text(milli)},
                code="budget",
            )
    if report.rows.categories is None or report.columns.categories is None:
        raise ValidationError(
            _("This report's categories (such as cities or regions as recorded) depend on "
              "who is counted, so a noisy release would still reveal them. Publish it with "
              "small-cell suppression instead."),
            code="open",
        )
    # One person, one case: the report's sensitivity is what one person's
    # record can change.
    filter = dataclasses.replace(filter, one_case_per_person=True)
    noisy = dp.noisy_counts(
        closed_counts(report=report, filter=filter, counts=report.count(filter)),
        Decimal(milli) / 1000, mechanism, report.sensitivity, rng,
    )
    release = Release.objects.create(
        report=report.name,
        params=filter.params(),
        mechanism=mechanism,
        epsilon_milli=milli,
        table={
            "rows": list(noisy.rows),
            "columns": list(noisy.columns),
            "cells": noisy.matrix(),
        },
        note=note.strip()[:200],
        created_by=actor,
    )
    release.organisations.set([organisation for organisation in datasets if organisation])
    BudgetCharge.objects.bulk_create(
        BudgetCharge(budget=budget, release=release, epsilon_milli=milli) for budget in budgets
    )
    audit_record(
        action=Action.CREATE,
        actor=actor,
        organisation=next((organisation for organisation in datasets if organisation), None),
        target=release,
        detail=audit_detail(
            name=report.name, filter=filter, k=1, source="web",
            mechanism=mechanism, epsilon=_epsilon_text(milli), sensitivity=report.sensitivity,
        ),
    )
    return release


def _epsilon_text(milli: int) -> str:
    return f"{Decimal(milli) / 1000:f}".rstrip("0").rstrip(".") or "0"


def closed_counts(*, report: Report, filter: ReportFilter, counts: Counts) -> Counts:
    """``counts`` on the report's closed categories (``Dimension.categories``):
    every category is a row or column, with or without anyone in it, and a
    key outside the list (a country not on the public list) is folded into
    ``OTHERS`` when the list has it, else into ``UNKNOWN``. The noisy table
    then shows the same rows and columns whoever is in the records."""
    assert report.rows.categories is not None  # noqa: S101 - checked by the caller
    assert report.columns.categories is not None  # noqa: S101
    rows = list(dict.fromkeys(report.rows.categories(filter)))
    columns = list(dict.fromkeys(report.columns.categories(filter)))

    def fold(key: str, keys: list[str]) -> str:
        if key in keys:
            return key
        return OTHERS if OTHERS in keys else UNKNOWN

    cells: dict[tuple[str, str], int] = {}
    for (row, column), value in counts.cells.items():
        key = (fold(row, rows), fold(column, columns))
        if key[0] in rows and key[1] in columns:
            cells[key] = cells.get(key, 0) + value
    return Counts(rows=rows, columns=columns, cells=cells, units=counts.units)


def _release_audit(
    *, action: str, actor: Any, release: Release, source: str,
    **extra: str | int | bool | None,
) -> None:
    """The audit row of a release read or downloaded: the release, its
    report, filter, mechanism and ε (never a figure)."""
    audit_record(
        action=action, actor=actor, target=release,
        organisation=min(release.organisations.all(), key=lambda org: org.code, default=None),
        detail={
            **audit_detail(
                name=release.report, filter=ReportFilter.from_params(release.params), k=1,
                source=source, release=release.pk, mechanism=release.mechanism,
                epsilon=_epsilon_text(release.epsilon_milli),
            ),
            **extra,
        },
    )


@transaction.atomic
def release_view(*, actor: Any, release: Release, source: str = "web") -> Table:
    """The noisy table ``release`` published, for reading on a page or
    through the API; audited as VIEW. Callers read ``release`` through the
    access gate (``selectors.release_get_for_user``)."""
    table = release_table(release)
    _release_audit(action=Action.VIEW, actor=actor, release=release, source=source)
    return table


@transaction.atomic
def release_export(
    *, actor: Any, release: Release, report: Report, fmt: str, labels: str, language: str,
) -> render.Download:
    """``release``'s noisy table as a CSV or XLSX file in ``language``;
    audited as EXPORT with every parameter in the same transaction.
    ValidationError for another format or labels. Callers read ``release``
    through the access gate (``selectors.release_get_for_user``)."""
    if fmt not in RELEASE_FORMATS or labels not in Labels.values:
        raise ValidationError(_("Unknown format: %(format)s.") % {"format": fmt},
                              code="format")
    table = release_table(release)
    report_filter = ReportFilter.from_params(release.params)
    with translation.override(language):
        if fmt == Format.XLSX:
            content = render.table_xlsx(table, report, labels=labels, filter=report_filter)
        else:
            content = render.table_csv(table, report, labels=labels)
    _release_audit(action=Action.EXPORT, actor=actor, release=release, source="web",
                   format=fmt, labels=labels, language=language)
    return render.Download(
        content=content, filename=f"release-{release.pk}-{release.report}.{fmt}",
        content_type=render.CONTENT_TYPES[fmt],
    )
