"""Publishing report figures: the k floor, whose figures, and the audit."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from homeward.audit.models import AuditEntry
from homeward.audit.services import Action
from homeward.stats.choices import Family, Labels
from homeward.stats.filters import ReportFilter
from homeward.stats.reports import Report
from homeward.stats.services.figures import TARGET_TYPE, figures_export, figures_view
from homeward.stats.tables import Counts, Dimension

pytestmark = pytest.mark.django_db

COUNTS = Counts(rows=["TR", "GR"], columns=["RU", "UA"],
                cells={("TR", "RU"): 30, ("TR", "UA"): 2, ("GR", "RU"): 20, ("GR", "UA"): 15})
REPORT = Report(
    name="nationality-by-destination", title="Victims by destination", family=Family.CASES,
    rows=Dimension("Destination", lambda key: {"TR": "Turkey", "GR": "Greece"}[key], True),
    columns=Dimension("Citizenship", lambda key: {"RU": "Russia", "UA": "Ukraine"}[key], True),
    count=lambda _filter: COUNTS, unit="persons", method="…", chart="stacked",
)


def home_filter(cast, **extra) -> ReportFilter:
    return ReportFilter(organisations=(cast.home.pk,), date_from=datetime.date(2026, 1, 1),
                        date_to=datetime.date(2026, 12, 31), **extra)


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, target_type=TARGET_TYPE))


def test_view_suppresses_with_k_and_audits_a_view_with_its_parameters(cast) -> None:
    researcher = cast.user("researcher")

    table = figures_view(actor=researcher, report=REPORT, filter=home_filter(cast, sex="Feminine"),
                         k=11)

    assert table.k == 11
    assert table.cell("TR", "UA").hidden
    (entry,) = entries(Action.VIEW)
    assert entry.actor_id == researcher.pk
    assert entry.target_id == "nationality-by-destination"
    assert entry.detail["k"] == 11
    assert entry.detail["organisations"] == str(cast.home.pk)
    assert entry.detail["date_from"] == "2026-01-01"
    assert entry.detail["sex"] == "Feminine"
    assert entry.detail["source"] == "web"
    assert entry.detail["suppressed"] == table.suppressed > 0


def test_coordinator_of_every_counted_organisation_may_turn_suppression_off(cast) -> None:
    table = figures_view(actor=cast.user("coordinator"), report=REPORT, filter=home_filter(cast),
                         k=1)

    assert table.suppressed == 0
    assert table.cell("TR", "UA").value == 2


def test_researcher_may_not_publish_below_the_configured_k(cast) -> None:
    with pytest.raises(PermissionDenied):
        figures_view(actor=cast.user("researcher"), report=REPORT, filter=home_filter(cast), k=5)

    assert entries(Action.VIEW) == []


def test_coordinator_may_not_lower_k_on_another_organisations_figures(cast, settings) -> None:
    cast.home.is_coalition_member = cast.away.is_coalition_member = True
    cast.home.save()
    cast.away.save()
    both = ReportFilter(organisations=(cast.home.pk, cast.away.pk))
    coordinator = cast.user("coordinator")

    with pytest.raises(PermissionDenied):
        figures_view(actor=coordinator, report=REPORT, filter=both, k=1)
    assert figures_view(actor=coordinator, report=REPORT, filter=both, k=11).k == 11


def test_nobody_counts_an_organisation_they_do_not_see(cast) -> None:
    # Partners, not coalition members: no pooled figures.
    cast.home.is_coalition_member = cast.away.is_coalition_member = False
    cast.home.save()
    cast.away.save()
    away = ReportFilter(organisations=(cast.away.pk,))

    with pytest.raises(PermissionDenied):
        figures_view(actor=cast.user("researcher"), report=REPORT, filter=away, k=11)


def test_roles_without_statistics_are_refused(cast) -> None:
    with pytest.raises(PermissionDenied):
        figures_view(actor=cast.user("case_worker"), report=REPORT, filter=home_filter(cast),
                     k=11)


def test_k_below_one_is_invalid(cast) -> None:
    with pytest.raises(ValidationError):
        figures_view(actor=None, report=REPORT, filter=home_filter(cast), k=0)


def test_export_audits_every_parameter_and_returns_the_file(cast) -> None:
    coordinator = cast.user("coordinator")

    download = figures_export(actor=coordinator, report=REPORT, filter=home_filter(cast), k=1,
                              fmt="csv", labels=Labels.NAMES, language="en")

    assert download.filename == "nationality-by-destination_2026-01-01_2026-12-31.csv"
    assert download.content_type.startswith("text/csv")
    lines = list(csv.reader(io.StringIO(download.content.decode())))
    assert lines[0] == ["Destination", "Russia", "Ukraine", "Total"]
    (entry,) = entries(Action.EXPORT)
    assert entry.actor_id == coordinator.pk
    assert {key: entry.detail[key] for key in ("format", "labels", "language", "k", "report")} == {
        "format": "csv", "labels": "names", "language": "en", "k": 1,
        "report": "nationality-by-destination",
    }
    assert entry.detail["date_to"] == "2026-12-31"


def test_command_line_exports_are_audited_without_an_actor(cast) -> None:
    download = figures_export(actor=None, report=REPORT, filter=home_filter(cast), k=1,
                              fmt="json", labels=Labels.CODES, language="en")

    assert json.loads(download.content)["cells"] == [[30, 2], [20, 15]]
    (entry,) = entries(Action.EXPORT)
    assert entry.actor_id is None
    assert entry.detail["source"] == "cli"


@pytest.mark.parametrize(("fmt", "magic"), [("xlsx", b"PK"), ("pdf", b"%PDF")])
def test_export_renders_spreadsheets_and_pdfs(cast, fmt, magic) -> None:
    download = figures_export(actor=cast.user("researcher"), report=REPORT,
                              filter=home_filter(cast), k=11, fmt=fmt, labels=Labels.CODES,
                              language="ru")

    assert download.content.startswith(magic)
    assert download.filename.endswith(f".{fmt}")


def test_an_unknown_format_is_refused_and_not_audited(cast) -> None:
    with pytest.raises(ValidationError):
        figures_export(actor=None, report=REPORT, filter=home_filter(cast), k=11, fmt="doc",
                       labels=Labels.CODES, language="en")

    assert entries(Action.EXPORT) == []
